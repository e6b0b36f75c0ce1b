import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contenders, Invocation } from './contenders.js';
import { ccusageDaily, cttSync } from './contenders.js';
import type { CachedCorpus, Log } from './corpus-cache.js';
import type { ChildRun } from './measure.js';
import { runMeasured } from './measure.js';
import type { MeasuredSeries, MeasureMethod, RunSample } from './results.js';
import { median } from './token-fields.js';

/**
 * The timed part of one corpus, strictly sequential: `runs` rounds of (ctt full sync into a
 * fresh ledger, ccusage daily), the order of the two swapped every round, then `runs` no-change
 * syncs on the last round's ledger. Every child gets an empty temporary HOME.
 */

export interface SyncJson {
  readonly files: { readonly seen: number; readonly read: number };
  readonly newResponses: number;
  readonly ledger: { readonly responses: number };
}

export interface TimedCorpus {
  readonly cttFullSync: MeasuredSeries;
  readonly ccusageDaily: MeasuredSeries;
  readonly cttNoChangeSync: MeasuredSeries;
  /** The last full sync's ledger (kept until `cleanup`). */
  readonly ledgerPath: string;
  readonly lastFullSync: SyncJson;
  readonly lastNoChangeSync: SyncJson;
  /** ccusage's stdout of the last round, parsed. */
  readonly ccusageJson: unknown;
  readonly cleanup: () => void;
}

const KB_PER_MB = 1024;

function series(samples: RunSample[]): MeasuredSeries {
  return {
    samples,
    medianWallMs: median(samples.map((s) => s.wallMs)),
    medianPeakRssMb: median(samples.map((s) => s.peakRssMb)),
  };
}

function sample(run: ChildRun): RunSample {
  return {
    wallMs: Math.round(run.wallMs * 10) / 10,
    peakRssMb: Math.round((run.peakRssKb / KB_PER_MB) * 10) / 10,
  };
}

async function runChecked(
  method: MeasureMethod,
  what: string,
  invocation: Invocation,
): Promise<ChildRun> {
  const run = await runMeasured(method, invocation.command, invocation.args, invocation.env);
  if (run.exitCode !== 0) {
    const why = run.signal !== null ? `signal ${run.signal}` : `exit code ${String(run.exitCode)}`;
    throw new Error(`${what} failed (${why}):\n${run.stderr.slice(-2000)}`);
  }
  return run;
}

function parseJson<T>(what: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what} did not print JSON: ${text.slice(0, 300)}`);
  }
}

function freshDir(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function timeCorpus(
  contenders: Contenders,
  method: MeasureMethod,
  corpus: CachedCorpus,
  runs: number,
  log: Log,
): Promise<TimedCorpus> {
  const work = mkdtempSync(join(tmpdir(), 'ctt-bench-'));
  const cleanup = (): void => rmSync(work, { recursive: true, force: true });
  try {
    const dirs = corpus.manifest.configDirs;
    const ctt: RunSample[] = [];
    const ccusage: RunSample[] = [];
    let ledgerPath = '';
    let lastFullSync: SyncJson | null = null;
    let ccusageJson: unknown = null;
    for (let round = 0; round < runs; round++) {
      const runDir = freshDir(work, `round-${round}`);
      const cttFirst = round % 2 === 0;
      for (const tool of cttFirst ? ['ctt', 'ccusage'] : ['ccusage', 'ctt']) {
        if (tool === 'ctt') {
          const ledger = join(runDir, 'ledger.db');
          const run = await runChecked(
            method,
            'ctt sync',
            cttSync(contenders, ledger, dirs, freshDir(runDir, 'home-ctt')),
          );
          lastFullSync = parseJson<SyncJson>('ctt sync --json', run.stdout);
          ctt.push(sample(run));
          if (ledgerPath !== '') rmSync(join(ledgerPath, '..'), { recursive: true, force: true });
          ledgerPath = ledger;
        } else {
          const run = await runChecked(
            method,
            'ccusage daily',
            ccusageDaily(contenders, dirs, freshDir(runDir, 'home-ccusage')),
          );
          ccusageJson = parseJson<unknown>('ccusage daily --json', run.stdout);
          ccusage.push(sample(run));
        }
      }
      const last = (xs: RunSample[]): string => {
        const s = xs[xs.length - 1];
        return s === undefined ? '-' : `${Math.round(s.wallMs)} ms / ${s.peakRssMb} MB`;
      };
      log(
        `  round ${round + 1}/${runs} (${cttFirst ? 'ctt first' : 'ccusage first'}): ctt ${last(ctt)}, ccusage ${last(ccusage)}`,
      );
    }
    if (lastFullSync === null) throw new Error('no ctt run');
    const noChange: RunSample[] = [];
    let lastNoChangeSync: SyncJson | null = null;
    const home = freshDir(work, 'home-no-change');
    for (let i = 0; i < runs; i++) {
      const run = await runChecked(
        method,
        'ctt sync (no change)',
        cttSync(contenders, ledgerPath, dirs, home),
      );
      lastNoChangeSync = parseJson<SyncJson>('ctt sync --json', run.stdout);
      noChange.push(sample(run));
    }
    if (lastNoChangeSync === null) throw new Error('no no-change run');
    log(`  no-change syncs: ${noChange.map((s) => `${Math.round(s.wallMs)} ms`).join(', ')}`);
    return {
      cttFullSync: series(ctt),
      ccusageDaily: series(ccusage),
      cttNoChangeSync: series(noChange),
      ledgerPath,
      lastFullSync,
      lastNoChangeSync,
      ccusageJson,
      cleanup,
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
