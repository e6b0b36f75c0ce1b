/**
 * Local-time arithmetic for report buckets (day, hour, week, month) in an IANA zone. Pure: the
 * only outside input is the ICU time-zone data behind `Intl.DateTimeFormat`.
 *
 * Speed: an ICU call costs microseconds and reports bucket up to ~100k timestamps, so the zone's
 * offset is asked of ICU once per UTC hour start and cached; local parts then come from plain
 * arithmetic. Inside an hour whose start and end offsets differ (it holds a DST transition)
 * every instant asks ICU for its own offset.
 */
import { UsageError } from './errors.js';

/** 0 = Sunday … 6 = Saturday (the `Date#getDay` convention). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Wall-clock fields of an instant in a zone; `month` 1–12, `hour` 0–23. */
export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: Weekday;
}

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The environment variables this module reads. */
export interface TimeZoneEnv {
  readonly TZ?: string | undefined;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Bounds the per-zone offset cache (~11 years of hours); cleared when full. */
const MAX_CACHED_HOURS = 100_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** zone → UTC hour index → the zone's offset (ms) at the start of that hour. */
const hourStartOffsets = new Map<string, Map<number, number>>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    // Throws RangeError for an unknown zone; only valid zones get cached.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function isValidTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** ICU's spelling when it only differs in case (`utc` → `UTC`), else `zone` as given. */
function tidyZoneName(zone: string): string {
  const resolved = formatterFor(zone).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

/**
 * The zone reports use: `zone` when given (an unknown one is a UsageError), else the system zone:
 * `env.TZ` when it names a valid IANA zone, else what `Intl` reports, else UTC.
 */
export function resolveTimeZone(zone: string | undefined, env: TimeZoneEnv): string {
  if (zone !== undefined) {
    const trimmed = zone.trim();
    if (!isValidTimeZone(trimmed)) {
      throw new UsageError(
        `unknown time zone "${zone}" (expected an IANA zone such as Europe/Berlin or UTC)`,
      );
    }
    return tidyZoneName(trimmed);
  }
  const fromEnv = env.TZ?.trim().replace(/^:/, '');
  if (fromEnv !== undefined && isValidTimeZone(fromEnv)) return tidyZoneName(fromEnv);
  const system = new Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined;
  return system !== undefined && isValidTimeZone(system) ? system : 'UTC';
}

/** The formatter's `format` output (`3/8/2026, 02:00:00`): parsed 4× faster than `formatToParts`. */
const FORMATTED = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;
const FORMATTED_FIELDS = ['month', 'day', 'year', 'hour', 'minute', 'second'] as const;

/** Offset (local − UTC, ms) at `epochMs`, asked of ICU directly. */
function icuOffsetMs(epochMs: number, zone: string): number {
  const formatter = formatterFor(zone);
  const match = FORMATTED.exec(formatter.format(epochMs));
  const parts = match === null ? formatter.formatToParts(epochMs) : [];
  const values =
    match?.slice(1) ?? FORMATTED_FIELDS.map((type) => parts.find((p) => p.type === type)?.value);
  const [month = 1, day = 1, year = 0, hour = 0, minute = 0, second = 0] = values.map(Number);
  const localAsUtcMs =
    daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * SECOND_MS;
  return localAsUtcMs - (epochMs - mod(epochMs, SECOND_MS));
}

/** Offset of `zone` from UTC at `epochMs` in ms (positive east of Greenwich). */
export function zoneOffsetMs(epochMs: number, zone: string): number {
  const hourIndex = Math.floor(epochMs / HOUR_MS);
  const atStart = offsetAtHourStart(hourIndex, zone);
  // Equal offsets at both ends: no transition inside the hour (zones never change twice in one).
  return atStart === offsetAtHourStart(hourIndex + 1, zone) ? atStart : icuOffsetMs(epochMs, zone);
}

function offsetAtHourStart(hourIndex: number, zone: string): number {
  let cache = hourStartOffsets.get(zone);
  if (cache === undefined) {
    formatterFor(zone);
    cache = new Map();
    hourStartOffsets.set(zone, cache);
  }
  let offsetMs = cache.get(hourIndex);
  if (offsetMs === undefined) {
    offsetMs = icuOffsetMs(hourIndex * HOUR_MS, zone);
    if (cache.size >= MAX_CACHED_HOURS) cache.clear();
    cache.set(hourIndex, offsetMs);
  }
  return offsetMs;
}

/** Wall-clock fields of `epochMs` in `zone` (throws RangeError for an unknown zone). */
export function zonedParts(epochMs: number, zone: string): ZonedParts {
  const localMs = epochMs + zoneOffsetMs(epochMs, zone);
  const days = Math.floor(localMs / DAY_MS);
  const msOfDay = localMs - days * DAY_MS;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(msOfDay / HOUR_MS),
    minute: Math.floor((msOfDay % HOUR_MS) / MINUTE_MS),
    weekday: weekdayOfDays(days),
  };
}

/** Local date `YYYY-MM-DD`. */
export function dayKey(epochMs: number, zone: string): string {
  return formatDateKey(zonedParts(epochMs, zone));
}

/** Local hour `YYYY-MM-DDTHH`. */
export function hourKey(epochMs: number, zone: string): string {
  const parts = zonedParts(epochMs, zone);
  return `${formatDateKey(parts)}T${pad(parts.hour, 2)}`;
}

/** Local month `YYYY-MM`. */
export function monthKey(epochMs: number, zone: string): string {
  const parts = zonedParts(epochMs, zone);
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}`;
}

/** The local date (`YYYY-MM-DD`) of the first day of the week holding `epochMs`. */
export function weekKey(epochMs: number, zone: string, startOfWeek: number): string {
  if (!Number.isInteger(startOfWeek) || startOfWeek < 0 || startOfWeek > 6) {
    throw new RangeError(`start of week ${startOfWeek} is not a weekday number 0–6`);
  }
  const parts = zonedParts(epochMs, zone);
  const daysIntoWeek = (parts.weekday - startOfWeek + 7) % 7;
  const days = daysFromCivil(parts.year, parts.month, parts.day) - daysIntoWeek;
  return formatDateKey(civilFromDays(days));
}

/**
 * First instant of the local day `dateKey` (`YYYY-MM-DD`) in `zone`: its midnight, the earlier
 * one when midnight happens twice, or the transition instant when midnight is skipped.
 */
export function startOfLocalDay(dateKey: string, zone: string): number {
  const date = parseDateKey(dateKey);
  if (date === null) throw new UsageError(`invalid date "${dateKey}" (expected YYYY-MM-DD)`);
  const midnightAsUtcMs = daysFromCivil(date.year, date.month, date.day) * DAY_MS;
  // Midnight uses the offset in force the day before, that day, or the day after.
  const offsets = new Set([
    zoneOffsetMs(midnightAsUtcMs - DAY_MS, zone),
    zoneOffsetMs(midnightAsUtcMs, zone),
    zoneOffsetMs(midnightAsUtcMs + DAY_MS, zone),
  ]);
  let earliest: number | null = null;
  for (const offsetMs of offsets) {
    const candidate = midnightAsUtcMs - offsetMs;
    if (zoneOffsetMs(candidate, zone) === offsetMs && (earliest === null || candidate < earliest)) {
      earliest = candidate;
    }
  }
  if (earliest !== null) return earliest;
  // Midnight was skipped: find the first instant whose local time is on or after it. Offsets
  // lie within ±14 h, so the local day is still ahead at `low` and has begun at `high`.
  let low = midnightAsUtcMs - 26 * HOUR_MS;
  let high = midnightAsUtcMs + 26 * HOUR_MS;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (middle + zoneOffsetMs(middle, zone) >= midnightAsUtcMs) high = middle;
    else low = middle;
  }
  return high;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `monday`, `Mon`, … → 1; an unknown name is a UsageError. */
export function parseWeekday(value: string): Weekday {
  const name = value.trim().toLowerCase();
  const index = WEEKDAYS.findIndex((full) => full === name || full.slice(0, 3) === name);
  if (index < 0) {
    throw new UsageError(`unknown weekday "${value}" (expected a day name such as monday or mon)`);
  }
  return index as Weekday;
}

/** Whether year-month-day names a real Gregorian date (month 1–12). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (![year, month, day].every(Number.isInteger) || month < 1 || month > 12) return false;
  const date = civilFromDays(daysFromCivil(year, month, day));
  return date.year === year && date.month === month && date.day === day;
}

/** `YYYY-MM-DD` → its fields, or null when malformed or not a real date. */
export function parseDateKey(dateKey: string): CalendarDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateKey);
  const [year = NaN, month = NaN, day = NaN] = match?.slice(1).map(Number) ?? [];
  return isCalendarDate(year, month, day) ? { year, month, day } : null;
}

/** The date key `days` calendar days after `dateKey` (negative goes back). */
export function addDaysToDateKey(dateKey: string, days: number): string {
  const date = parseDateKey(dateKey);
  if (date === null) throw new UsageError(`invalid date "${dateKey}" (expected YYYY-MM-DD)`);
  return formatDateKey(civilFromDays(daysFromCivil(date.year, date.month, date.day) + days));
}

function formatDateKey(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

function weekdayOfDays(daysSinceEpoch: number): Weekday {
  return mod(daysSinceEpoch + 4, 7) as Weekday; // 1970-01-01 was a Thursday
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12; overflow rolls over). */
function daysFromCivil(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  return Math.round(new Date(0).setUTCFullYear(year, month - 1, day) / DAY_MS);
}

function civilFromDays(daysSinceEpoch: number): CalendarDate {
  const date = new Date(daysSinceEpoch * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}
