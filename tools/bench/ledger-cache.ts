import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import type { Contenders } from './contenders.js';
import { cttSync } from './contenders.js';
import type { CachedCorpus, Log } from './corpus-cache.js';
import { runMeasured } from './measure.js';
import type { MeasureMethod, RunSample } from './results.js';
import { formatCount, humanBytes } from './token-fields.js';

/**
 * The ledger of one corpus for the reports benchmark: built once with `ctt sync` as
 * `<repo>/.bench/ledger-<size>-seed<seed>.db` and reused while it is newer than the corpus
 * manifest and was built by a ctt with the same schema (a hash of the built migrations, kept
 * in `<ledger>.json`; a ledger of another schema would time a different query plan, or fail).
 * It is built under a temporary name and renamed when complete, so a file with the final name
 * is always a whole ledger.
 */

export interface CachedLedger {
  readonly path: string;
  /** `path` relative to the repository root, for printing. */
  readonly relativePath: string;
  readonly bytes: number;
  readonly responses: number;
  /** The build's `ctt sync` when built by this run, else null (reused). */
  readonly build: RunSample | null;
}

const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'];
const KB_PER_MB = 1024;

function removeLedger(path: string): void {
  for (const suffix of ['', ...SQLITE_COMPANIONS]) rmSync(`${path}${suffix}`, { force: true });
}

/** Checkpoints any WAL into the main file and counts the responses. */
function settle(path: string): number {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const row = db.prepare('SELECT count(*) AS n FROM response').get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

function countResponses(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT count(*) AS n FROM response').get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

interface LedgerStamp {
  readonly schema: string;
  readonly builtAt: string;
}

/** A hash of the built migrations (`dist/src/store/migrations/*.js`): the ledger's schema. */
function schemaOf(contenders: Contenders): string {
  const dir = join(dirname(contenders.cttMain), 'store', 'migrations');
  if (!existsSync(dir)) return 'unknown';
  const hash = createHash('sha256');
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.js'))
    .sort()) {
    hash.update(`${name}\0`);
    hash.update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

function readStamp(path: string): LedgerStamp | null {
  try {
    return JSON.parse(readFileSync(`${path}.json`, 'utf8')) as LedgerStamp;
  } catch {
    return null;
  }
}

/** Why the cached ledger cannot be reused, or null when it can. */
function staleReason(path: string, manifestPath: string, schema: string): string | null {
  if (!existsSync(path)) return 'not built yet';
  if (statSync(path).mtimeMs <= statSync(manifestPath).mtimeMs) return 'older than the corpus';
  const stamp = readStamp(path);
  if (stamp?.schema !== schema) return 'built by a ctt with another schema';
  return null;
}

export function ledgerPathFor(repoRoot: string, corpus: CachedCorpus): string {
  return join(repoRoot, '.bench', `ledger-${corpus.label}-seed${corpus.seed}.db`);
}

export async function ensureLedger(
  repoRoot: string,
  contenders: Contenders,
  method: MeasureMethod,
  corpus: CachedCorpus,
  log: Log,
): Promise<CachedLedger> {
  const path = ledgerPathFor(repoRoot, corpus);
  const relativePath = relative(repoRoot, path);
  const schema = schemaOf(contenders);
  const stale = staleReason(path, join(corpus.dir, 'manifest.json'), schema);
  if (stale === null) {
    log(`reusing ${relativePath} (delete it to rebuild)`);
    return {
      path,
      relativePath,
      bytes: statSync(path).size,
      responses: countResponses(path),
      build: null,
    };
  }
  removeLedger(path);
  rmSync(`${path}.json`, { force: true });
  const partial = `${path}.partial`;
  removeLedger(partial);
  const home = mkdtempSync(join(tmpdir(), 'ctt-bench-ledger-'));
  try {
    log(`building ${relativePath} (${stale}) with ctt sync from ${corpus.relativeDir}…`);
    const sync = cttSync(contenders, partial, corpus.manifest.configDirs, home);
    const run = await runMeasured(method, sync.command, sync.args, sync.env);
    if (run.exitCode !== 0) {
      const why =
        run.signal !== null ? `signal ${run.signal}` : `exit code ${String(run.exitCode)}`;
      throw new Error(`ctt sync (building ${relativePath}) failed (${why}):\n${run.stderr}`);
    }
    const responses = settle(partial);
    renameSync(partial, path);
    removeLedger(partial);
    const stamp: LedgerStamp = { schema, builtAt: new Date().toISOString() };
    writeFileSync(`${path}.json`, `${JSON.stringify(stamp)}\n`);
    const bytes = statSync(path).size;
    const build: RunSample = {
      wallMs: Math.round(run.wallMs * 10) / 10,
      peakRssMb: Math.round((run.peakRssKb / KB_PER_MB) * 10) / 10,
    };
    log(
      `built ${relativePath}: ${humanBytes(bytes)}, ${formatCount(responses)} responses in ${(build.wallMs / 1000).toFixed(1)} s, ${build.peakRssMb} MB peak`,
    );
    return { path, relativePath, bytes, responses, build };
  } catch (error) {
    removeLedger(partial);
    throw error;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Reads a file once, in 1 MB chunks, so its pages are cached before anything is timed. */
export function warmFile(path: string): number {
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  let total = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) return total;
      total += n;
    }
  } finally {
    closeSync(fd);
  }
}
