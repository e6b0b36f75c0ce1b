/**
 * The claude-json step on real files and a real ledger: what a session's save records, with
 * exactly which deltas, and that the first run only adopts what is there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changesAfter, ZERO_DELTA } from '../store/change-log.js';
import { loadHighWater } from '../store/claude-json-marks.js';
import { makeClaudeJsonBench, type ClaudeJsonBench } from '../../test/helpers/claude-json-file.js';
import { ClaudeJsonTracker } from './claude-json-step.js';

const WEBAPP = '/home/alice/src/webapp';
const API = '/home/alice/src/api';
const A = '5b0e6c1a-3d7e-4c55-9b1e-6f2f0d1b9a77';
const B = '0c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5';
const OPUS = 'claude-opus-5-5';
const HAIKU = 'claude-haiku-5-5';

const A_TOTALS = {
  costUsd: 4.18237,
  inputTokens: 18_231,
  outputTokens: 61_204,
  cacheCreationTokens: 402_118,
  cacheReadTokens: 6_120_442,
  webSearchRequests: 2,
  linesAdded: 212,
  linesRemoved: 37,
  apiDurationMs: 412_233,
  durationMs: 3_120_455,
};

let bench: ClaudeJsonBench;
beforeEach(() => (bench = makeClaudeJsonBench()));
afterEach(() => bench.cleanup());

const tracker = () => new ClaudeJsonTracker(bench.db, bench.path, bench.clock, { retryDelayMs: 1 });

describe('claude-json step: the first run', () => {
  it('adopts the file as a baseline: one row per project with its totals and no delta', async () => {
    bench.write({
      [WEBAPP]: { id: A, counters: A_TOTALS, models: { [OPUS]: { inputTokens: 16_011 } } },
      [API]: null,
    });
    const step = tracker();
    const first = await step.poll();
    expect(first.outcome).toBe('changed');
    expect(first.changes).toHaveLength(1);
    const [row] = first.changes;
    expect(row).toMatchObject({
      kind: 'baseline',
      project: WEBAPP,
      sessionId: A,
      delta: ZERO_DELTA,
    });
    expect(row?.detail).toMatchObject({
      to: A_TOTALS,
      modelsTo: { [OPUS]: { inputTokens: 16_011 } },
    });
    expect(step.lastGoodReadMs).not.toBeNull();
    expect(await step.poll()).toMatchObject({ outcome: 'unchanged', changes: [] });
    expect(loadHighWater(bench.db).projects.get(WEBAPP)?.currentSessionId).toBe(A);
  });

  it('a file without sessions is a baseline too: a project seen later is new and counts', async () => {
    bench.write({ [WEBAPP]: null });
    const step = tracker();
    expect((await step.poll()).changes).toMatchObject([{ kind: 'baseline', project: null }]);
    bench.write({
      [WEBAPP]: null,
      [API]: { id: B, counters: { inputTokens: 500, costUsd: 0.25 } },
    });
    const saved = await step.poll();
    expect(saved.changes).toMatchObject([
      {
        kind: 'session-saved',
        project: API,
        sessionId: B,
        delta: { inputTokens: 500, costUsd: 0.25 },
      },
    ]);
    // a restart on a ledger that saw a baseline does not adopt again
    bench.write({ [API]: { id: B, counters: { inputTokens: 900, costUsd: 0.25 } } });
    const restarted = await tracker().poll();
    expect(restarted.changes.map((c) => [c.kind, c.delta.inputTokens])).toEqual([['updated', 400]]);
  });
});

describe('claude-json step: what a save records', () => {
  let step: ClaudeJsonTracker;
  beforeEach(async () => {
    bench.write({ [WEBAPP]: { id: A, counters: A_TOTALS } });
    step = tracker();
    await step.poll(); // the baseline
  });

  it('SEED: a session whose only change at its end is cache tokens and cost records exactly those deltas', async () => {
    bench.write({
      [WEBAPP]: {
        id: A,
        counters: {
          ...A_TOTALS,
          cacheCreationTokens: 402_118 + 4_096,
          cacheReadTokens: 6_120_442 + 81_920,
          costUsd: 4.18237 + 0.0648,
        },
      },
    });
    const result = await step.poll();
    expect(result.outcome).toBe('changed');
    expect(result.changes).toHaveLength(1);
    const [row] = result.changes;
    expect(row).toMatchObject({
      source: 'claude-json',
      kind: 'updated',
      project: WEBAPP,
      sessionId: A,
    });
    expect(row?.delta).toEqual({
      ...ZERO_DELTA,
      cacheCreationTokens: 4_096,
      cacheReadTokens: 81_920,
      costUsd: expect.closeTo(0.0648, 9) as number,
    });
    expect(row?.detail).toMatchObject({
      previousSessionId: A,
      to: { cacheCreationTokens: 406_214, cacheReadTokens: 6_202_362, inputTokens: 18_231 },
    });
  });

  it('a session that changes only lines added and removed is recorded, with no tokens', async () => {
    bench.write({
      [WEBAPP]: { id: A, counters: { ...A_TOTALS, linesAdded: 260, linesRemoved: 40 } },
    });
    const [row] = (await step.poll()).changes;
    expect(row?.kind).toBe('updated');
    expect(row?.delta).toEqual({ ...ZERO_DELTA, linesAdded: 48, linesRemoved: 3 });
  });

  it('a new lastSessionId with no counter change still records a session-saved row', async () => {
    bench.write({ [WEBAPP]: { id: B, counters: { inputTokens: 0, outputTokens: 0, costUsd: 0 } } });
    const result = await step.poll();
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      kind: 'session-saved',
      sessionId: B,
      delta: ZERO_DELTA,
      detail: { previousSessionId: A },
    });
    bench.write({ [WEBAPP]: { id: null } }); // and with no counters and no id at all: nothing new
    expect((await step.poll()).changes.map((c) => c.kind)).toEqual(['anomaly-reset']);
  });

  it('per-model and duration deltas go to detail; the session totals to the columns', async () => {
    bench.write({
      [WEBAPP]: {
        id: B,
        counters: { inputTokens: 1_200, outputTokens: 300, costUsd: 0.5, apiDurationMs: 9_000 },
        models: {
          [OPUS]: { inputTokens: 1_000, costUSD: 0.45 },
          [HAIKU]: { inputTokens: 200, costUSD: 0.05 },
        },
      },
    });
    const [saved] = (await step.poll()).changes;
    expect(saved?.delta).toEqual({
      ...ZERO_DELTA,
      inputTokens: 1_200,
      outputTokens: 300,
      costUsd: 0.5,
    });
    expect(saved?.detail).toMatchObject({
      models: {
        [OPUS]: { inputTokens: 1_000, costUSD: 0.45 },
        [HAIKU]: { inputTokens: 200, costUSD: 0.05 },
      },
      durations: { apiDurationMs: 9_000 },
      versionBase: '2.1.332',
      gracefulShutdown: true,
      startTimeMs: 1_764_849_611_000,
    });
    bench.write({
      [WEBAPP]: {
        id: B,
        counters: { inputTokens: 1_500, outputTokens: 300, costUsd: 0.6, apiDurationMs: 9_500 },
        models: {
          [OPUS]: { inputTokens: 1_300, costUSD: 0.55 },
          [HAIKU]: { inputTokens: 200, costUSD: 0.05 },
        },
      },
    });
    const [updated] = (await step.poll()).changes;
    expect(updated?.delta).toEqual({
      ...ZERO_DELTA,
      inputTokens: 300,
      costUsd: expect.closeTo(0.1, 9) as number,
    });
    expect(updated?.detail?.['models']).toEqual({
      [OPUS]: { inputTokens: 300, costUSD: expect.closeTo(0.1, 9) as number },
    });
    expect(updated?.detail?.['durations']).toEqual({ apiDurationMs: 500 });
  });

  it('the rows a poll returns are the rows the ledger holds, ids and all', async () => {
    bench.write({
      [WEBAPP]: { id: B, counters: { inputTokens: 10 } },
      [API]: { id: A, counters: { outputTokens: 5 } },
    });
    const result = await step.poll();
    expect(result.changes).toHaveLength(2);
    const first = result.changes[0]?.id ?? 0;
    expect(changesAfter(bench.db, first - 1)).toEqual(result.changes);
  });

  it('a resumed older session counts only what it adds above its own marks', async () => {
    bench.write({ [WEBAPP]: { id: B, counters: { inputTokens: 100 } } });
    await step.poll();
    bench.write({
      [WEBAPP]: { id: A, counters: { ...A_TOTALS, inputTokens: A_TOTALS.inputTokens + 70 } },
    });
    const [row] = (await step.poll()).changes;
    expect(row).toMatchObject({
      kind: 'session-resumed',
      sessionId: A,
      detail: { previousSessionId: B },
    });
    expect(row?.delta).toEqual({ ...ZERO_DELTA, inputTokens: 70 });
  });
});
