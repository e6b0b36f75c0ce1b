/**
 * Reports against the corpus oracle: on a generated tree of every era and trap, `ctt daily`,
 * `session` and `model` (calculated costs, UTC) must equal the generator's own independent
 * totals, and the rollup they read must equal the responses it summarises.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../tools/corpus/generate-corpus.js';
import type { CorpusManifest, TokenTotals } from '../../tools/corpus/manifest.js';
import { rollupMismatches } from '../helpers/ledger.js';
import { runCtt } from './run-ctt.js';

interface JsonRow {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number | null;
}

function expectSame(row: JsonRow | undefined, expected: TokenTotals, label: string): void {
  expect(row, label).toBeDefined();
  if (row === undefined) return;
  expect(
    {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cacheCreationTokens: row.cacheCreationTokens,
      cacheReadTokens: row.cacheReadTokens,
      totalTokens: row.totalTokens,
    },
    label,
  ).toEqual({
    inputTokens: expected.inputTokens,
    outputTokens: expected.outputTokens,
    cacheCreationTokens: expected.cacheCreationTokens,
    cacheReadTokens: expected.cacheReadTokens,
    totalTokens: expected.totalTokens,
  });
  expect(row.totalCost ?? 0, `${label} cost`).toBeCloseTo(expected.costUsd, 6);
}

describe('reports equal the corpus oracle', () => {
  let root: string;
  let manifest: CorpusManifest;
  let args: string[];
  const env = (): Record<string, string> => ({ HOME: join(root, 'home-empty'), TZ: 'UTC' });
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ctt-oracle-'));
    manifest = await generateCorpus({
      root: join(root, 'corpus'),
      seed: 11,
      targetBytes: 3_000_000,
    });
    args = [
      ...manifest.configDirs.flatMap((dir) => ['--claude-dir', dir]),
      '--db',
      join(root, 'ledger.db'),
      '--mode',
      'calculate',
      '--json',
    ];
    const sync = runCtt(['sync', ...args.slice(0, -3)], env());
    expect(sync.status, sync.stderr).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('daily rows equal the oracle day by day', () => {
    const run = runCtt(['daily', '--no-sync', ...args], env());
    expect(run.status, run.stderr).toBe(0);
    const rows = (JSON.parse(run.stdout) as { daily: (JsonRow & { date: string })[] }).daily;
    const byDate = new Map(rows.map((row) => [row.date, row]));
    expect(rows.length).toBe(Object.keys(manifest.expected.byDay).length);
    for (const [day, expected] of Object.entries(manifest.expected.byDay)) {
      expectSame(byDate.get(day), expected, day);
    }
  });

  it('session and model rows equal the oracle', () => {
    const sessions = JSON.parse(runCtt(['session', '--no-sync', ...args], env()).stdout) as {
      sessions: (JsonRow & { sessionId: string; projectPath: string | null })[];
    };
    const bySession = new Map(sessions.sessions.map((row) => [row.sessionId, row]));
    for (const [id, expected] of Object.entries(manifest.expected.bySession)) {
      expectSame(bySession.get(id), expected, `session ${id}`);
      expect(bySession.get(id)?.projectPath, `cwd of ${id}`).toBe(expected.cwd);
    }
    const models = JSON.parse(runCtt(['model', '--no-sync', ...args], env()).stdout) as {
      models: (JsonRow & { model: string })[];
      unpricedModels: { model: string; totalTokens: number }[];
    };
    const byModel = new Map(models.models.map((row) => [row.model, row]));
    for (const [model, expected] of Object.entries(manifest.expected.byModel)) {
      expectSame(byModel.get(model), expected, `model ${model}`);
    }
    expect(Object.fromEntries(models.unpricedModels.map((m) => [m.model, m.totalTokens]))).toEqual(
      manifest.expected.unpricedModels,
    );
  });

  it('keeps the rollup equal to the responses it sums', () => {
    const db = new Database(join(root, 'ledger.db'), { readonly: true });
    try {
      expect(rollupMismatches(db)).toEqual([]);
    } finally {
      db.close();
    }
  });
});
