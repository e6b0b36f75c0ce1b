import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Contenders, Invocation } from './contenders.js';
import { ccusageHasCommand, ccusageReport, cttReport } from './contenders.js';
import type { CachedCorpus, Log } from './corpus-cache.js';
import { warmPageCache } from './corpus-cache.js';
import type { CachedLedger } from './ledger-cache.js';
import { warmFile } from './ledger-cache.js';
import type { ChildRun } from './measure.js';
import { runMeasured } from './measure.js';
import type {
  Goal,
  LedgerReportsResult,
  MeasuredSeries,
  MeasureMethod,
  ReportTiming,
  RunSample,
} from './results.js';
import { formatCount, humanBytes, median } from './token-fields.js';

/**
 * The reports benchmark of one ledger: every `ctt <report> --no-sync --json` on the ledger,
 * next to ccusage's same report (or the nearest one) re-reading the corpus the ledger was built
 * from. Both tools' inputs are read once first (page cache warm), then `runs` rounds, each
 * round running every report once with each tool, the tools alternating which goes first.
 */

export interface ReportSpec {
  readonly name: string;
  /** ccusage's arguments before `--offline --json`, or null when it has nothing comparable. */
  readonly ccusage: readonly string[] | null;
  readonly ccusageNote: string;
}

/** The reports in the order they are timed and printed, with ccusage's counterparts. */
export function reportSpecs(contenders: Contenders): ReportSpec[] {
  const hasHourly = ccusageHasCommand(contenders, 'hourly');
  const v = contenders.ccusageVersion;
  return [
    { name: 'daily', ccusage: ['daily'], ccusageNote: 'daily' },
    { name: 'weekly', ccusage: ['weekly'], ccusageNote: 'weekly' },
    { name: 'monthly', ccusage: ['monthly'], ccusageNote: 'monthly' },
    hasHourly
      ? { name: 'hourly', ccusage: ['hourly'], ccusageNote: 'hourly' }
      : { name: 'hourly', ccusage: null, ccusageNote: `n/a: ccusage ${v} has no hourly report` },
    { name: 'session', ccusage: ['session'], ccusageNote: 'session' },
    {
      name: 'project',
      ccusage: ['claude', 'daily', '--instances'],
      ccusageNote: 'claude daily --instances (nearest; no project report)',
    },
    {
      name: 'model',
      ccusage: ['claude', 'monthly', '--breakdown'],
      ccusageNote: 'claude monthly --breakdown (nearest; no model report)',
    },
    { name: 'blocks', ccusage: ['blocks'], ccusageNote: 'blocks' },
    { name: 'report', ccusage: null, ccusageNote: 'n/a: ccusage has no summary report' },
  ];
}

/** ≤ 150 ms on a ledger of up to 1 GB of transcripts, ≤ 300 ms up to 10 GB. */
export function goalMsFor(targetBytes: number): number | null {
  if (targetBytes <= 1e9) return 150;
  if (targetBytes <= 1e10) return 300;
  return null;
}

const KB_PER_MB = 1024;
const QUIET_POLL_MS = 5_000;
/** Before the first round; later rounds wait at most QUIET_MAX_WAIT_LATER_MS. */
const QUIET_MAX_WAIT_MS = 120_000;
const QUIET_MAX_WAIT_LATER_MS = 30_000;

function sample(run: ChildRun): RunSample {
  return {
    wallMs: Math.round(run.wallMs * 10) / 10,
    peakRssMb: Math.round((run.peakRssKb / KB_PER_MB) * 10) / 10,
  };
}

function series(samples: RunSample[]): MeasuredSeries {
  return {
    samples,
    medianWallMs: median(samples.map((s) => s.wallMs)),
    medianPeakRssMb: median(samples.map((s) => s.peakRssMb)),
  };
}

/** Waits (at most `maxWaitMs`) until the 1-minute load average is below 60 % of the cores. */
async function waitForQuiet(cpus: number, maxWaitMs: number, log: Log): Promise<number> {
  const limit = cpus * 0.6;
  const startedMs = performance.now();
  let load = loadavg()[0] ?? 0;
  if (load >= limit) log(`  1-min load ${load.toFixed(2)} ≥ ${limit.toFixed(1)}: waiting…`);
  while (load >= limit && performance.now() - startedMs < maxWaitMs) {
    await sleep(QUIET_POLL_MS);
    load = loadavg()[0] ?? 0;
  }
  if (load >= limit) log(`  1-min load still ${load.toFixed(2)}: timing anyway`);
  return Math.round(load * 100) / 100;
}

function arrayLength(value: unknown): number | null {
  return Array.isArray(value) ? value.length : null;
}

const ROW_KEYS = ['daily', 'weekly', 'monthly', 'hourly', 'sessions', 'session', 'blocks'];

/** Rows in a report's JSON, to show both tools answered about the same data. */
export function countRows(report: string, tool: 'ctt' | 'ccusage', json: unknown): number | null {
  if (typeof json !== 'object' || json === null) return null;
  const record = json as Record<string, unknown>;
  if (report === 'project') {
    const projects = record['projects'];
    if (Array.isArray(projects)) return projects.length;
    return typeof projects === 'object' && projects !== null ? Object.keys(projects).length : null;
  }
  if (report === 'model') {
    if (tool === 'ctt') return arrayLength(record['models']);
    const months = record['monthly'];
    if (!Array.isArray(months)) return null;
    const models = new Set<string>();
    for (const month of months as { modelBreakdowns?: { modelName?: unknown }[] }[])
      for (const b of month.modelBreakdowns ?? [])
        if (typeof b.modelName === 'string') models.add(b.modelName);
    return models.size;
  }
  for (const key of ROW_KEYS) {
    const n = arrayLength(record[key]);
    if (n !== null) return n;
  }
  return null;
}

function parseJson(what: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${what} did not print JSON: ${text.slice(0, 300)}`);
  }
}

async function runOnce(
  method: MeasureMethod,
  what: string,
  invocation: Invocation,
): Promise<{ sample: RunSample; json: unknown }> {
  const run = await runMeasured(method, invocation.command, invocation.args, invocation.env);
  if (run.exitCode !== 0) {
    const why = run.signal !== null ? `signal ${run.signal}` : `exit code ${String(run.exitCode)}`;
    throw new Error(`${what} failed (${why}):\n${run.stderr.slice(-2000)}`);
  }
  return { sample: sample(run), json: parseJson(what, run.stdout) };
}

export interface BenchLedgerInput {
  readonly contenders: Contenders;
  readonly method: MeasureMethod;
  readonly corpus: CachedCorpus;
  readonly ledger: CachedLedger;
  readonly specs: readonly ReportSpec[];
  readonly runs: number;
  readonly cpus: number;
  readonly log: Log;
}

interface Collected {
  readonly ctt: RunSample[];
  readonly ccusage: RunSample[];
  cttRows: number | null;
  ccusageRows: number | null;
}

export async function benchLedgerReports({
  contenders,
  method,
  corpus,
  ledger,
  specs,
  runs,
  cpus,
  log,
}: BenchLedgerInput): Promise<LedgerReportsResult> {
  const dirs = corpus.manifest.configDirs;
  log(
    `ledger ${corpus.label}: warming the page cache (ledger ${humanBytes(warmFile(ledger.path))}, corpus ${humanBytes(warmPageCache(dirs))})`,
  );
  const collected = new Map<string, Collected>(
    specs.map((s) => [s.name, { ctt: [], ccusage: [], cttRows: null, ccusageRows: null }]),
  );
  const loadAverages: number[] = [];
  const work = mkdtempSync(join(tmpdir(), 'ctt-bench-reports-'));
  let homes = 0;
  const freshHome = (): string => mkdtempSync(join(work, `home-${homes++}-`));
  try {
    for (let round = 0; round < runs; round++) {
      const maxWaitMs = round === 0 ? QUIET_MAX_WAIT_MS : QUIET_MAX_WAIT_LATER_MS;
      loadAverages.push(await waitForQuiet(cpus, maxWaitMs, log));
      const cttFirst = round % 2 === 0;
      const parts: string[] = [];
      for (const spec of specs) {
        const into = collected.get(spec.name);
        if (into === undefined) continue;
        for (const tool of cttFirst ? ['ctt', 'ccusage'] : ['ccusage', 'ctt']) {
          if (tool === 'ctt') {
            const { sample: s, json } = await runOnce(
              method,
              `ctt ${spec.name}`,
              cttReport(contenders, spec.name, ledger.path, dirs, freshHome()),
            );
            into.ctt.push(s);
            into.cttRows = countRows(spec.name, 'ctt', json);
          } else if (spec.ccusage !== null) {
            const { sample: s, json } = await runOnce(
              method,
              `ccusage ${spec.ccusage.join(' ')}`,
              ccusageReport(contenders, spec.ccusage, dirs, freshHome()),
            );
            into.ccusage.push(s);
            into.ccusageRows = countRows(spec.name, 'ccusage', json);
          }
        }
        const ctt = into.ctt[into.ctt.length - 1];
        const cc = into.ccusage[into.ccusage.length - 1];
        parts.push(
          `${spec.name} ${ctt === undefined ? '-' : Math.round(ctt.wallMs)}/${cc === undefined ? '-' : formatCount(Math.round(cc.wallMs))}`,
        );
      }
      log(
        `  round ${round + 1}/${runs} (${cttFirst ? 'ctt first' : 'ccusage first'}; ms ctt/ccusage): ${parts.join(', ')}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const goalMs = goalMsFor(corpus.targetBytes);
  const reports: ReportTiming[] = specs.map((spec) => {
    const c = collected.get(spec.name) ?? {
      ctt: [],
      ccusage: [],
      cttRows: null,
      ccusageRows: null,
    };
    const ctt = series(c.ctt);
    const ccusage = c.ccusage.length === 0 ? null : series(c.ccusage);
    return {
      report: spec.name,
      cttArgs: [
        spec.name,
        '--no-sync',
        '--json',
        '--db',
        '<ledger>',
        '--claude-dir',
        '<each config dir>',
      ],
      ctt,
      cttRows: c.cttRows,
      ccusageArgs: spec.ccusage === null ? null : [...spec.ccusage, '--offline', '--json'],
      ccusage,
      ccusageRows: c.ccusageRows,
      ccusageNote: spec.ccusageNote,
      speedup:
        ccusage === null ? null : Math.round((ccusage.medianWallMs / ctt.medianWallMs) * 10) / 10,
      goalMs,
      met: goalMs === null ? null : ctt.medianWallMs <= goalMs,
    };
  });
  return {
    label: corpus.label,
    seed: corpus.seed,
    targetBytes: corpus.targetBytes,
    corpusDir: corpus.relativeDir,
    corpusBytes: corpus.manifest.bytes,
    corpusFiles: corpus.manifest.files,
    corpusGenerationMs: corpus.generationMs,
    ledger: ledger.relativePath,
    ledgerBytes: ledger.bytes,
    ledgerResponses: ledger.responses,
    expectedResponses: corpus.manifest.expected.responses,
    ledgerBuild: ledger.build,
    runs,
    loadAverages,
    goalMs,
    reports,
    goals: goalsOf(reports, goalMs),
  };
}

function goalsOf(reports: readonly ReportTiming[], goalMs: number | null): Goal[] {
  if (goalMs === null || reports.length === 0) return [];
  const slowest = reports.reduce((a, b) => (b.ctt.medianWallMs > a.ctt.medianWallMs ? b : a));
  return [
    {
      name: 'every ctt report, process start included',
      target: `≤ ${goalMs} ms`,
      actual: `slowest ${slowest.report} ${formatCount(Math.round(slowest.ctt.medianWallMs))} ms`,
      met: reports.every((r) => r.met === true),
    },
  ];
}
