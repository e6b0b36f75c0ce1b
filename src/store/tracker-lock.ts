/**
 * One tracker per ledger (reliability §2.9). The lock is an exclusive SQLite lock on a separate
 * file, `<ledger>.tracker.lock`, held by an open connection for the life of the process. The OS
 * drops it when the process dies, however it dies (SIGKILL included), so there is no pid file to
 * go stale and nothing to clean up. A separate file, because closing any descriptor of the ledger
 * itself would drop SQLite's locks on it (howtocorrupt).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LedgerHeldError } from '../core/errors.js';
import { isBusyError } from './busy-retry.js';
import { readTrackerStatus, statusPathOf } from './tracker-status-file.js';

export function lockPathOf(dbPath: string): string {
  return `${dbPath}.tracker.lock`;
}

export interface TrackerLock {
  /** Drops the lock (idempotent). Dying has the same effect. */
  release(): void;
}

export interface AcquireTrackerLockOptions {
  /** How long to keep trying while another tracker holds it: a supervisor may start the new
   * instance before the old one has exited (Filebeat #2961). */
  readonly waitMs?: number;
  readonly retryDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** One attempt: the held connection, or null when another connection holds the lock. */
function tryLock(lockPath: string): Database.Database | null {
  const db = new Database(lockPath, { timeout: 0 });
  try {
    // EXCLUSIVE locking mode keeps the lock after the statement; BEGIN EXCLUSIVE takes it now.
    // The transaction is never committed: it lives as long as the connection.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    if (isBusyError(error)) return null;
    throw error;
  }
}

/**
 * Takes the tracker lock of the ledger at `dbPath`, retrying every `retryDelayMs` for up to
 * `waitMs` (default 10 s), then throws `LedgerHeldError` (exit 75) naming the holder when its
 * status file tells.
 */
export async function acquireTrackerLock(
  dbPath: string,
  options: AcquireTrackerLockOptions = {},
): Promise<TrackerLock> {
  const waitMs = options.waitMs ?? 10_000;
  const retryDelayMs = Math.max(1, options.retryDelayMs ?? 100);
  const sleep = options.sleep ?? defaultSleep;
  const lockPath = lockPathOf(dbPath);
  mkdirSync(dirname(lockPath), { recursive: true, mode: 0o700 });
  // Waiting is counted in requested sleeps, not wall time: the number of attempts does not
  // depend on how slow the machine is, and an injected sleep makes it instant in tests.
  for (let waitedMs = 0; ; waitedMs += retryDelayMs) {
    const db = tryLock(lockPath);
    if (db !== null) {
      return {
        release() {
          if (db.open) db.close();
        },
      };
    }
    if (waitedMs + retryDelayMs > waitMs) break;
    await sleep(retryDelayMs);
  }
  const status = readTrackerStatus(statusPathOf(dbPath));
  throw new LedgerHeldError(
    dbPath,
    status === null ? null : { pid: status.pid, startedMs: status.startedMs },
  );
}

/**
 * Whether a tracker holds the lock now, without waiting. The probe takes a shared lock for an
 * instant, read-only, and never creates the file: a holder is never disturbed, and a tracker
 * starting at that very instant just retries 100 ms later.
 */
export function isTrackerLockHeld(dbPath: string): boolean {
  const lockPath = lockPathOf(dbPath);
  if (!existsSync(lockPath)) return false;
  let db: Database.Database;
  try {
    db = new Database(lockPath, { timeout: 0, readonly: true, fileMustExist: true });
  } catch (error) {
    // Removed between the check and the open: nobody can hold it.
    if ((error as { code?: unknown }).code === 'SQLITE_CANTOPEN') return false;
    throw error;
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return false;
  } catch (error) {
    if (isBusyError(error)) return true;
    throw error;
  } finally {
    db.close();
  }
}
