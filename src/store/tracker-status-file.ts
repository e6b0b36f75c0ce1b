/**
 * The running tracker's self-report, `<ledger>.tracker.json`: what `ctt status` shows besides the
 * lock probe. Written whole to a temp file in the same folder and renamed over the old one, so a
 * reader sees the previous report or the new one, never half of it. Diagnostics only: it is not
 * synced to disk, and a reader treats a missing or damaged file as "no report".
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

export type TrackerWatch = 'hybrid' | 'events' | 'poll';
export type TrackerMode = 'active' | 'idle' | 'paused' | 'stopping';

export interface TrackerLastError {
  readonly timeMs: number;
  /** Reliability §2.10 class or error code, e.g. 'db-busy', 'storage-full', 'EACCES'. */
  readonly errorClass: string;
  readonly message: string;
}

export interface TrackerStatus {
  readonly pid: number;
  readonly startedMs: number;
  /** The ctt version running. */
  readonly version: string;
  readonly watch: TrackerWatch;
  /** 'on', 'off', or why watchers are off (e.g. 'off: network file system'). */
  readonly watchers: string;
  readonly activeIntervalMs: number;
  readonly idleIntervalMs: number;
  readonly mode: TrackerMode;
  readonly currentIntervalMs: number;
  /** When the last poll started; null before the first. */
  readonly lastPollMs: number | null;
  readonly lastPollDurationMs: number | null;
  readonly polls: number;
  readonly filesTracked: number;
  readonly consecutiveErrors: number;
  readonly errorsTotal: number;
  readonly lastError: TrackerLastError | null;
  /** Why the tracker runs degraded (storage full, corruption, …), or null when healthy. */
  readonly degraded: string | null;
  /** When this report was written. */
  readonly updatedMs: number;
}

export function statusPathOf(dbPath: string): string {
  return `${dbPath}.tracker.json`;
}

/**
 * Replaces the report atomically. One small write and one rename: cheap enough to call on every
 * state change and every few seconds.
 */
export function writeTrackerStatus(path: string, status: TrackerStatus): void {
  // Per-process temp name: two writers (a new tracker starting while the old one stops) never
  // rename each other's half-written file.
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(status)}\n`, { mode: 0o600 });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
    throw error;
  }
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.find((item) => item === value) ?? fallback;
}

function lastErrorOf(value: unknown): TrackerLastError | null {
  if (typeof value !== 'object' || value === null) return null;
  const fields = value as Record<string, unknown>;
  return {
    timeMs: numberOr(fields['timeMs'], 0),
    errorClass: stringOr(fields['errorClass'], 'unknown'),
    message: stringOr(fields['message'], ''),
  };
}

/**
 * A parsed report, field by field: the identity fields must be sound, the rest falls back to
 * neutral values (a report from another ctt version should not hide the pid from `ctt status`).
 */
export function trackerStatusOf(value: unknown): TrackerStatus | null {
  if (typeof value !== 'object' || value === null) return null;
  const fields = value as Record<string, unknown>;
  const pid = numberOr(fields['pid'], null);
  const startedMs = numberOr(fields['startedMs'], null);
  const updatedMs = numberOr(fields['updatedMs'], null);
  if (pid === null || startedMs === null || updatedMs === null) return null;
  return {
    pid,
    startedMs,
    version: stringOr(fields['version'], 'unknown'),
    watch: oneOf(fields['watch'], ['hybrid', 'events', 'poll'], 'poll'),
    watchers: stringOr(fields['watchers'], 'off'),
    activeIntervalMs: numberOr(fields['activeIntervalMs'], 0),
    idleIntervalMs: numberOr(fields['idleIntervalMs'], 0),
    mode: oneOf(fields['mode'], ['active', 'idle', 'paused', 'stopping'], 'active'),
    currentIntervalMs: numberOr(fields['currentIntervalMs'], 0),
    lastPollMs: numberOr(fields['lastPollMs'], null),
    lastPollDurationMs: numberOr(fields['lastPollDurationMs'], null),
    polls: numberOr(fields['polls'], 0),
    filesTracked: numberOr(fields['filesTracked'], 0),
    consecutiveErrors: numberOr(fields['consecutiveErrors'], 0),
    errorsTotal: numberOr(fields['errorsTotal'], 0),
    lastError: lastErrorOf(fields['lastError']),
    degraded: stringOr(fields['degraded'], null),
    updatedMs,
  };
}

/** The last report, or null when there is none or it cannot be read as one (torn, foreign). */
export function readTrackerStatus(path: string): TrackerStatus | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    return trackerStatusOf(JSON.parse(text));
  } catch {
    return null;
  }
}
