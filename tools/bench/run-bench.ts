#!/usr/bin/env node
/**
 * `npm run bench`: ctt sync vs ccusage daily on generated corpora (≈100 MB and ≈1 GB by
 * default), wall time and peak RSS of each child process, the no-change sync, and a per-day
 * comparison of both tools with the corpus oracle, every difference explained by cause.
 * Then the reports (≈1 GB and ≈10 GB by default): every `ctt <report> --no-sync` on a ledger
 * built from the corpus, next to ccusage's same report re-reading the corpus. Then the tracker:
 * `ctt start`'s append-to-row latency, CPU and memory (tracker-bench.ts).
 * Everything runs sequentially so the measurements do not disturb each other.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { benchCorpus } from './bench-corpus.js';
import type { BenchOptions } from './bench-options.js';
import { parseBenchOptions, USAGE } from './bench-options.js';
import type { Contenders } from './contenders.js';
import { findRepoRoot, locateContenders } from './contenders.js';
import type { CachedCorpus } from './corpus-cache.js';
import { ensureCorpus } from './corpus-cache.js';
import type { CachedLedger } from './ledger-cache.js';
import { ensureLedger } from './ledger-cache.js';
import { chooseMeasureMethod, describeMethod } from './measure.js';
import { daysReport, explainReport } from './report-days.js';
import { figuresLine, timingReport } from './report-timing.js';
import { benchLedgerReports, reportSpecs } from './reports-bench.js';
import { ledgerReportsReport, reportsFiguresLine } from './reports-table.js';
import { benchTracker } from './tracker-bench.js';
import { trackerReport } from './tracker-report.js';
import type {
  BenchResults,
  CorpusResult,
  LedgerReportsResult,
  MeasureMethod,
  ReportsResults,
  TrackerResults,
} from './results.js';

const startedMs = performance.now();

function log(message: string): void {
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds} s] ${message}\n`);
}

function corpusReport(result: CorpusResult): string {
  return [
    timingReport(result),
    '',
    daysReport(result.days),
    '',
    explainReport(result.explain),
    '',
  ].join('\n');
}

/** The previous `.bench/results.json`, for the part this run does not produce. */
function readPrevious(path: string): Partial<BenchResults> {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partial<BenchResults>;
  } catch {
    return {};
  }
}

interface Context {
  readonly repoRoot: string;
  readonly contenders: Contenders;
  readonly method: MeasureMethod;
  readonly cpus: number;
  readonly print: (text: string) => void;
}

async function runSync(
  { contenders, method, print }: Context,
  options: BenchOptions,
  corpora: readonly CachedCorpus[],
): Promise<CorpusResult[]> {
  const results: CorpusResult[] = [];
  for (const corpus of corpora) {
    const result = await benchCorpus({
      contenders,
      method,
      corpus,
      runs: options.runs,
      explain: options.explain,
      log,
    });
    results.push(result);
    print(corpusReport(result));
  }
  return results;
}

async function runReports(
  { repoRoot, contenders, method, cpus, print }: Context,
  options: BenchOptions,
  corpora: readonly CachedCorpus[],
): Promise<ReportsResults> {
  // Build (or reuse) every ledger first, then time: no build is running while reports are timed.
  const ledgers: [CachedCorpus, CachedLedger][] = [];
  for (const corpus of corpora)
    ledgers.push([corpus, await ensureLedger(repoRoot, contenders, method, corpus, log)]);
  const specs = reportSpecs(contenders);
  const results: LedgerReportsResult[] = [];
  for (const [corpus, ledger] of ledgers) {
    const result = await benchLedgerReports({
      contenders,
      method,
      corpus,
      ledger,
      specs,
      runs: options.runs,
      cpus,
      log,
    });
    results.push(result);
    print(`${ledgerReportsReport(result)}\n`);
  }
  const partial: Omit<ReportsResults, 'figures'> = {
    generatedAt: new Date().toISOString(),
    measureMethod: method,
    cpus,
    node: process.versions.node,
    ccusage: { version: contenders.ccusageVersion, via: contenders.ccusageVia },
    ledgers: results,
  };
  return { ...partial, figures: reportsFiguresLine({ ...partial, figures: '' }) };
}

async function runTracker(
  { repoRoot, contenders, method, print }: Context,
  options: BenchOptions,
): Promise<TrackerResults> {
  const result = await benchTracker({
    repoRoot,
    contenders,
    method,
    appends: options.appends,
    files: options.trackerFiles,
    windowSeconds: options.trackerWindowSeconds,
    seed: options.seed,
    log,
  });
  print(trackerReport(result));
  return result;
}

async function run(options: BenchOptions): Promise<void> {
  const repoRoot = findRepoRoot();
  const contenders = locateContenders(repoRoot);
  const method = chooseMeasureMethod(options.measure);
  const cpus = availableParallelism();
  const print = (text: string): void => {
    if (!options.json) process.stdout.write(`${text}\n`);
  };
  const context: Context = { repoRoot, contenders, method, cpus, print };
  print(
    `ctt (dist/src/main.js, Node ${process.versions.node}) vs ccusage ${contenders.ccusageVersion} (${contenders.ccusageVia}), TZ=UTC, ${cpus} cores`,
  );
  print(`measured with ${describeMethod(method)}; MB = 1024² bytes`);
  print('');
  // Generate every corpus first, so no generator garbage is around while children are timed.
  const syncSizes = options.sync ? options.sizesBytes : [];
  const allSizes = [...new Set([...syncSizes, ...options.reportSizesBytes])].sort((a, b) => a - b);
  const bySize = new Map<number, CachedCorpus>();
  for (const size of allSizes)
    bySize.set(size, await ensureCorpus(repoRoot, size, options.seed, log));
  const corporaOf = (sizes: readonly number[]): CachedCorpus[] =>
    sizes.flatMap((size) => {
      const corpus = bySize.get(size);
      return corpus === undefined ? [] : [corpus];
    });
  const syncResults = options.sync ? await runSync(context, options, corporaOf(syncSizes)) : null;
  const reports =
    options.reportSizesBytes.length > 0
      ? await runReports(context, options, corporaOf(options.reportSizesBytes))
      : null;
  const tracker = options.tracker ? await runTracker(context, options) : null;
  const benchDir = join(repoRoot, '.bench');
  const resultsPath = join(benchDir, 'results.json');
  const previous = readPrevious(resultsPath);
  const syncPart =
    syncResults === null
      ? {
          generatedAt: previous.generatedAt ?? new Date().toISOString(),
          measureMethod: previous.measureMethod ?? method,
          cpus: previous.cpus ?? cpus,
          node: previous.node ?? process.versions.node,
          ccusage: previous.ccusage ?? {
            version: contenders.ccusageVersion,
            via: contenders.ccusageVia,
          },
          corpora: previous.corpora ?? [],
          figures: previous.figures ?? '',
        }
      : {
          generatedAt: new Date().toISOString(),
          measureMethod: method,
          cpus,
          node: process.versions.node,
          ccusage: { version: contenders.ccusageVersion, via: contenders.ccusageVia },
          corpora: syncResults,
          figures: figuresLine(syncResults, cpus),
        };
  const reportsPart = reports ?? previous.reports;
  const trackerPart = tracker ?? previous.tracker;
  const bench: BenchResults = {
    ...syncPart,
    ...(reportsPart === undefined ? {} : { reports: reportsPart }),
    ...(trackerPart === undefined ? {} : { tracker: trackerPart }),
  };
  mkdirSync(benchDir, { recursive: true });
  writeFileSync(resultsPath, `${JSON.stringify(bench, null, 2)}\n`);
  log(
    `results written to .bench/results.json${syncResults === null && previous.corpora !== undefined ? ' (sync part carried over)' : ''}${reports === null && previous.reports !== undefined ? ' (reports part carried over)' : ''}${tracker === null && previous.tracker !== undefined ? ' (tracker part carried over)' : ''}`,
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify(bench, null, 2)}\n`);
    return;
  }
  if (syncResults !== null) print(syncPart.figures);
  if (reports !== null) print(reports.figures);
  if (tracker !== null) print(tracker.figures);
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  await run(options);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
