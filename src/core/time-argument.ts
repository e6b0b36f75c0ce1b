/**
 * `--since` / `--until` for the audit trail (`ctt changes`), where a day is often too coarse: a
 * calendar date (`2026-11-30`, `20261130`: whole local days, like reports), a date-time
 * (`2026-11-30T14:05`, `…:07`, `…Z`, `…+01:00`; without an offset it is wall time in the zone),
 * or a span back from now (`90s`, `30m`, `2h`, `7d`). Both bounds are inclusive.
 */
import { parseDateArgument } from './date-range.js';
import { UsageError } from './errors.js';
import { addDaysToDateKey, isCalendarDate, startOfLocalDay, zoneOffsetMs } from './time-zone.js';

export interface TimeArguments {
  readonly since?: string | undefined;
  readonly until?: string | undefined;
}

/** `[sinceMs, untilMs)` in epoch ms; absent = unbounded on that side. */
export interface TimeRange {
  readonly sinceMs?: number;
  readonly untilMs?: number;
}

type Bound = { readonly day: string } | { readonly instantMs: number };

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const SPAN = /^(\d{1,9})(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const HOUR_MS = 3_600_000;

/** Epoch ms of wall time `localAsUtcMs` (its fields read as UTC) in `zone`; the earlier of two. */
function wallTimeToEpochMs(localAsUtcMs: number, zone: string): number {
  const offsets = new Set(
    [-26, 0, 26].map((hours) => zoneOffsetMs(localAsUtcMs + hours * HOUR_MS, zone)),
  );
  const valid = [...offsets]
    .map((offsetMs) => localAsUtcMs - offsetMs)
    .filter((candidate) => candidate + zoneOffsetMs(candidate, zone) === localAsUtcMs);
  if (valid.length > 0) return Math.min(...valid);
  // Skipped by a DST jump (02:30 on a spring-forward night): read it with the offset before the
  // jump, which lands as far after the jump as the time was after its start.
  return localAsUtcMs - zoneOffsetMs(localAsUtcMs - 26 * HOUR_MS, zone);
}

function parseDateTime(flag: string, value: string, zone: string): number | null {
  const match = DATE_TIME.exec(value);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '0', offset] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined ||
    !isCalendarDate(year, month, day) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new UsageError(`${flag} "${value}" is not a valid date-time`);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(frac.padEnd(3, '0')));
  const localAsUtcMs = date.getTime();
  if (offset === undefined) return wallTimeToEpochMs(localAsUtcMs, zone);
  if (offset.toUpperCase() === 'Z') return localAsUtcMs;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return localAsUtcMs - sign * offsetMinutes * 60_000;
}

function parseBound(flag: string, value: string, zone: string, nowMs: number): Bound {
  const trimmed = value.trim();
  const span = SPAN.exec(trimmed);
  if (span !== null) return { instantMs: nowMs - Number(span[1]) * (UNIT_MS[span[2] ?? ''] ?? 0) };
  const instantMs = parseDateTime(flag, trimmed, zone);
  if (instantMs !== null) return { instantMs };
  if (/^\d{4}-?\d{2}-?\d{2}$/.test(trimmed)) return { day: parseDateArgument(flag, trimmed) };
  throw new UsageError(
    `${flag} "${value}" is not a date, date-time or span (e.g. 2026-11-30, 2026-11-30T14:05, 2h)`,
  );
}

/**
 * The epoch range of `since`…`until` in `zone` at `nowMs`: a date starts at its local midnight
 * (`since`) or ends with its local day (`until`); a date-time or span is that instant, included.
 * `since` after `until` is a UsageError.
 */
export function toTimeRange(args: TimeArguments, zone: string, nowMs: number): TimeRange {
  const since = args.since === undefined ? null : parseBound('--since', args.since, zone, nowMs);
  const until = args.until === undefined ? null : parseBound('--until', args.until, zone, nowMs);
  const sinceMs =
    since === null
      ? undefined
      : 'day' in since
        ? startOfLocalDay(since.day, zone)
        : since.instantMs;
  const untilMs =
    until === null
      ? undefined
      : 'day' in until
        ? startOfLocalDay(addDaysToDateKey(until.day, 1), zone)
        : until.instantMs + 1;
  if (sinceMs !== undefined && untilMs !== undefined && sinceMs >= untilMs) {
    throw new UsageError(
      `--since ${args.since ?? ''} is after --until ${args.until ?? ''} (expected since <= until)`,
    );
  }
  return {
    ...(sinceMs === undefined ? {} : { sinceMs }),
    ...(untilMs === undefined ? {} : { untilMs }),
  };
}
