/**
 * `--since` / `--until` (spec/cli.md): calendar dates in the report's zone, both inclusive,
 * turned into a half-open epoch range `[fromMs, toMsExclusive)`.
 */
import { UsageError } from './errors.js';
import { addDaysToDateKey, isCalendarDate, startOfLocalDay } from './time-zone.js';

export interface DateRangeArguments {
  /** `YYYY-MM-DD` or `YYYYMMDD`: the first local day included. */
  readonly since?: string | undefined;
  /** `YYYY-MM-DD` or `YYYYMMDD`: the last local day included (the whole day). */
  readonly until?: string | undefined;
}

/** Half-open `[fromMs, toMsExclusive)`; null = unbounded on that side. */
export interface EpochRange {
  readonly fromMs: number | null;
  readonly toMsExclusive: number | null;
}

const DASHED = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * A date option's value (`2026-03-08` or `20260308`) as `YYYY-MM-DD`; anything else, or a date
 * that does not exist (`2026-02-30`), is a UsageError naming `flag`.
 */
export function parseDateArgument(flag: string, value: string): string {
  const trimmed = value.trim();
  const match = DASHED.exec(trimmed) ?? COMPACT.exec(trimmed);
  if (match !== null) {
    const [, year = '', month = '', day = ''] = match;
    if (isCalendarDate(Number(year), Number(month), Number(day))) return `${year}-${month}-${day}`;
  }
  throw new UsageError(
    `${flag} "${value}" is not a valid date (expected YYYY-MM-DD or YYYYMMDD, e.g. 2026-03-08)`,
  );
}

/**
 * The epoch range of `since`…`until` in `zone`: from the first instant of the `since` day to the
 * first instant of the day after `until` (so `until` covers its whole local day, 23 or 25 hours
 * long on DST days). `since` after `until` is a UsageError.
 */
export function toEpochRange(range: DateRangeArguments, zone: string): EpochRange {
  const since = range.since === undefined ? null : parseDateArgument('--since', range.since);
  const until = range.until === undefined ? null : parseDateArgument('--until', range.until);
  if (since !== null && until !== null && since > until) {
    throw new UsageError(`--since ${since} is after --until ${until} (expected since <= until)`);
  }
  return {
    fromMs: since === null ? null : startOfLocalDay(since, zone),
    toMsExclusive: until === null ? null : startOfLocalDay(addDaysToDateKey(until, 1), zone),
  };
}

/** Whether `epochMs` lies in `range`. */
export function isInEpochRange(epochMs: number, range: EpochRange): boolean {
  return (
    (range.fromMs === null || epochMs >= range.fromMs) &&
    (range.toMsExclusive === null || epochMs < range.toMsExclusive)
  );
}
