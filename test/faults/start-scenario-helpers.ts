/**
 * Small pieces for scenario and fault tests of a real `ctt start`: waiting on what the ledger
 * holds (read-only, as another process would), the built CLI's `ctt changes --json` and
 * `ctt hook`, transcript lines with unique ids, Claude Code process files naming real processes,
 * a second process that holds the ledger's write lock on command, and a file-size limit set on a
 * running process (how a full disk looks to SQLite without root). Waits poll with a generous
 * deadline that only fails a hung test; nothing here measures a duration.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import type { JsonChange } from '../../src/reports/render-changes.js';
import { assistantLine } from '../helpers/claude-lines.js';
import { CTT_BIN } from '../e2e/run-ctt.js';

type Db = InstanceType<typeof Database>;

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns something other than `undefined`, `null` or `false`; fails
 * with `what` (and the last probe error) after `timeoutMs`.
 */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error; // e.g. the ledger is not created yet
    }
    if (performance.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`still waiting for ${what} after ${timeoutMs} ms${reason}`);
    }
    await sleep(everyMs);
  }
}

/** Runs `read` on a read-only connection to the ledger (another process's view). */
export function readLedger<T>(path: string, read: (db: Db) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export interface TrailRow {
  readonly id: number;
  readonly source: string;
  readonly kind: string;
  readonly project: string | null;
  readonly sessionId: string | null;
  readonly detail: Record<string, unknown> | null;
}

/** The trail rows of one kind (and session), oldest first. */
export function trailRows(dbPath: string, kind: string, sessionId?: string): TrailRow[] {
  return readLedger(dbPath, (db) =>
    (
      db
        .prepare(
          `SELECT id, source, kind, project, session_id AS sessionId, detail FROM change_event
           WHERE kind = ? AND (? IS NULL OR session_id = ?) ORDER BY id`,
        )
        .all(kind, sessionId ?? null, sessionId ?? null) as (Omit<TrailRow, 'detail'> & {
        detail: string | null;
      })[]
    ).map((row) => ({
      ...row,
      detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
    })),
  );
}

/** Waits for the first trail row of `kind` for `sessionId`. */
export function waitForTrailRow(
  dbPath: string,
  kind: string,
  sessionId: string,
  timeoutMs?: number,
): Promise<TrailRow> {
  return eventually(
    `a ${kind} row for ${sessionId}`,
    () => trailRows(dbPath, kind, sessionId)[0],
    timeoutMs,
  );
}

/** Child-process environment: only what `ctt` needs, HOME isolated. */
export function cttEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: home, TZ: 'UTC', NO_COLOR: '1' };
}

/** `ctt changes --json [args]` through the built CLI. */
export function cttChanges(env: NodeJS.ProcessEnv, args: readonly string[] = []): JsonChange[] {
  const run = spawnSync(process.execPath, [CTT_BIN, 'changes', '--json', ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`ctt changes exited ${run.status}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { changes: JsonChange[] }).changes;
}

/** `ctt hook <event>` with `body` on stdin, as Claude Code runs a command hook. */
export function cttHook(env: NodeJS.ProcessEnv, event: string, body: object): void {
  const run = spawnSync(process.execPath, [CTT_BIN, 'hook', event], {
    env,
    input: JSON.stringify(body),
    encoding: 'utf8',
  });
  if (run.status !== 0 || run.stdout !== '' || run.stderr !== '')
    throw new Error(`ctt hook ${event}: exit ${run.status}, ${run.stdout}${run.stderr}`);
}

export interface UsageTokens {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite: number;
  readonly cacheRead: number;
}

/** One billable transcript line with its own message id and request id. */
export function usageLine(
  n: number,
  sessionId: string,
  cwd: string,
  tokens: UsageTokens,
  timestampMs: number,
): string {
  return assistantLine({
    messageId: `msg_${sessionId.slice(0, 8)}_${n}`,
    requestId: `req_${sessionId.slice(0, 8)}_${n}`,
    sessionId,
    cwd,
    usage: tokens,
    timestamp: new Date(timestampMs).toISOString(),
    content: [],
  });
}

/** Claude Code's project folder name for a cwd (`/home/a/x` → `-home-a-x`). */
export function projectFolder(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/** A process standing in for a running Claude Code: alive until killed. */
export function spawnIdleProcess(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
}

/** Writes `<configDir>/sessions/<pid>.json` the way Claude Code does (temp file and rename). */
export function writeProcessFile(
  configDir: string,
  pid: number,
  sessionId: string,
  cwd: string,
): string {
  const dir = join(configDir, 'sessions');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${pid}.json`);
  const body = {
    pid,
    sessionId,
    cwd,
    startedAt: Date.now(),
    version: '2.1.332',
    kind: 'interactive',
    entrypoint: 'cli',
  };
  writeFileSync(`${path}.tmp`, JSON.stringify(body));
  renameSync(`${path}.tmp`, path);
  return path;
}

/** Writes a file the way Claude Code saves `~/.claude.json`: a temp file renamed over it. */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp.${process.pid}`, text);
  renameSync(`${path}.tmp.${process.pid}`, path);
}

const HOLDER_SCRIPT = `
const [sqlitePath, dbPath] = process.argv.slice(2);
const { createRequire } = await import('node:module');
const Database = createRequire(import.meta.url)(sqlitePath);
const db = new Database(dbPath, { timeout: 60000 });
const { createInterface } = await import('node:readline');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, ms] = line.split(' ');
  if (command !== 'hold') continue;
  db.prepare('BEGIN IMMEDIATE').run();
  process.stdout.write('held\\n');
  await new Promise((resolve) => setTimeout(resolve, Number(ms)));
  db.prepare('COMMIT').run();
  process.stdout.write('released\\n');
}
db.close();
`;

/** A second process on the ledger that takes its write lock (`BEGIN IMMEDIATE`) on command. */
export interface LedgerHolder {
  readonly pid: number;
  /** Resolves once the lock is held; `released` resolves when it was given back. */
  hold(ms: number): Promise<{ released: Promise<void> }>;
  close(): Promise<void>;
}

export function startLedgerHolder(scriptDir: string, dbPath: string): LedgerHolder {
  const script = join(scriptDir, 'ledger-holder.mjs');
  writeFileSync(script, HOLDER_SCRIPT);
  const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, [script, sqlitePath, dbPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (child.pid === undefined || child.stdout === null || child.stdin === null)
    throw new Error('the ledger holder did not spawn');
  const waiters: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiters.shift()?.(line));
  const nextLine = (): Promise<string> => new Promise((resolve) => waiters.push(resolve));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stdin = child.stdin;
  return {
    pid: child.pid,
    async hold(ms) {
      const held = nextLine();
      const released = nextLine();
      stdin.write(`hold ${ms}\n`);
      if ((await held) !== 'held') throw new Error('the ledger holder did not take the lock');
      return { released: released.then(() => undefined) };
    },
    async close() {
      stdin.end();
      await exited;
    },
  };
}

/**
 * Sets the soft file-size limit (RLIMIT_FSIZE) of a running process; `null` raises it back to
 * the hard limit. Node ignores SIGXFSZ, so a write past the limit fails with EFBIG, which SQLite
 * reports as an I/O write error: a full disk, as the ledger sees it, without root or a mount.
 */
export function setFileSizeLimit(pid: number, bytes: number | null): void {
  const soft =
    bytes === null
      ? spawnSync(
          'prlimit',
          ['--pid', String(pid), '--fsize', '--raw', '--noheadings', '-o', 'HARD'],
          {
            encoding: 'utf8',
          },
        ).stdout.trim()
      : String(bytes);
  const run = spawnSync('prlimit', ['--pid', String(pid), `--fsize=${soft}:`], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`prlimit failed (${run.status}): ${run.stderr}`);
}
