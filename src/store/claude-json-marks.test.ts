/**
 * The claude-json marks in a real ledger file: what is loaded equals what was tracked, a track
 * commits whole or not at all, a track computed from marks that moved is refused, and a mark is
 * never lowered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_HIGH_WATER, listMarks, type HighWater } from '../core/counter-marks.js';
import { trackCounters } from '../core/counter-tracking.js';
import {
  COUNTER_FIELDS,
  type CounterValues,
  type ProjectSnapshot,
} from '../core/counter-values.js';
import { changesAfter } from './change-log.js';
import { loadClaudeJsonState, loadHighWater, recordCounterTrack } from './claude-json-marks.js';
import { openLedger, type Ledger } from './database.js';

const P = '/home/alice/src/webapp';
const Q = '/home/alice/src/api';
const NULL_COUNTERS = Object.fromEntries(
  COUNTER_FIELDS.map((f) => [f, null]),
) as unknown as CounterValues;

function snap(
  projectPath: string,
  sessionId: string | null,
  counters: Partial<CounterValues>,
  opusInput: number | null = null,
): ProjectSnapshot {
  const models =
    opusInput === null
      ? {}
      : {
          'claude-opus-5-5': {
            inputTokens: opusInput,
            outputTokens: null,
            thinkingTokens: null,
            cacheReadInputTokens: null,
            cacheCreationInputTokens: null,
            webSearchRequests: null,
            costUSD: opusInput / 1000,
          },
        };
  return {
    projectPath,
    sessionId,
    counters: { ...NULL_COUNTERS, ...counters },
    models,
    versionBase: '2.1.332',
    gracefulShutdown: false,
    startTimeMs: null,
  };
}

let dir: string;
let db: Ledger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctt-claude-json-marks-'));
  db = openLedger(join(dir, 'ledger.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Marks as sorted rows and each project's current epoch and epochs: comparable across loads. */
function shape(highWater: HighWater) {
  const marks = listMarks(highWater)
    .map((m) => `${m.projectPath}|${m.sessionId}|${m.key}=${m.value}`)
    .sort();
  const projects = [...highWater.projects]
    .map(
      ([path, p]) =>
        `${path}|${p.currentSessionId}|${[...p.epochs.keys()].map(String).sort().join(',')}`,
    )
    .sort();
  return { marks, projects };
}

/** Tracks and records one poll; returns the next marks (unchanged when stale). */
function step(previous: HighWater, snapshots: ProjectSnapshot[], timeMs: number, baseline = false) {
  const result = trackCounters(previous, snapshots, { observedAtMs: timeMs, baseline });
  const outcome = recordCounterTrack(db, result, { timeMs, baseline });
  return { result, outcome, next: outcome.kind === 'recorded' ? result.next : previous };
}

const project = fc.constantFrom(P, Q);
const session = fc.constantFrom('s1', 's2', 's3', null);
const amount = fc.option(fc.nat(5_000), { nil: null });
const snapshotArb = fc
  .tuple(project, session, amount, amount, amount, fc.option(fc.nat(5_000), { nil: null }))
  .map(([path, id, input, cost, lines, opus]) =>
    snap(
      path,
      id,
      { inputTokens: input, costUsd: cost === null ? null : cost / 100, linesAdded: lines },
      opus,
    ),
  );
const pollArb = fc.uniqueArray(snapshotArb, { maxLength: 2, selector: (s) => s.projectPath });

describe('claude-json marks in the ledger', () => {
  it('property: a tracker reloaded from the ledger before every poll records what a long-lived one records', () => {
    const other = openLedger(join(dir, 'long-lived.db'));
    const clear = (ledger: Ledger) =>
      ledger.exec(
        'DELETE FROM claude_json_mark; DELETE FROM claude_json_epoch; DELETE FROM change_event;',
      );
    const rows = (ledger: Ledger) => changesAfter(ledger, 0).map(({ id: _id, ...row }) => row);
    try {
      fc.assert(
        fc.property(fc.array(pollArb, { minLength: 1, maxLength: 25 }), (polls) => {
          clear(db);
          clear(other);
          let memory = EMPTY_HIGH_WATER;
          polls.forEach((snapshots, i) => {
            const result = trackCounters(memory, snapshots, { observedAtMs: i, baseline: i === 0 });
            expect(recordCounterTrack(other, result, { timeMs: i, baseline: i === 0 }).kind).toBe(
              'recorded',
            );
            memory = result.next;
            const state = loadClaudeJsonState(db);
            expect(step(state.highWater, snapshots, i, !state.baselineDone).outcome.kind).toBe(
              'recorded',
            );
          });
          expect(shape(loadHighWater(db))).toEqual(shape(memory));
          const [restarted, longLived] = [rows(db), rows(other)];
          const counted = (list: typeof restarted) =>
            list.filter((c) => !c.kind.startsWith('anomaly-'));
          expect(counted(restarted)).toEqual(counted(longLived));
          // an anomaly that cleared without a row and came back identical is not reported again
          // after a restart: at most as many anomaly rows, never more
          const anomalies = (list: typeof restarted) => list.length - counted(list).length;
          expect(anomalies(restarted)).toBeLessThanOrEqual(anomalies(longLived));
          expect(restarted.every((c) => Object.values(c.delta).every((v) => v >= 0))).toBe(true);
        }),
        { numRuns: 200, seed: 4242 },
      );
    } finally {
      other.close();
    }
  });

  it('a track commits whole or not at all: a crash before the commit leaves no mark, epoch or row', () => {
    const { next } = step(EMPTY_HIGH_WATER, [snap(P, 's1', { inputTokens: 10 })], 1, true);
    const before = [count('claude_json_mark'), count('claude_json_epoch'), count('change_event')];
    const result = trackCounters(
      next,
      [snap(P, 's2', { inputTokens: 5 }), snap(Q, 's3', { costUsd: 1 })],
      {
        observedAtMs: 2,
      },
    );
    expect(() =>
      recordCounterTrack(db, result, {
        timeMs: 2,
        beforeCommit: () => {
          throw new Error('crash');
        },
      }),
    ).toThrow('crash');
    expect([count('claude_json_mark'), count('claude_json_epoch'), count('change_event')]).toEqual(
      before,
    );
    expect(shape(loadHighWater(db))).toEqual(shape(next));
    expect(recordCounterTrack(db, result, { timeMs: 3 }).kind).toBe('recorded');
    expect(shape(loadHighWater(db))).toEqual(shape(result.next));
  });

  it('refuses a track computed from marks that moved since (another writer got there first)', () => {
    const { next } = step(EMPTY_HIGH_WATER, [snap(P, 's1', { inputTokens: 10 })], 1, true);
    const rise = trackCounters(next, [snap(P, 's1', { inputTokens: 30 })], { observedAtMs: 2 });
    const newSession = trackCounters(next, [snap(P, 's2', { inputTokens: 1 })], {
      observedAtMs: 2,
    });
    expect(recordCounterTrack(db, rise, { timeMs: 2 }).kind).toBe('recorded');
    const rows = count('change_event');
    expect(recordCounterTrack(db, rise, { timeMs: 3 })).toEqual({ kind: 'stale' }); // same rise again
    expect(recordCounterTrack(db, newSession, { timeMs: 3 }).kind).toBe('recorded');
    expect(recordCounterTrack(db, newSession, { timeMs: 4 })).toEqual({ kind: 'stale' }); // epoch exists
    const again = trackCounters(EMPTY_HIGH_WATER, [snap(P, 's1', { inputTokens: 1 })], {
      observedAtMs: 5,
      baseline: true,
    });
    expect(recordCounterTrack(db, again, { timeMs: 5, baseline: true })).toEqual({ kind: 'stale' });
    expect(count('change_event')).toBe(rows + 1);
  });

  it('never lowers a mark, keeps every epoch, and stores a missing session id as null', () => {
    const { next } = step(
      EMPTY_HIGH_WATER,
      [snap(P, null, { inputTokens: 100, outputTokens: 50 })],
      1,
      true,
    );
    // a caller holding a lower mark for outputTokens: its rise of inputTokens commits, the mark stays
    const epoch = new Map(next.projects.get(P)?.epochs.get(null));
    epoch.set('outputTokens', 10);
    const lowered: HighWater = {
      projects: new Map([
        [P, { currentSessionId: null, epochs: new Map([[null, epoch]]), openAnomaly: null }],
      ]),
    };
    step(lowered, [snap(P, null, { inputTokens: 150, outputTokens: 10 })], 2);
    step(loadHighWater(db), [snap(P, 's9', { inputTokens: 1 })], 3);
    const loaded = loadHighWater(db).projects.get(P);
    expect(loaded?.currentSessionId).toBe('s9');
    expect(Object.fromEntries(loaded?.epochs.get(null) ?? [])).toEqual({
      inputTokens: 150,
      outputTokens: 50,
    });
    expect(
      db.prepare(`SELECT session_id, is_current FROM claude_json_epoch ORDER BY session_id`).all(),
    ).toEqual([
      { session_id: '', is_current: 0 },
      { session_id: 's9', is_current: 1 },
    ]);
  });
});
