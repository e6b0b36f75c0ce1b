import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerHeldError } from '../core/errors.js';
import {
  acquireTrackerLock,
  isTrackerLockHeld,
  lockPathOf,
  type TrackerLock,
} from './tracker-lock.js';
import { statusPathOf, writeTrackerStatus, type TrackerStatus } from './tracker-status-file.js';

function statusOf(pid: number, startedMs: number): TrackerStatus {
  return {
    pid,
    startedMs,
    version: '0.1.0',
    watch: 'hybrid',
    watchers: 'on',
    activeIntervalMs: 500,
    idleIntervalMs: 2000,
    mode: 'active',
    currentIntervalMs: 500,
    lastPollMs: null,
    lastPollDurationMs: null,
    polls: 0,
    filesTracked: 0,
    consecutiveErrors: 0,
    errorsTotal: 0,
    lastError: null,
    degraded: null,
    updatedMs: startedMs,
  };
}

describe('tracker lock', () => {
  let dir: string;
  let dbPath: string;
  const held: TrackerLock[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctt-lock-'));
    dbPath = join(dir, 'data', 'ledger.db');
  });
  afterEach(() => {
    for (const lock of held.splice(0)) lock.release();
    rmSync(dir, { recursive: true, force: true });
  });

  async function acquire(
    options: Parameters<typeof acquireTrackerLock>[1] = {},
  ): Promise<TrackerLock> {
    const lock = await acquireTrackerLock(dbPath, options);
    held.push(lock);
    return lock;
  }

  it('uses a separate file next to the ledger and never touches the ledger itself', async () => {
    await acquire();
    expect(lockPathOf(dbPath)).toBe(`${dbPath}.tracker.lock`);
    expect(existsSync(lockPathOf(dbPath))).toBe(true);
    expect(existsSync(dbPath)).toBe(false);
  });

  it('refuses a second holder with LedgerHeldError (exit 75) after retrying for waitMs', async () => {
    await acquire();
    const sleeps: number[] = [];
    const second = acquireTrackerLock(dbPath, {
      waitMs: 1000,
      retryDelayMs: 100,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    const error = await second.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerHeldError);
    expect(error).toMatchObject({ code: 'E_LEDGER_HELD', exitCode: 75, holder: null });
    expect((error as Error).message).toContain(dbPath);
    // 11 attempts: at 0, 100, …, 1000 ms.
    expect(sleeps).toEqual(Array.from({ length: 10 }, () => 100));
  });

  it('names the holder from its status file', async () => {
    await acquire();
    const startedMs = Date.UTC(2026, 10, 30, 10, 0, 0);
    writeTrackerStatus(statusPathOf(dbPath), statusOf(4242, startedMs));
    const error = await acquireTrackerLock(dbPath, { waitMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerHeldError);
    expect(error).toMatchObject({ holder: { pid: 4242, startedMs } });
    expect((error as Error).message).toContain('pid 4242');
    expect((error as Error).message).toContain('2026-11-30T10:00:00.000Z');
  });

  it('with waitMs 0 tries once and does not sleep', async () => {
    await acquire();
    let slept = false;
    const error = await acquireTrackerLock(dbPath, {
      waitMs: 0,
      sleep: () => {
        slept = true;
        return Promise.resolve();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerHeldError);
    expect(slept).toBe(false);
  });

  it('is free again after release, and release is idempotent', async () => {
    const first = await acquire();
    first.release();
    first.release();
    const second = await acquire({ waitMs: 0 });
    expect(isTrackerLockHeld(dbPath)).toBe(true);
    second.release();
    expect(isTrackerLockHeld(dbPath)).toBe(false);
  });

  it('takes the lock as soon as the holder lets go while waiting', async () => {
    const first = await acquire();
    let attempts = 0;
    const second = await acquire({
      waitMs: 10_000,
      retryDelayMs: 100,
      sleep: () => {
        attempts++;
        if (attempts === 3) first.release();
        return Promise.resolve();
      },
    });
    expect(attempts).toBe(3);
    expect(isTrackerLockHeld(dbPath)).toBe(true);
    second.release();
  });

  it('waits with the real clock by default', async () => {
    await acquire();
    const error = await acquireTrackerLock(dbPath, { waitMs: 50, retryDelayMs: 10 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LedgerHeldError);
  });

  describe('probe', () => {
    it('reports no holder without creating the lock file', () => {
      expect(isTrackerLockHeld(dbPath)).toBe(false);
      expect(existsSync(lockPathOf(dbPath))).toBe(false);
    });

    it('sees a holder and never disturbs it', async () => {
      await acquire();
      for (let i = 0; i < 20; i++) expect(isTrackerLockHeld(dbPath)).toBe(true);
      // Still held exclusively after all those probes.
      await expect(acquireTrackerLock(dbPath, { waitMs: 0 })).rejects.toBeInstanceOf(
        LedgerHeldError,
      );
    });

    it('leaves a free lock free for the next tracker', async () => {
      await acquire();
      held.splice(0).forEach((lock) => lock.release());
      expect(isTrackerLockHeld(dbPath)).toBe(false);
      await acquire({ waitMs: 0 });
      expect(isTrackerLockHeld(dbPath)).toBe(true);
    });
  });
});
