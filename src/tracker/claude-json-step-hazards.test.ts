/**
 * The claude-json step under what Claude Code does to the file (reliability §2.7): resets to `{}`
 * or to defaults, stale backup restores, torn files, a missing file; and under what happens to
 * the tracker: a crash between the read and the commit, a restart, a second tracker. Never a
 * negative or false delta, each condition reported once, each rise recorded exactly once.
 */
import { openSync, closeSync, ftruncateSync, unlinkSync, writeSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../store/database.js';
import {
  claudeJsonText,
  makeClaudeJsonBench,
  type ClaudeJsonBench,
  type ProjectsSpec,
} from '../../test/helpers/claude-json-file.js';
import { ClaudeJsonTracker, type ClaudeJsonTrackerOptions } from './claude-json-step.js';

const WEBAPP = '/home/alice/src/webapp';
const API = '/home/alice/src/api';
const A = 'session-a';
const B = 'session-b';

const V1: ProjectsSpec = {
  [WEBAPP]: { id: A, counters: { inputTokens: 1_000, outputTokens: 2_000, costUsd: 1.5 } },
  [API]: { id: B, counters: { inputTokens: 50, cacheReadTokens: 9_000, costUsd: 0.2 } },
};
const V2: ProjectsSpec = {
  ...V1,
  [WEBAPP]: { id: A, counters: { inputTokens: 1_400, outputTokens: 2_600, costUsd: 1.9 } },
};

let bench: ClaudeJsonBench;
beforeEach(() => (bench = makeClaudeJsonBench()));
afterEach(() => bench.cleanup());

const tracker = (options: ClaudeJsonTrackerOptions = {}) =>
  new ClaudeJsonTracker(bench.db, bench.path, bench.clock, {
    retries: 1,
    retryDelayMs: 1,
    ...options,
  });

/** Baseline at V1, then V2 recorded: the state every hazard starts from. */
async function started(): Promise<ClaudeJsonTracker> {
  bench.write(V1);
  const step = tracker();
  await step.poll();
  bench.write(V2);
  expect((await step.poll()).changes.map((c) => c.delta.inputTokens)).toEqual([400]);
  return step;
}

function negativeDeltas(): number {
  return bench.trail().filter((c) => Object.values(c.delta).some((v) => v < 0)).length;
}

/** Σ inputTokens recorded per session beyond the baseline. */
function inputBySession(): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const c of bench.trail()) {
    if (c.sessionId !== null) sums[c.sessionId] = (sums[c.sessionId] ?? 0) + c.delta.inputTokens;
  }
  return sums;
}

describe('claude-json step: file hazards', () => {
  it('a reset to {} or to JSON without projects is retried, reported once, never read as zero', async () => {
    const step = await started();
    for (const text of ['{}', '{"numStartups": 1, "userID": "u-1"}']) {
      bench.writeText(text);
      const first = await step.poll();
      expect(first).toMatchObject({
        outcome: 'unstable',
        reason: expect.stringMatching(/^no projects/) as string,
      });
      expect(first.changes.map((c) => c.kind)).toEqual(['anomaly-no-projects']);
      expect(await step.poll()).toMatchObject({ outcome: 'unstable', changes: [] });
      bench.write(V2); // the real file comes back: the same bytes as the last good read
      expect(await step.poll()).toMatchObject({ outcome: 'unchanged', changes: [] });
    }
    expect(inputBySession()).toEqual({ [A]: 400, [B]: 0 });
  });

  it('a reset to defaults (projects without last*) is one anomaly per project, then the values come back without a delta', async () => {
    const step = await started();
    bench.write({ [WEBAPP]: null, [API]: null });
    const reset = await step.poll();
    expect(reset.changes.map((c) => [c.kind, c.project])).toEqual([
      ['anomaly-reset', WEBAPP],
      ['anomaly-reset', API],
    ]);
    expect(reset.changes[0]?.detail?.['fields']).toContainEqual({
      key: 'inputTokens',
      mark: 1_400,
      value: null,
    });
    expect((await step.poll()).changes).toEqual([]);
    await tracker().poll(); // a restart while the reset lasts does not report it again
    expect(bench.trail().filter((c) => c.kind === 'anomaly-reset')).toHaveLength(2);
    bench.write(V2);
    expect((await step.poll()).changes).toEqual([]);
    expect(inputBySession()).toEqual({ [A]: 400, [B]: 0 });
    expect(negativeDeltas()).toBe(0);
  });

  it('a stale backup restore is an anomaly, and the newer values coming back add nothing', async () => {
    const step = await started();
    bench.write(V1); // the backup from before V2
    const restore = await step.poll();
    expect(restore.changes.map((c) => [c.kind, c.project, c.delta.inputTokens])).toEqual([
      ['anomaly-decrease', WEBAPP, 0],
    ]);
    expect((await step.poll()).changes).toEqual([]);
    const restarted = tracker();
    expect((await restarted.poll()).changes).toEqual([]); // the open anomaly survives a restart
    bench.write(V2);
    expect((await restarted.poll()).changes).toEqual([]);
    bench.write({
      ...V2,
      [WEBAPP]: { id: A, counters: { inputTokens: 1_450, outputTokens: 2_600, costUsd: 1.9 } },
    });
    expect((await restarted.poll()).changes.map((c) => c.delta.inputTokens)).toEqual([50]);
    expect(inputBySession()).toEqual({ [A]: 450, [B]: 0 });
    expect(negativeDeltas()).toBe(0);
  });

  it('a torn file is retried at the next poll (torn reads counted), never a delta', async () => {
    const step = await started();
    const whole = claudeJsonText({
      ...V2,
      [API]: { id: B, counters: { inputTokens: 80, cacheReadTokens: 9_000, costUsd: 0.2 } },
    });
    bench.writeText(whole.slice(0, Math.floor(whole.length / 2)));
    const goodReadMs = step.lastGoodReadMs;
    const torn = await step.poll();
    expect(torn).toMatchObject({ outcome: 'unstable', changes: [], tornReads: 2 });
    expect(torn.reason).toMatch(/^parse error/);
    expect(step.lastGoodReadMs).toBe(goodReadMs);
    bench.writeText(whole);
    expect((await step.poll()).changes.map((c) => [c.sessionId, c.delta.inputTokens])).toEqual([
      [B, 30],
    ]);
    expect(inputBySession()).toEqual({ [A]: 400, [B]: 30 });
  });

  it('a file truncated in place while being rewritten is a torn read, not an empty file', async () => {
    const step = await started();
    const fd = openSync(bench.path, 'r+');
    ftruncateSync(fd, 0);
    writeSync(fd, '{"projects": {');
    const torn = await step.poll();
    expect(torn).toMatchObject({ outcome: 'unstable', changes: [] });
    closeSync(fd);
    bench.write(V2);
    expect((await step.poll()).changes).toEqual([]);
  });

  it('a missing file is reported once, and its return with the same content adds nothing', async () => {
    const step = await started();
    unlinkSync(bench.path);
    const gone = await step.poll();
    expect(gone.outcome).toBe('missing');
    expect(gone.changes.map((c) => c.kind)).toEqual(['anomaly-missing']);
    expect(await step.poll()).toMatchObject({ outcome: 'missing', changes: [] });
    expect((await tracker().poll()).changes).toEqual([]); // nor again after a restart
    bench.write(V2);
    expect(await step.poll()).toMatchObject({ outcome: 'unchanged', changes: [] });
    unlinkSync(bench.path);
    expect((await step.poll()).changes.map((c) => c.kind)).toEqual(['anomaly-missing']);
  });
});

describe('claude-json step: crashes, restarts and a second tracker', () => {
  it('a crash between the read and the commit writes nothing; the restart records the rise once', async () => {
    bench.write(V1);
    await tracker().poll();
    bench.write(V2);
    const crashing = tracker({
      beforeCommit: () => {
        throw new Error('killed before commit');
      },
    });
    expect(await crashing.poll()).toMatchObject({
      outcome: 'error',
      changes: [],
      reason: 'killed before commit',
    });
    expect(bench.trail().map((c) => c.kind)).toEqual(['baseline', 'baseline']);
    bench.reopen();
    const restarted = tracker();
    const result = await restarted.poll();
    expect(result.changes.map((c) => [c.kind, c.delta.inputTokens])).toEqual([['updated', 400]]);
    expect((await tracker().poll()).changes).toEqual([]); // another restart: nothing new
    expect(inputBySession()).toEqual({ [A]: 400, [B]: 0 });
  });

  it('a failed commit is retried by the same tracker at its next poll (the fingerprint did not move)', async () => {
    bench.write(V1);
    let failing = false;
    const step = tracker({
      beforeCommit: () => {
        if (failing) throw new Error('disk full');
      },
    });
    await step.poll();
    bench.write(V2);
    failing = true;
    expect((await step.poll()).outcome).toBe('error');
    failing = false;
    expect((await step.poll()).changes.map((c) => c.delta.inputTokens)).toEqual([400]);
  });

  it('two trackers on one ledger (two connections) record each rise once', async () => {
    bench.write(V1);
    const first = tracker();
    const otherDb = openLedger(bench.ledgerPath);
    const second = new ClaudeJsonTracker(otherDb, bench.path, bench.clock, { retryDelayMs: 1 });
    await first.poll();
    expect((await second.poll()).changes).toEqual([]); // the baseline is taken once
    bench.write(V2);
    const [a, b] = [await first.poll(), await second.poll()];
    expect([...a.changes, ...b.changes].map((c) => c.delta.inputTokens)).toEqual([400]);
    expect(inputBySession()).toEqual({ [A]: 400, [B]: 0 });
    otherDb.close();
  });
});
