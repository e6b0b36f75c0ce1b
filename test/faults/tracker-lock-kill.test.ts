/**
 * Reliability §2.9 / T17 with real processes: one tracker per ledger, and a holder killed with
 * SIGKILL leaves nothing stale behind: the next tracker takes over at once, no pid logic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerHeldError } from '../../src/core/errors.js';
import { acquireTrackerLock, isTrackerLockHeld } from '../../src/store/tracker-lock.js';
import { spawnLockHolder, writeHolderScript, type LockHolder } from '../helpers/lock-holder.js';

const ITERATIONS = 100;
const BATCH = 10;

describe('tracker lock across processes', () => {
  let dir: string;
  let dbPath: string;
  let script: string;
  const children: LockHolder[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctt-lock-kill-'));
    dbPath = join(dir, 'ledger.db');
    script = writeHolderScript(dir);
  });
  afterEach(async () => {
    for (const holder of children.splice(0)) {
      if (holder.child.exitCode === null && holder.child.signalCode === null) {
        holder.child.kill('SIGKILL');
        await holder.exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function spawnHolder(mode: 'once' | 'wait'): LockHolder {
    const holder = spawnLockHolder(script, dbPath, mode);
    children.push(holder);
    return holder;
  }

  it('a second process is refused with exit 75 while the first holds the lock', async () => {
    const first = spawnHolder('once');
    expect(await first.nextLine()).toBe('held');
    const second = spawnHolder('once');
    expect(await second.nextLine()).toBe('error E_LEDGER_HELD');
    expect(await second.exited).toBe(75);
    expect(isTrackerLockHeld(dbPath)).toBe(true);
  });

  it('a holder killed with SIGKILL frees the lock for an immediate takeover', async () => {
    const holder = spawnHolder('once');
    expect(await holder.nextLine()).toBe('held');
    await expect(acquireTrackerLock(dbPath, { waitMs: 0 })).rejects.toBeInstanceOf(LedgerHeldError);
    holder.child.kill('SIGKILL');
    expect(await holder.exited).toBeNull();
    expect(isTrackerLockHeld(dbPath)).toBe(false);
    // One attempt, no waiting: nothing stale is left to expire.
    const lock = await acquireTrackerLock(dbPath, { waitMs: 0 });
    expect(isTrackerLockHeld(dbPath)).toBe(true);
    lock.release();
  });

  it(`${ITERATIONS} times: B starts while A holds and is refused; kill -9 A; B takes over`, async () => {
    // Contenders start in batches (process start-up is most of the cost), all while a holder
    // lives. Each kill must hand the lock to exactly one of those waiting: never two, never none.
    let holder = spawnHolder('once');
    expect(await holder.nextLine()).toBe('held');
    let refused = 0;
    let takeovers = 0;
    let doubleHolders = 0;
    for (let batch = 0; batch < ITERATIONS / BATCH; batch++) {
      const waiting = Array.from({ length: BATCH }, () => spawnHolder('wait'));
      for (const line of await Promise.all(waiting.map((c) => c.nextLine()))) {
        if (line === 'refused') refused++;
      }
      const holds = new Map(waiting.map((c) => [c, c.nextLine().then(() => c)]));
      while (holds.size > 0) {
        // Let any output so far arrive: nobody waiting may hold the lock while the holder lives.
        await new Promise((resolve) => setImmediate(resolve));
        doubleHolders += [...holds.keys()].filter((c) => c.hasPendingLine()).length;
        await expect(acquireTrackerLock(dbPath, { waitMs: 0 })).rejects.toBeInstanceOf(
          LedgerHeldError,
        );
        holder.child.kill('SIGKILL');
        expect(await holder.exited).toBeNull();
        const winner = await Promise.race(holds.values());
        takeovers++;
        holds.delete(winner);
        children.splice(children.indexOf(holder), 1);
        holder = winner;
      }
    }
    expect({ refused, takeovers, doubleHolders }).toEqual({
      refused: ITERATIONS,
      takeovers: ITERATIONS,
      doubleHolders: 0,
    });
    expect(isTrackerLockHeld(dbPath)).toBe(true);
  });
});
