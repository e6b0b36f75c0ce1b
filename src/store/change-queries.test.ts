/** `queryChanges` on a real ledger file: every filter, their combinations, order, and plans. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempTree, type TempTree } from '../../test/helpers/temp-tree.js';
import { ChangeLog, type ChangeRecord } from './change-log.js';
import {
  changesSql,
  countChanges,
  countMatchingChanges,
  iterateChanges,
  queryChanges,
  type ChangeQuery,
} from './change-queries.js';
import { openLedger, type Ledger } from './database.js';

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const MIN = 60_000;

/** The trail, in recording order; times are not monotonic on purpose (a clock stepped back). */
const RECORDS: readonly ChangeRecord[] = [
  {
    timeMs: T0,
    source: 'hook',
    kind: 'session-start',
    project: '/home/ann/WebApp',
    sessionId: 'aaaa-1111',
    delta: {},
  },
  {
    timeMs: T0 + 1 * MIN,
    source: 'transcript',
    kind: 'usage',
    project: '/home/ann/WebApp',
    sessionId: 'aaaa-1111',
    delta: { inputTokens: 10, outputTokens: 20, costUsd: 0.01 },
  },
  {
    timeMs: T0 + 2 * MIN,
    source: 'claude-json',
    kind: 'updated',
    project: '/home/ann/WebApp',
    sessionId: 'aaaa-1111',
    delta: { linesAdded: 5, costUsd: 0.02 },
  },
  {
    timeMs: T0 + 3 * MIN,
    source: 'transcript',
    kind: 'usage',
    project: '/srv/api',
    sessionId: 'aab%_x',
    delta: { cacheReadTokens: 1000 },
  },
  {
    timeMs: T0 + 1.5 * MIN,
    source: 'tracker',
    kind: 'anomaly-reset',
    project: '/srv/api',
    sessionId: 'aab%_x',
    delta: {},
    detail: { key: 'lastCost' },
  },
  {
    timeMs: T0 + 4 * MIN,
    source: 'transcript',
    kind: 'usage',
    project: null,
    sessionId: null,
    delta: { outputTokens: 7 },
  },
  {
    timeMs: T0 + 5 * MIN,
    source: 'hook',
    kind: 'session-end',
    project: '/home/ann/webapp-2',
    sessionId: 'bbbb-2222',
    delta: {},
  },
  {
    timeMs: T0 + 6 * MIN,
    source: 'process',
    kind: 'sessions',
    project: '/home/ann/webapp-2',
    sessionId: 'bbbb-2222',
    delta: {},
  },
];

let tree: TempTree;
let db: Ledger;

beforeAll(() => {
  tree = makeTempTree('ctt-changes-');
  db = openLedger(tree.ledgerPath);
  const log = new ChangeLog(db);
  db.transaction(() => RECORDS.forEach((r) => log.insert(r)))();
});

afterAll(() => {
  db.close();
  tree.cleanup();
});

/** Row numbers (1-based, = ids) of the matching changes, in the order returned. */
function ids(query: ChangeQuery): number[] {
  return queryChanges(db, query).map((c) => c.id);
}

describe('queryChanges', () => {
  it('returns the whole trail oldest first by recording order, not by clock', () => {
    const all = queryChanges(db);
    expect(all.map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all[1]).toMatchObject({
      source: 'transcript',
      kind: 'usage',
      delta: { inputTokens: 10, outputTokens: 20, costUsd: 0.01, linesAdded: 0 },
    });
    expect(all[4]?.detail).toEqual({ key: 'lastCost' });
    expect(countChanges(db)).toBe(8);
  });

  it('keeps [sinceMs, untilMs) by recording time', () => {
    expect(ids({ sinceMs: T0 + 1.5 * MIN })).toEqual([3, 4, 5, 6, 7, 8]);
    expect(ids({ untilMs: T0 + 2 * MIN })).toEqual([1, 2, 5]);
    expect(ids({ sinceMs: T0 + 1 * MIN, untilMs: T0 + 3 * MIN })).toEqual([2, 3, 5]);
    expect(ids({ sinceMs: T0 + 7 * MIN })).toEqual([]);
  });

  it('matches the project as a case-insensitive substring', () => {
    expect(ids({ project: 'webapp' })).toEqual([1, 2, 3, 7, 8]);
    expect(ids({ project: 'WEBAPP-2' })).toEqual([7, 8]);
    expect(ids({ project: 'nowhere' })).toEqual([]);
  });

  it('matches the session id by prefix, with LIKE and GLOB characters meaning themselves', () => {
    expect(ids({ sessionId: 'aaaa' })).toEqual([1, 2, 3]);
    expect(ids({ sessionId: 'aa' })).toEqual([1, 2, 3, 4, 5]);
    expect(ids({ sessionId: 'aab%' })).toEqual([4, 5]);
    expect(ids({ sessionId: 'aa%' })).toEqual([]);
    expect(ids({ sessionId: 'a_b' })).toEqual([]);
    expect(ids({ sessionId: 'bbbb-2222' })).toEqual([7, 8]);
    expect(ids({ sessionId: 'bbbb-22222' })).toEqual([]);
  });

  it('keeps listed sources, and kinds with their families', () => {
    expect(ids({ source: ['hook'] })).toEqual([1, 7]);
    expect(ids({ source: ['hook', 'claude-json'] })).toEqual([1, 3, 7]);
    expect(ids({ kind: ['usage'] })).toEqual([2, 4, 6]);
    expect(ids({ kind: ['session'] })).toEqual([1, 7]);
    expect(ids({ kind: ['anomaly', 'session-end'] })).toEqual([5, 7]);
    // A family needs the dash: `session` does not keep `sessions`, and `usa` keeps nothing.
    expect(ids({ kind: ['sessions'] })).toEqual([8]);
    expect(ids({ kind: ['usa'] })).toEqual([]);
  });

  it('returns the newest N that match, still oldest first', () => {
    expect(ids({ lastN: 3 })).toEqual([6, 7, 8]);
    expect(ids({ lastN: 2, kind: ['usage'] })).toEqual([4, 6]);
    expect(ids({ lastN: 100 })).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ids({ lastN: 0 })).toEqual([]);
  });

  it('iterates the same changes one at a time, and counts the matches without --last', () => {
    const queries: ChangeQuery[] = [
      {},
      { kind: ['usage'], lastN: 2 },
      { sessionId: 'aa', sinceMs: T0 + MIN },
    ];
    for (const query of queries) {
      expect([...iterateChanges(db, query)]).toEqual(queryChanges(db, query));
    }
    expect([...iterateChanges(db, { lastN: 0 })]).toEqual([]);
    expect(countMatchingChanges(db, { kind: ['usage'], lastN: 1 })).toBe(3);
    expect(countMatchingChanges(db, { project: 'webapp', sinceMs: T0 + MIN })).toBe(4);
  });

  it('combines every filter', () => {
    const query: ChangeQuery = {
      sinceMs: T0 + 1 * MIN,
      untilMs: T0 + 10 * MIN,
      project: 'WebApp',
      sessionId: 'aaaa',
      source: ['transcript', 'claude-json'],
      kind: ['usage', 'updated'],
      lastN: 1,
    };
    expect(ids(query)).toEqual([3]);
    expect(ids({ ...query, lastN: 5 })).toEqual([2, 3]);
  });
});

describe('change query plans', () => {
  function plan(query: ChangeQuery): string {
    const { sql, params } = changesSql(query);
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    return rows.map((row) => row.detail).join('\n');
  }

  it.each<[string, ChangeQuery]>([
    ['since', { sinceMs: T0 }],
    ['until', { untilMs: T0 }],
    ['since and until', { sinceMs: T0, untilMs: T0 + MIN }],
    ['until and last', { untilMs: T0, lastN: 5 }],
    ['since, until and last', { sinceMs: T0, untilMs: T0 + MIN, lastN: 5 }],
    ['since, project and kind', { sinceMs: T0, project: 'x', kind: ['usage'] }],
  ])('a time range (%s) seeks the time index', (_label, query) => {
    expect(plan(query)).toMatch(/SEARCH change_event USING INDEX change_event_time \(time_ms[<>]/);
  });

  it('counts every match of a time range, ignoring --last', () => {
    expect(countMatchingChanges(db, { sinceMs: T0 + 5 * MIN, lastN: 1 })).toBe(2);
  });

  it.each<[string, ChangeQuery]>([
    ['alone', { sessionId: 'aaaa' }],
    ['with a time range and last', { sessionId: 'aaaa', sinceMs: T0, untilMs: T0 + MIN, lastN: 3 }],
  ])('a session prefix (%s) seeks the session index', (_label, query) => {
    expect(plan(query)).toMatch(
      /SEARCH change_event USING INDEX change_event_session \(session_id>\? AND session_id<\?\)/,
    );
  });

  it('no filter reads the table in id order', () => {
    expect(plan({})).toBe('SCAN change_event');
  });

  it.each<[string, ChangeQuery]>([
    ['alone', { lastN: 5 }],
    ['after an instant', { lastN: 5, sinceMs: T0 }],
    ['after an instant, of a kind', { lastN: 5, sinceMs: T0, kind: ['usage'] }],
  ])('--last (%s) walks back from the newest row and stops: no sort first', (_label, query) => {
    // Only the outer query sorts, and only the N rows it got.
    const lines = plan(query).split('\n');
    const read = lines.indexOf('SCAN change_event');
    expect(read, lines.join('\n')).toBeGreaterThanOrEqual(0);
    expect(lines[read + 1], lines.join('\n')).toBe('SCAN (subquery-1)');
  });
});
