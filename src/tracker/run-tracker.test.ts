import { describe, expect, it } from 'vitest';
import type { Ledger } from '../store/database.js';
import type { TrackerStatus } from '../store/tracker-status-file.js';
import { TrackerLoop, type TrackerEvent, type TrackerLoopSettings } from './run-tracker.js';
import type { PollReport, TrackerPoll } from './tracker-poll.js';

function report(overrides: Partial<PollReport> = {}): PollReport {
  return {
    durationMs: 1,
    filesSeen: 3,
    listed: true,
    pass: null,
    claudeJson: 'unchanged',
    tornReads: 0,
    claudeJsonDegraded: false,
    hooks: 0,
    liveProcesses: 0,
    openSessions: 0,
    changes: [],
    activity: false,
    ...overrides,
  };
}

/** A poll that runs `script[i]` on its i-th call (then the last entry forever). */
function scriptedPoll(script: ((call: number) => PollReport)[]) {
  let calls = 0;
  const flushes: boolean[] = [];
  const poll = {
    skipPrinted: () => 0,
    poll: (options: { flushSessions?: boolean } = {}) => {
      const step = script[Math.min(calls, script.length - 1)];
      flushes.push(options.flushSessions === true);
      calls++;
      return Promise.resolve().then(() => (step === undefined ? report() : step(calls)));
    },
  };
  return { poll: poll as unknown as TrackerPoll, calls: () => calls, flushes };
}

function fakeDb() {
  const pragmas: string[] = [];
  return {
    db: { pragma: (text: string) => pragmas.push(text) } as unknown as Ledger,
    pragmas,
  };
}

const settings: TrackerLoopSettings = {
  schedule: { activeIntervalMs: 5, idleIntervalMs: 20, activeWindowMs: 50 },
  watch: 'poll',
  reconcileIntervalMs: 1_000,
  shutdownDeadlineMs: 5_000,
  version: 'test',
  monoMs: () => performance.now(),
  wallMs: () => Date.now(),
};

function harness(
  pollScript: ((call: number) => PollReport)[],
  overrides: Partial<TrackerLoopSettings> = {},
) {
  const events: TrackerEvent[] = [];
  const statuses: TrackerStatus[] = [];
  const { poll, calls, flushes } = scriptedPoll(pollScript);
  const { db, pragmas } = fakeDb();
  const loop = new TrackerLoop(
    { ...settings, ...overrides },
    {
      db,
      poll,
      writeStatus: (status) => statuses.push(status),
      onEvent: (event) => events.push(event),
    },
  );
  return { loop, events, statuses, calls, flushes, pragmas };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(condition()).toBe(true);
}

describe('TrackerLoop', () => {
  it('catches up, polls until stopped, then does a final poll that flushes sessions and checkpoints', async () => {
    const h = harness([() => report()]);
    const running = h.loop.run();
    await until(() => h.calls() >= 5);
    h.loop.stop('SIGTERM');
    await running;
    const types = h.events.map((e) => e.type);
    expect(types[0]).toBe('catch-up');
    expect(types).toContain('stopping');
    expect(types.at(-1)).toBe('stopped');
    expect(h.flushes.at(-1)).toBe(true);
    expect(h.flushes.slice(0, -1).every((flush) => !flush)).toBe(true);
    expect(h.pragmas).toEqual(['wal_checkpoint(TRUNCATE)']);
    expect(h.statuses.at(-1)?.polls).toBe(h.calls());
  });

  it('goes idle without activity and back to active on activity, reporting each switch', async () => {
    let active = false;
    const h = harness([() => report({ activity: active })]);
    const running = h.loop.run();
    await until(() => h.events.some((e) => e.type === 'mode' && e.mode === 'idle'));
    active = true;
    await until(() => {
      const modes = h.events.filter((e) => e.type === 'mode');
      return modes.at(-1)?.type === 'mode' && (modes.at(-1) as { mode: string }).mode === 'active';
    });
    h.loop.stop('SIGINT');
    await running;
    const modes = h.events.flatMap((e) => (e.type === 'mode' ? [[e.mode, e.intervalMs]] : []));
    expect(modes.slice(0, 2)).toEqual([
      ['idle', 20],
      ['active', 5],
    ]);
  });

  it('keeps running through transient, busy and full-disk errors, counting them, and recovers', async () => {
    const fail = (code: string) => () => {
      throw Object.assign(new Error(`boom ${code}`), { code });
    };
    const h = harness([() => report(), fail('EACCES'), fail('SQLITE_BUSY'), () => report()]);
    const running = h.loop.run();
    await until(() => h.events.some((e) => e.type === 'recovered'));
    h.loop.stop('SIGTERM');
    await running;
    const errors = h.events.filter((e) => e.type === 'error');
    expect(errors.map((e) => [e.errorClass, e.consecutive])).toEqual([
      ['transient', 1],
      ['busy', 2],
    ]);
    expect(h.events.find((e) => e.type === 'recovered')).toEqual({
      type: 'recovered',
      afterErrors: 2,
    });
    const worst = h.statuses.reduce((max, s) => Math.max(max, s.consecutiveErrors), 0);
    expect(worst).toBe(2);
    expect(h.statuses.at(-1)?.consecutiveErrors).toBe(0);
    expect(h.statuses.at(-1)?.errorsTotal).toBe(2);
    expect(h.statuses.at(-1)?.lastError?.errorClass).toBe('busy');
  });

  it('pauses on a full disk and reports it degraded', async () => {
    const h = harness([
      () => report(),
      () => {
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      },
    ]);
    const running = h.loop.run();
    await until(() => h.statuses.some((s) => s.degraded !== null));
    h.loop.stop('SIGTERM');
    await running;
    const degraded = h.statuses.find((s) => s.degraded !== null);
    expect(degraded?.mode).toBe('paused');
    expect(degraded?.degraded).toMatch(/storage full/);
    const error = h.events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.retryInMs).toBe(1_000);
  });

  it('reports ~/.claude.json degraded while it reads invalid for long, and clears it after', async () => {
    let degraded = false;
    const h = harness([() => report({ claudeJsonDegraded: degraded })]);
    const running = h.loop.run();
    await until(() => h.calls() >= 3);
    degraded = true;
    await until(() => h.statuses.some((s) => s.degraded !== null));
    degraded = false;
    await until(() => h.statuses.at(-1)?.degraded === null);
    h.loop.stop('SIGTERM');
    await running;
    expect(h.statuses.find((s) => s.degraded !== null)?.degraded).toMatch(/claude\.json/);
  });

  it('stops with an error when the ledger is damaged: continuing is unsafe', async () => {
    const h = harness([
      () => report(),
      () => {
        throw Object.assign(new Error('database disk image is malformed'), {
          code: 'SQLITE_CORRUPT',
        });
      },
    ]);
    await expect(h.loop.run()).rejects.toThrow(/ledger is damaged/);
    expect(h.statuses.at(-1)?.degraded).toMatch(/ledger damaged/);
  });
});
