import { describe, expect, it } from 'vitest';
import {
  EMPTY_HIGH_WATER,
  highWaterFromMarks,
  listMarks,
  type HighWater,
} from './counter-marks.js';
import { trackCounters, type TrackResult } from './counter-tracking.js';
import {
  COUNTER_FIELDS,
  type CounterValues,
  type ModelCounters,
  type ProjectSnapshot,
} from './counter-values.js';

const P = '/home/alice/src/webapp';
const Q = '/home/alice/src/api';
const NULL_COUNTERS = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, null])) as Record<
  keyof CounterValues,
  null
>;
const NULL_MODEL: ModelCounters = {
  inputTokens: null,
  outputTokens: null,
  thinkingTokens: null,
  cacheReadInputTokens: null,
  cacheCreationInputTokens: null,
  webSearchRequests: null,
  costUSD: null,
};

function snap(
  sessionId: string | null,
  counters: Partial<CounterValues> = {},
  models: Record<string, Partial<ModelCounters>> = {},
  projectPath = P,
): ProjectSnapshot {
  return {
    projectPath,
    sessionId,
    counters: { ...NULL_COUNTERS, ...counters },
    models: Object.fromEntries(
      Object.entries(models).map(([m, c]) => [m, { ...NULL_MODEL, ...c }]),
    ),
    versionBase: '2.1.332',
    gracefulShutdown: true,
    startTimeMs: 1_764_849_611_000,
  };
}

const S1 = {
  costUsd: 4.18237,
  inputTokens: 18_231,
  outputTokens: 61_204,
  cacheCreationTokens: 402_118,
  cacheReadTokens: 6_120_442,
  webSearchRequests: 2,
  linesAdded: 212,
  linesRemoved: 37,
  durationMs: 3_120_455,
};
const OPUS = { inputTokens: 16_011, cacheReadInputTokens: 6_001_200, costUSD: 4.1102 };

let clockMs = 1_000;
/** Feeds snapshots one poll after another, like the tracker loop. */
function feed(
  start: HighWater,
  ...polls: (readonly ProjectSnapshot[])[]
): { results: TrackResult[]; last: TrackResult } {
  let highWater = start;
  const results: TrackResult[] = [];
  for (const poll of polls) {
    const result = trackCounters(highWater, poll, { observedAtMs: (clockMs += 1000) });
    results.push(result);
    highWater = result.next;
  }
  return { results, last: results.at(-1) as TrackResult };
}

function baseline(...snapshots: ProjectSnapshot[]): HighWater {
  const result = trackCounters(EMPTY_HIGH_WATER, snapshots, { observedAtMs: 0, baseline: true });
  expect(result.changes).toEqual([]);
  return result.next;
}

const deltasOf = (result: TrackResult) =>
  result.changes.map((c) => c.deltas.map((d) => [d.key, d.from, d.to, d.delta]));

describe('trackCounters: changes', () => {
  it('seed: a session end that only adds cache reads and cost is one change with those deltas', () => {
    const start = baseline(snap('s1', S1, { 'claude-opus-5-5': OPUS }));
    const { last } = feed(start, [
      snap(
        's1',
        { ...S1, cacheReadTokens: 6_130_442, costUsd: 4.19237 },
        {
          'claude-opus-5-5': { ...OPUS, cacheReadInputTokens: 6_011_200, costUSD: 4.1202 },
        },
      ),
    ]);
    expect(last.anomalies).toEqual([]);
    expect(last.changes).toHaveLength(1);
    expect(last.changes[0]).toMatchObject({ kind: 'updated', projectPath: P, sessionId: 's1' });
    const deltas = last.changes[0]?.deltas ?? [];
    expect(deltas.map((d) => d.key)).toEqual([
      'costUsd',
      'cacheReadTokens',
      'model:claude-opus-5-5:cacheReadInputTokens',
      'model:claude-opus-5-5:costUSD',
    ]);
    expect(deltas[0]?.delta).toBeCloseTo(0.01, 9);
    expect(deltas[1]).toEqual({
      key: 'cacheReadTokens',
      model: null,
      field: 'cacheReadTokens',
      from: 6_120_442,
      to: 6_130_442,
      delta: 10_000,
    });
    expect(deltas[2]).toMatchObject({ model: 'claude-opus-5-5', delta: 10_000 });
  });

  it('seed: a session end that changes lines but no tokens is recorded', () => {
    const start = baseline(snap('s1', S1));
    const { last } = feed(start, [snap('s1', { ...S1, linesAdded: 230, linesRemoved: 40 })]);
    expect(deltasOf(last)).toEqual([
      [
        ['linesAdded', 212, 230, 18],
        ['linesRemoved', 37, 40, 3],
      ],
    ]);
  });

  it('a new session id is a session end: every value counts from 0, the old epoch is kept', () => {
    const start = baseline(snap('s1', S1));
    const { last } = feed(start, [
      snap('s2', { inputTokens: 10, outputTokens: 0, linesAdded: 3 }, { m: { inputTokens: 10 } }),
    ]);
    expect(last.changes).toMatchObject([
      { kind: 'session-saved', sessionId: 's2', previousSessionId: 's1' },
    ]);
    expect(deltasOf(last)).toEqual([
      [
        ['inputTokens', 0, 10, 10],
        ['linesAdded', 0, 3, 3],
        ['model:m:inputTokens', 0, 10, 10],
      ],
    ]);
    expect([...(last.next.projects.get(P)?.epochs.keys() ?? [])]).toEqual(['s1', 's2']);
  });

  it('a session saved without any token or value is still one session-saved change', () => {
    const start = baseline(snap('s1', S1));
    const { last } = feed(start, [snap('s2', { inputTokens: 0, costUsd: 0, durationMs: 0 })]);
    expect(last.changes).toMatchObject([{ kind: 'session-saved', sessionId: 's2', deltas: [] }]);
    expect(feed(last.next, [snap('s2', { inputTokens: 0, costUsd: 0 })]).last.changes).toEqual([]);
  });

  it('without a baseline the first snapshot counts everything; projects without sessions are skipped', () => {
    const { last } = feed(EMPTY_HIGH_WATER, [snap('s1', S1), snap(null, {}, {}, Q)]);
    expect(last.changes).toHaveLength(1);
    expect(last.changes[0]?.deltas.find((d) => d.key === 'outputTokens')?.delta).toBe(61_204);
    expect(last.next.projects.has(Q)).toBe(false);
  });

  it('a baseline returns the initial states and records marks; the same values again are no change', () => {
    const first = trackCounters(EMPTY_HIGH_WATER, [snap('s1', S1), snap(null, {}, {}, Q)], {
      observedAtMs: 0,
      baseline: true,
    });
    expect(first.initial.map((s) => s.projectPath)).toEqual([P]);
    expect(first.changes).toEqual([]);
    expect(feed(first.next, [snap('s1', S1)]).last).toMatchObject({ changes: [], anomalies: [] });
  });

  it('an old session id coming back with higher values is a resume, counted from its marks', () => {
    const start = baseline(snap('s1', S1));
    const { last } = feed(
      start,
      [snap('s2', { inputTokens: 5 })],
      [snap('s1', { ...S1, inputTokens: 18_331 })],
    );
    expect(last.changes).toMatchObject([
      { kind: 'session-resumed', sessionId: 's1', previousSessionId: 's2' },
    ]);
    expect(deltasOf(last)).toEqual([[['inputTokens', 18_231, 18_331, 100]]]);
  });

  it('a model id with colons (Bedrock) keeps its id in the deltas', () => {
    const model = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
    const { last } = feed(EMPTY_HIGH_WATER, [snap('s1', {}, { [model]: { outputTokens: 7 } })]);
    expect(last.changes[0]?.deltas).toEqual([
      {
        key: `model:${model}:outputTokens`,
        model,
        field: 'outputTokens',
        from: 0,
        to: 7,
        delta: 7,
      },
    ]);
  });
});

describe('trackCounters: cost tolerance', () => {
  it('ignores cost rises and falls up to 1e-6 but accumulates them against the mark', () => {
    const start = baseline(snap('s1', { costUsd: 1 }, { m: { costUSD: 1 } }));
    const tiny = feed(start, [snap('s1', { costUsd: 1.0000005 }, { m: { costUSD: 0.9999995 } })]);
    expect(tiny.last).toMatchObject({ changes: [], anomalies: [] });
    const { last } = feed(tiny.last.next, [
      snap('s1', { costUsd: 1.000002 }, { m: { costUSD: 1 } }),
    ]);
    expect(last.changes[0]?.deltas.map((d) => [d.key, d.from])).toEqual([['costUsd', 1]]);
    expect(last.changes[0]?.deltas[0]?.delta).toBeCloseTo(0.000002, 12);
  });

  it('compares token counts exactly', () => {
    const start = baseline(snap('s1', { inputTokens: 1 }));
    expect(feed(start, [snap('s1', { inputTokens: 2 })]).last.changes).toHaveLength(1);
  });
});

describe('trackCounters: anomalies never move a mark', () => {
  it('a reset to defaults (fields and session id gone) is one anomaly; the values coming back are no change', () => {
    const start = baseline(snap('s1', S1), snap('q1', { inputTokens: 9 }, {}, Q));
    const { results } = feed(
      start,
      [snap(null), snap('q1', { inputTokens: 9 }, {}, Q)],
      [snap(null), snap('q1', { inputTokens: 10 }, {}, Q)],
      [snap('s1', S1), snap('q1', { inputTokens: 10 }, {}, Q)],
      [snap(null), snap('q1', { inputTokens: 10 }, {}, Q)],
    );
    expect(results[0]?.changes).toEqual([]);
    expect(results[0]?.anomalies).toMatchObject([
      { kind: 'reset', projectPath: P, sessionId: null, currentSessionId: 's1' },
    ]);
    expect(results[0]?.anomalies[0]?.fields).toContainEqual({
      key: 'inputTokens',
      model: null,
      field: 'inputTokens',
      mark: 18_231,
      value: null,
    });
    expect(results[1]?.anomalies).toEqual([]); // same lasting condition: reported once
    expect(results[1]?.changes).toMatchObject([{ projectPath: Q }]);
    expect(results[2]).toMatchObject({ changes: [], anomalies: [] });
    expect(results[3]?.anomalies).toMatchObject([{ kind: 'reset' }]); // a new occurrence
  });

  it('a field that turns absent in the same session is a reset of that field', () => {
    const start = baseline(snap('s1', { inputTokens: 5, linesAdded: 2 }));
    const { last } = feed(start, [snap('s1', { inputTokens: 6 })]);
    expect(deltasOf(last)).toEqual([[['inputTokens', 5, 6, 1]]]);
    expect(last.anomalies).toMatchObject([
      { kind: 'reset', fields: [{ key: 'linesAdded', mark: 2 }] },
    ]);
  });

  it('a decrease is an anomaly; the mark stays, so only a rise past the old mark counts', () => {
    const start = baseline(snap('s1', { outputTokens: 100 }));
    const { results } = feed(
      start,
      [snap('s1', { outputTokens: 40 })],
      [snap('s1', { outputTokens: 100 })],
      [snap('s1', { outputTokens: 130 })],
    );
    expect(results[0]?.anomalies).toMatchObject([
      { kind: 'decrease', fields: [{ key: 'outputTokens', mark: 100, value: 40 }] },
    ]);
    expect(results[0]?.changes).toEqual([]);
    expect(results[1]).toMatchObject({ changes: [], anomalies: [] });
    expect(deltasOf(results[2] as TrackResult)).toEqual([[['outputTokens', 100, 130, 30]]]);
  });

  it('a vanished project is reported once; it coming back unchanged is no change', () => {
    const start = baseline(snap('s1', S1), snap('q1', { inputTokens: 1 }, {}, Q));
    const { results } = feed(
      start,
      [snap('s1', S1)],
      [snap('s1', S1)],
      [snap('s1', S1), snap('q1', { inputTokens: 1 }, {}, Q)],
    );
    expect(results[0]?.anomalies).toMatchObject([
      {
        kind: 'vanished',
        projectPath: Q,
        currentSessionId: 'q1',
        fields: [{ key: 'inputTokens', value: null }],
      },
    ]);
    expect(results[1]?.anomalies).toEqual([]);
    expect(results[2]).toMatchObject({ changes: [], anomalies: [] });
  });

  it('a stale backup restore (older session id, lower values) is an anomaly; the newer values returning are no change', () => {
    const s1Early = { ...S1, inputTokens: 10_000, costUsd: 2 };
    const { results } = feed(
      EMPTY_HIGH_WATER,
      [snap('s1', s1Early)],
      [snap('s1', S1)],
      [snap('s2', { inputTokens: 500, costUsd: 0.5 })],
      [snap('s1', s1Early)], // a backup from before s1 ended
      [snap('s2', { inputTokens: 500, costUsd: 0.5 })],
      [snap('s1', S1)], // a newer backup: s1 at its marks
      [snap('s2', { inputTokens: 700, costUsd: 0.5 })],
    );
    expect(results[3]?.changes).toEqual([]);
    expect(results[3]?.anomalies).toMatchObject([
      { kind: 'stale-restore', sessionId: 's1', currentSessionId: 's2' },
    ]);
    expect(results[3]?.anomalies[0]?.fields.map((f) => [f.key, f.mark, f.value])).toEqual([
      ['costUsd', 4.18237, 2],
      ['inputTokens', 18_231, 10_000],
    ]);
    expect(results[4]).toMatchObject({ changes: [], anomalies: [] });
    expect(results[5]?.anomalies).toMatchObject([{ kind: 'stale-restore', fields: [] }]);
    expect(results[5]?.changes).toEqual([]);
    expect(deltasOf(results[6] as TrackResult)).toEqual([[['inputTokens', 500, 700, 200]]]);
  });

  it('never mutates the previous marks', () => {
    const start = baseline(snap('s1', { inputTokens: 5 }));
    const before = JSON.stringify(listMarks(start));
    feed(start, [snap('s1', { inputTokens: 50 })], [snap('s2', { inputTokens: 1 })]);
    expect(JSON.stringify(listMarks(start))).toBe(before);
  });
});

describe('listMarks / highWaterFromMarks', () => {
  it('round-trips marks, current epochs and epochs without marks', () => {
    const { last } = feed(
      EMPTY_HIGH_WATER,
      [snap('s1', { inputTokens: 5 }, { m: { costUSD: 0.5 } }), snap('q1', {}, {}, Q)],
      [snap('s2', { inputTokens: 7 }), snap('q1', {}, {}, Q)],
    );
    const rows = listMarks(last.next);
    const rebuilt = highWaterFromMarks(rows, [
      { projectPath: P, sessionId: 's2' },
      { projectPath: Q, sessionId: 'q1' },
    ]);
    expect(listMarks(rebuilt)).toEqual(rows);
    expect(rebuilt.projects.get(P)?.currentSessionId).toBe('s2');
    expect(rebuilt.projects.get(Q)?.epochs.has('q1')).toBe(true);
    const again = trackCounters(rebuilt, [snap('s1', { inputTokens: 5 }), snap('q1', {}, {}, Q)], {
      observedAtMs: 0,
    });
    expect(again.changes).toEqual([]);
    expect(again.anomalies).toMatchObject([{ kind: 'stale-restore', sessionId: 's1' }]);
  });
});
