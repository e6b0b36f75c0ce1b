/** Hook events on a real ledger file: insert, pending, processed exactly once, and the plan. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempTree, type TempTree } from '../../test/helpers/temp-tree.js';
import { openLedger, type Ledger } from './database.js';
import {
  allHookEvents,
  insertHookEvent,
  markHookEventsProcessed,
  pendingHookEvents,
  type HookEventRecord,
} from './hook-events.js';

const START: HookEventRecord = {
  receivedMs: 1_000,
  event: 'SessionStart',
  sessionId: 's-1',
  cwd: '/home/ann/app',
  transcriptPath: '/home/ann/.claude/projects/-home-ann-app/s-1.jsonl',
  detail: { source: 'startup', model: 'claude-opus-4-1' },
};

let tree: TempTree;
let db: Ledger;

beforeEach(() => {
  tree = makeTempTree('ctt-hooks-');
  db = openLedger(tree.ledgerPath);
});

afterEach(() => {
  db.close();
  tree.cleanup();
});

describe('hook events', () => {
  it('reads back what was inserted, pending until processed', () => {
    const id = insertHookEvent(db, START);
    insertHookEvent(db, { ...START, receivedMs: 2_000, event: 'Stop', detail: null });
    const pending = pendingHookEvents(db);
    expect(pending).toEqual([
      { ...START, id, processedMs: null },
      expect.objectContaining({ event: 'Stop', detail: null, processedMs: null }),
    ]);
  });

  it('marks events processed once: a second mark keeps the first time', () => {
    const a = insertHookEvent(db, START);
    const b = insertHookEvent(db, { ...START, event: 'SessionEnd', detail: { reason: 'other' } });
    const c = insertHookEvent(db, { ...START, event: 'Stop', detail: null });
    expect(markHookEventsProcessed(db, [a, c], 5_000)).toBe(2);
    expect(pendingHookEvents(db).map((e) => e.id)).toEqual([b]);
    expect(markHookEventsProcessed(db, [a, b], 6_000)).toBe(1);
    expect(pendingHookEvents(db)).toEqual([]);
    expect(allHookEvents(db).map((e) => [e.id, e.processedMs])).toEqual([
      [a, 5_000],
      [b, 6_000],
      [c, 5_000],
    ]);
  });

  it('marking inside a caller transaction rolls back with it', () => {
    const a = insertHookEvent(db, START);
    expect(() =>
      db.transaction(() => {
        markHookEventsProcessed(db, [a], 5_000);
        throw new Error('the tracker failed to record what the event caused');
      })(),
    ).toThrow(/tracker failed/);
    expect(pendingHookEvents(db).map((e) => e.id)).toEqual([a]);
  });

  it('pending events honour the limit, oldest first', () => {
    for (let i = 0; i < 5; i++) insertHookEvent(db, { ...START, receivedMs: i });
    expect(pendingHookEvents(db, 2).map((e) => e.receivedMs)).toEqual([0, 1]);
  });

  it('a damaged detail reads as null instead of failing the tracker', () => {
    const id = insertHookEvent(db, START);
    db.prepare("UPDATE hook_event SET detail = '{not json' WHERE id = ?").run(id);
    expect(pendingHookEvents(db)[0]?.detail).toBeNull();
  });

  it('finds pending events through the processed_ms index', () => {
    const rows = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM hook_event WHERE processed_ms IS NULL ORDER BY id LIMIT ?',
      )
      .all(10) as { detail: string }[];
    const plan = rows.map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SEARCH hook_event USING INDEX hook_event_pending \(processed_ms=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
