#!/usr/bin/env node
/**
 * `npm run bench`: ctt sync vs ccusage daily on generated corpora (≈100 MB and ≈1 GB by
 * default), wall time and peak RSS of each child process, the no-change sync, and a per-day
 * comparison of both tools with the corpus oracle, every difference explained by cause.
 * Everything runs sequentially so the measurements do not disturb each other.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { benchCorpus } from './bench-corpus.js';
import type { BenchOptions } from './bench-options.js';
import { parseBenchOptions, USAGE } from './bench-options.js';
import { findRepoRoot, locateContenders } from './contenders.js';
import type { CachedCorpus } from './corpus-cache.js';
import { ensureCorpus } from './corpus-cache.js';
import { chooseMeasureMethod, describeMethod } from './measure.js';
import { daysReport, explainReport } from './report-days.js';
import { figuresLine, timingReport } from './report-timing.js';
import type { BenchResults, CorpusResult } from './results.js';

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

async function run(options: BenchOptions): Promise<void> {
  const repoRoot = findRepoRoot();
  const contenders = locateContenders(repoRoot);
  const method = chooseMeasureMethod(options.measure);
  const cpus = availableParallelism();
  const print = (text: string): void => {
    if (!options.json) process.stdout.write(`${text}\n`);
  };
  print(
    `ctt (dist/src/main.js, Node ${process.versions.node}) vs ccusage ${contenders.ccusageVersion} (${contenders.ccusageVia}), TZ=UTC, ${cpus} cores`,
  );
  print(`measured with ${describeMethod(method)}; MB = 1024² bytes`);
  print('');
  // Generate every corpus first, so no generator garbage is around while children are timed.
  const corpora: CachedCorpus[] = [];
  for (const size of options.sizesBytes)
    corpora.push(await ensureCorpus(repoRoot, size, options.seed, log));
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
  const figures = figuresLine(results, cpus);
  const bench: BenchResults = {
    generatedAt: new Date().toISOString(),
    measureMethod: method,
    cpus,
    node: process.versions.node,
    ccusage: { version: contenders.ccusageVersion, via: contenders.ccusageVia },
    corpora: results,
    figures,
  };
  const benchDir = join(repoRoot, '.bench');
  mkdirSync(benchDir, { recursive: true });
  writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify(bench, null, 2)}\n`);
  log('results written to .bench/results.json');
  if (options.json) process.stdout.write(`${JSON.stringify(bench, null, 2)}\n`);
  else print(figures);
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
