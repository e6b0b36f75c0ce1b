#!/usr/bin/env node
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus } from './generate-corpus.js';
import type { CorpusOptions } from './generate-corpus.js';
import type { CorpusManifest } from './manifest.js';

const USAGE = `usage: node dist/tools/corpus/cli.js --root DIR --seed N --bytes 1e8 [--no-traps]
       [--oversize-line BYTES] [--start 2025-05-01T00:00:00Z] [--days 60] [--force]

Writes a synthetic Claude Code config tree under DIR/home and its oracle to DIR/manifest.json.
--force first deletes DIR/home and DIR/manifest.json from an earlier run.`;

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got ${value}`);
  return parsed;
}

function parseOptions(argv: string[]): { options: CorpusOptions; force: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      root: { type: 'string' },
      seed: { type: 'string' },
      bytes: { type: 'string' },
      'no-traps': { type: 'boolean', default: false },
      'oversize-line': { type: 'string' },
      start: { type: 'string' },
      days: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const seed = numberOption('seed', values.seed);
  const targetBytes = numberOption('bytes', values.bytes);
  if (values.root === undefined || seed === undefined || targetBytes === undefined) {
    throw new Error('--root, --seed and --bytes are required');
  }
  const options: CorpusOptions = {
    root: resolve(values.root),
    seed,
    targetBytes,
    traps: !values['no-traps'],
  };
  const oversize = numberOption('oversize-line', values['oversize-line']);
  if (oversize !== undefined) options.oversizeLineBytes = oversize;
  const days = numberOption('days', values.days);
  if (days !== undefined) options.days = days;
  if (values.start !== undefined) {
    const startTimeMs = Date.parse(values.start);
    if (Number.isNaN(startTimeMs))
      throw new Error(`--start must be an ISO date, got ${values.start}`);
    options.startTimeMs = startTimeMs;
  }
  return { options, force: values.force };
}

function summary(manifest: CorpusManifest, elapsedMs: number): string {
  const { expected } = manifest;
  const t = expected.totals;
  const megabytes = manifest.bytes / 1e6;
  const rows: [string, string][] = [
    ['files', String(manifest.files)],
    ['bytes', `${manifest.bytes} (${megabytes.toFixed(1)} MB)`],
    ['lines', String(manifest.lines)],
    ['responses', String(expected.responses)],
    ['usage lines', String(expected.usageLines)],
    ['quarantined lines', String(expected.quarantinedLines)],
    ['fork copies', String(expected.forkCopies)],
    ['sidechain replays', String(expected.sidechainReplays)],
    ['total tokens', String(t.totalTokens)],
    ['cost (calculate)', `$${t.costUsd.toFixed(4)}`],
    ['cost (auto)', `$${t.costUsdAuto.toFixed(4)}`],
    [
      'days / models / sessions',
      `${Object.keys(expected.byDay).length} / ${Object.keys(expected.byModel).length} / ${Object.keys(expected.bySession).length}`,
    ],
    ['unpriced models', Object.keys(expected.unpricedModels).join(', ') || '-'],
    [
      'pending tail',
      expected.pendingTail === null
        ? '-'
        : `${expected.pendingTail.bytes} B in ${expected.pendingTail.file}`,
    ],
    [
      'oversize line',
      expected.oversizeLine === null
        ? '-'
        : `${expected.oversizeLine.bytes} B in ${expected.oversizeLine.file}`,
    ],
    ['config dirs', manifest.configDirs.join(',')],
    [
      'elapsed',
      `${(elapsedMs / 1000).toFixed(2)} s (${(megabytes / (elapsedMs / 1000)).toFixed(0)} MB/s)`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

async function main(): Promise<void> {
  const { options, force } = parseOptions(process.argv.slice(2));
  if (force) {
    rmSync(join(options.root, 'home'), { recursive: true, force: true });
    rmSync(join(options.root, 'manifest.json'), { force: true });
  }
  const started = performance.now();
  const manifest = await generateCorpus(options);
  process.stdout.write(`${summary(manifest, performance.now() - started)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `corpus: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`,
  );
  process.exitCode = 1;
});
