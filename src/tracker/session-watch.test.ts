import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assistantLine, costStateLine, jsonl, nextUuid } from '../../test/helpers/claude-lines.js';
import { FIXED_NOW_MS, sync } from '../../test/helpers/ledger.js';
import { makeTempTree, type TempTree } from '../../test/helpers/temp-tree.js';
import type { ProcessFile } from '../sources/claude-code/process-files.js';
import { ChangeLog, changesAfter, type StoredChange } from '../store/change-log.js';
import { openLedger, type Ledger } from '../store/database.js';
import { findSession } from '../store/tracked-sessions.js';
import { SessionWatch, type SessionStepInput } from './session-watch.js';

let tree: TempTree;
let db: Ledger;
beforeEach(() => {
  tree = makeTempTree();
  db = openLedger(tree.ledgerPath);
});
afterEach(() => {
  db.close();
  tree.cleanup();
});

const SESSION = 'aaaaaaaa-1111-4111-8111-000000000001';
const OTHER = 'bbbbbbbb-2222-4222-8222-000000000002';
const MINUTE = 60_000;

/** A watch over fake process files and a fake pid table. */
function watchWith(processes: ProcessFile[], alive: Set<number>, settleMs = 3_000) {
  return new SessionWatch(
    db,
    new ChangeLog(db),
    { configDirs: [], idleTimeoutMs: 30 * MINUTE, settleMs },
    (pid) => alive.has(pid),
    () => processes,
  );
}

function input(monoMs: number, extra: Partial<SessionStepInput> = {}): SessionStepInput {
  return { wallMs: FIXED_NOW_MS + monoMs, monoMs, saved: [], hooks: [], ...extra };
}

function sessionEvents(): StoredChange[] {
  return changesAfter(db, 0).filter((c) => c.kind.startsWith('session-'));
}

async function writeResponses(sessionId: string, minutesAgo: number, count = 2): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) =>
    assistantLine({
      messageId: `msg_${nextUuid()}`,
      requestId: `req_${nextUuid()}`,
      sessionId,
      timestamp: new Date(FIXED_NOW_MS - minutesAgo * MINUTE + i).toISOString(),
      usage: { input: 10, output: 20, cacheWrite: 30, cacheRead: 40 },
    }),
  );
  tree.append(tree.path('-p', `${sessionId}.jsonl`), jsonl(...lines));
  await sync(db, [tree.projectsDir]);
}

describe('SessionWatch', () => {
  it('opens a session from recent responses once, and leaves old history closed', async () => {
    await writeResponses(SESSION, 1);
    await writeResponses(OTHER, 24 * 60); // a day old: history caught up, not a running session
    const watch = watchWith([], new Set());
    watch.step(input(0));
    watch.step(input(10));
    const events = sessionEvents();
    expect(events.map((e) => [e.kind, e.sessionId, e.source])).toEqual([
      ['session-start', SESSION, 'transcript'],
    ]);
    expect(findSession(db, OTHER)).toBeUndefined();
  });

  it('ends a session once when its process exits, after the settle time, with the ledger totals', async () => {
    const processes: ProcessFile[] = [
      { pid: 4242, sessionId: SESSION, cwd: '/w', startedAtMs: null, path: 'x' },
    ];
    const alive = new Set([4242]);
    const watch = watchWith(processes, alive);
    expect(watch.step(input(0)).liveProcesses).toBe(1);
    await writeResponses(SESSION, 0);
    watch.step(input(500));
    alive.delete(4242);
    watch.step(input(1_000)); // pid dead: the end waits for the settle time
    expect(sessionEvents().map((e) => e.kind)).toEqual(['session-start']);
    watch.step(input(4_000));
    watch.step(input(8_000));
    const events = sessionEvents();
    expect(events.map((e) => [e.kind, e.source])).toEqual([
      ['session-start', 'process'],
      ['session-end', 'process'],
    ]);
    const end = events[1];
    expect(end?.detail?.['reason']).toBe('process-exit');
    expect(end?.detail?.['ledger']).toMatchObject({
      responses: 2,
      inputTokens: 20,
      outputTokens: 40,
      cacheCreationTokens: 60,
      cacheReadTokens: 80,
    });
    expect(end?.detail?.['claudeCode']).toBeNull();
  });

  it('records one end when several signals report it (save, cost-state line, hook, exit)', async () => {
    const alive = new Set([7]);
    const watch = watchWith(
      [{ pid: 7, sessionId: SESSION, cwd: '/w', startedAtMs: null, path: 'x' }],
      alive,
    );
    watch.step(input(0));
    alive.delete(7);
    tree.append(tree.path('-p', `${SESSION}.jsonl`), jsonl(costStateLine(SESSION)));
    await sync(db, [tree.projectsDir]);
    watch.step(
      input(100, {
        saved: [{ sessionId: SESSION, project: '/w' }],
        hooks: [
          { event: 'SessionEnd', sessionId: SESSION, cwd: '/w', reason: 'prompt_input_exit' },
        ],
      }),
    );
    watch.step(input(5_000));
    watch.step(input(9_000, { saved: [{ sessionId: SESSION, project: '/w' }] }));
    const ends = sessionEvents().filter((e) => e.kind === 'session-end');
    expect(ends).toHaveLength(1);
    // Claude Code's cost-state totals sit beside the ledger's, with the difference.
    expect(ends[0]?.detail?.['claudeCode']).toMatchObject({
      source: 'cost-state',
      costUsd: 4.18237,
    });
    expect(ends[0]?.detail?.['difference']).toMatchObject({ costUsd: -4.18237 });
  });

  it('reopens an ended session on new activity (a resume) and ends it again', () => {
    const alive = new Set([1]);
    const processes: ProcessFile[] = [
      { pid: 1, sessionId: SESSION, cwd: '/w', startedAtMs: null, path: 'x' },
    ];
    const watch = watchWith(processes, alive, 0);
    watch.step(input(0));
    alive.delete(1);
    watch.step(input(10));
    processes[0] = { pid: 2, sessionId: SESSION, cwd: '/w', startedAtMs: null, path: 'y' };
    alive.add(2);
    watch.step(input(20));
    alive.delete(2);
    watch.step(input(30));
    expect(sessionEvents().map((e) => [e.kind, e.detail?.['run']])).toEqual([
      ['session-start', 1],
      ['session-end', 1],
      ['session-start', 2],
      ['session-end', 2],
    ]);
  });

  it('ends a session whose process file switched to another session (/clear)', () => {
    const processes: ProcessFile[] = [
      { pid: 5, sessionId: SESSION, cwd: '/w', startedAtMs: null, path: 'x' },
    ];
    const watch = watchWith(processes, new Set([5]), 0);
    watch.step(input(0));
    processes[0] = { pid: 5, sessionId: OTHER, cwd: '/w', startedAtMs: null, path: 'x' };
    watch.step(input(10));
    watch.step(input(20));
    expect(sessionEvents().map((e) => [e.kind, e.sessionId, e.detail?.['reason'] ?? null])).toEqual(
      [
        ['session-start', SESSION, null],
        ['session-start', OTHER, null],
        ['session-end', SESSION, 'switched'],
      ],
    );
  });

  it('ends an open session after the idle timeout when no process holds it', async () => {
    await writeResponses(SESSION, 29);
    const watch = watchWith([], new Set());
    watch.step(input(0));
    watch.step(input(30_000)); // 29.5 min since the last response
    expect(sessionEvents().map((e) => e.kind)).toEqual(['session-start']);
    watch.step(input(61_000)); // past 30 min
    const end = sessionEvents().at(-1);
    expect([end?.kind, end?.source, end?.detail?.['reason']]).toEqual([
      'session-end',
      'tracker',
      'idle',
    ]);
  });

  it('after a restart, ends the sessions whose process died while it was away, once', () => {
    const alive = new Set([9]);
    const processes: ProcessFile[] = [
      { pid: 9, sessionId: SESSION, cwd: '/w', startedAtMs: null, path: 'x' },
    ];
    watchWith(processes, alive, 0).step(input(0));
    processes.length = 0;
    alive.clear();
    const restarted = watchWith(processes, alive, 0);
    restarted.step(input(100));
    restarted.step(input(200));
    watchWith(processes, alive, 0).step(input(300));
    expect(sessionEvents().map((e) => [e.kind, e.detail?.['reason'] ?? null])).toEqual([
      ['session-start', null],
      ['session-end', 'process-exit'],
    ]);
  });

  it('starts and ends sessions from hooks, and a save of an unseen session is still an end', () => {
    const watch = watchWith([], new Set(), 0);
    watch.step(
      input(0, {
        hooks: [{ event: 'SessionStart', sessionId: SESSION, cwd: '/w', reason: 'startup' }],
      }),
    );
    watch.step(
      input(10, {
        hooks: [{ event: 'SessionEnd', sessionId: SESSION, cwd: '/w', reason: 'clear' }],
      }),
    );
    watch.step(input(20, { saved: [{ sessionId: OTHER, project: '/x' }] }));
    watch.step(input(30));
    expect(
      sessionEvents().map((e) => [e.kind, e.sessionId, e.source, e.detail?.['reason'] ?? null]),
    ).toEqual([
      ['session-start', SESSION, 'hook', null],
      ['session-end', SESSION, 'hook', 'hook:clear'],
      ['session-start', OTHER, 'claude-json', null],
      ['session-end', OTHER, 'claude-json', 'saved'],
    ]);
  });
});
