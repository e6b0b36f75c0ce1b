/**
 * When the tracker looks next, and how it waits after a failure (reliability §2.8, §2.10). Pure:
 * times are monotonic milliseconds handed in by the loop, randomness is injected.
 */

export interface ScheduleSettings {
  /** Interval while any session is active (default 500 ms). */
  readonly activeIntervalMs: number;
  /** Interval when nothing is active (default 2,000 ms). */
  readonly idleIntervalMs: number;
  /** Activity within this window keeps the tracker active even without a live process file. */
  readonly activeWindowMs: number;
}

export const DEFAULT_SCHEDULE: ScheduleSettings = Object.freeze({
  activeIntervalMs: 500,
  idleIntervalMs: 2_000,
  activeWindowMs: 60_000,
});

export interface ActivityState {
  readonly nowMs: number;
  /** Last time anything changed (a transcript byte, ~/.claude.json, a hook), or null. */
  readonly lastActivityMs: number | null;
  /** Claude Code processes alive right now (from their process files). */
  readonly liveSessions: number;
}

export type PollMode = 'active' | 'idle';

export function pollModeOf(settings: ScheduleSettings, state: ActivityState): PollMode {
  if (state.liveSessions > 0) return 'active';
  if (state.lastActivityMs !== null && state.nowMs - state.lastActivityMs < settings.activeWindowMs)
    return 'active';
  return 'idle';
}

export function intervalOf(settings: ScheduleSettings, mode: PollMode): number {
  return mode === 'active' ? settings.activeIntervalMs : settings.idleIntervalMs;
}

/**
 * `busy`: another process holds the ledger longer than the busy timeout; `storage-full`: the
 * disk or the ledger is full; `corrupt`: continuing is unsafe; `transient`: anything else, retried.
 */
export type ErrorClass = 'busy' | 'storage-full' | 'corrupt' | 'transient';

const BUSY = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_RECOVERY',
]);
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT', 'SQLITE_IOERR_WRITE']);
const CORRUPT = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_CORRUPT_VTAB',
  'E_LEDGER_CORRUPT',
  'E_SCHEMA_FROM_FUTURE',
]);

export function classifyError(error: unknown): ErrorClass {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (BUSY.has(code)) return 'busy';
    if (FULL.has(code)) return 'storage-full';
    if (CORRUPT.has(code)) return 'corrupt';
  }
  return 'transient';
}

interface Backoff {
  readonly firstMs: number;
  readonly maxMs: number;
}

const BACKOFF: Readonly<Record<Exclude<ErrorClass, 'corrupt'>, Backoff>> = {
  busy: { firstMs: 100, maxMs: 5_000 },
  'storage-full': { firstMs: 1_000, maxMs: 60_000 },
  transient: { firstMs: 100, maxMs: 30_000 },
};

/**
 * The wait before the next attempt after `consecutive` failures in a row (1 = the first):
 * exponential from the class's first delay to its cap. Busy and transient faults use full jitter
 * (so two trackers do not retry in step); a full disk pauses the whole tracker for the full step.
 */
export function backoffMs(
  errorClass: Exclude<ErrorClass, 'corrupt'>,
  consecutive: number,
  random: () => number = Math.random,
): number {
  const { firstMs, maxMs } = BACKOFF[errorClass];
  const stepMs = Math.min(maxMs, firstMs * 2 ** Math.max(0, Math.min(consecutive - 1, 30)));
  if (errorClass === 'storage-full') return stepMs;
  return Math.max(firstMs / 2, Math.floor(random() * stepMs));
}
