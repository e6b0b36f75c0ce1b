import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import {
  addDaysToDateKey,
  dayKey,
  hourKey,
  isCalendarDate,
  monthKey,
  parseDateKey,
  parseWeekday,
  resolveTimeZone,
  startOfLocalDay,
  weekKey,
  zoneOffsetMs,
  zonedParts,
} from './time-zone.js';

const LA = 'America/Los_Angeles';
const KOLKATA = 'Asia/Kolkata';
const HOUR_MS = 3_600_000;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s, ms);

describe('resolveTimeZone', () => {
  it('keeps a valid zone, fixing only its case', () => {
    expect(resolveTimeZone('Europe/Paris', {})).toBe('Europe/Paris');
    expect(resolveTimeZone('utc', {})).toBe('UTC');
    expect(resolveTimeZone('america/los_angeles', {})).toBe(LA);
    // ICU calls this zone Asia/Calcutta; the user's spelling is kept.
    expect(resolveTimeZone(KOLKATA, {})).toBe(KOLKATA);
  });

  it('rejects an unknown zone with a one-line UsageError naming it', () => {
    for (const bad of ['Mars/Olympus', '', '+05:30', 'UTC0']) {
      const error = catchError(() => resolveTimeZone(bad, { TZ: 'UTC' }));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toContain(`unknown time zone "${bad}"`);
      expect(error.message).not.toContain('\n');
    }
  });

  it('falls back to TZ, then to the zone Intl reports', () => {
    expect(resolveTimeZone(undefined, { TZ: KOLKATA })).toBe(KOLKATA);
    expect(resolveTimeZone(undefined, { TZ: ':Europe/Berlin' })).toBe('Europe/Berlin');
    const system = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(resolveTimeZone(undefined, { TZ: 'Not/AZone' })).toBe(system);
    expect(resolveTimeZone(undefined, {})).toBe(system);
  });
});

describe('America/Los_Angeles across DST', () => {
  it('spring forward 2026-03-08: a 23-hour day with no 02 hour', () => {
    const start = startOfLocalDay('2026-03-08', LA);
    expect(start).toBe(utc(2026, 3, 8, 8)); // 00:00 PST
    expect(startOfLocalDay('2026-03-09', LA)).toBe(utc(2026, 3, 9, 7)); // 00:00 PDT
    expect(startOfLocalDay('2026-03-09', LA) - start).toBe(23 * HOUR_MS);
    expect(hourKey(utc(2026, 3, 8, 9, 59, 59), LA)).toBe('2026-03-08T01');
    expect(hourKey(utc(2026, 3, 8, 10), LA)).toBe('2026-03-08T03');
    const hours = new Set<string>();
    for (let t = start; t < start + 23 * HOUR_MS; t += 60_000) hours.add(hourKey(t, LA));
    expect(hours.size).toBe(23);
    expect(hours.has('2026-03-08T02')).toBe(false);
  });

  it('fall back 2026-11-01: a 25-hour day; 01:30 happens twice, both in day 11-01 hour 01', () => {
    const start = startOfLocalDay('2026-11-01', LA);
    expect(start).toBe(utc(2026, 11, 1, 7)); // 00:00 PDT
    expect(startOfLocalDay('2026-11-02', LA) - start).toBe(25 * HOUR_MS);
    const firstOneThirty = utc(2026, 11, 1, 8, 30); // PDT
    const secondOneThirty = utc(2026, 11, 1, 9, 30); // PST
    for (const t of [firstOneThirty, secondOneThirty]) {
      expect(zonedParts(t, LA)).toEqual({
        year: 2026,
        month: 11,
        day: 1,
        hour: 1,
        minute: 30,
        weekday: 0,
      });
      expect(dayKey(t, LA)).toBe('2026-11-01');
      expect(hourKey(t, LA)).toBe('2026-11-01T01');
    }
    expect(zoneOffsetMs(firstOneThirty, LA)).toBe(-7 * HOUR_MS);
    expect(zoneOffsetMs(secondOneThirty, LA)).toBe(-8 * HOUR_MS);
    expect(hourKey(utc(2026, 11, 1, 7, 30), LA)).toBe('2026-11-01T00');
    expect(hourKey(utc(2026, 11, 1, 10, 30), LA)).toBe('2026-11-01T02');
    expect(dayKey(utc(2026, 11, 2, 7, 59), LA)).toBe('2026-11-01'); // 23:59 PST
    expect(dayKey(utc(2026, 11, 2, 8), LA)).toBe('2026-11-02');
  });

  it('month keys follow the local month across DST', () => {
    expect(monthKey(utc(2026, 4, 1, 6, 30), LA)).toBe('2026-03'); // Mar 31 23:30 PDT
    expect(monthKey(utc(2026, 4, 1, 6, 30), 'UTC')).toBe('2026-04');
    expect(monthKey(utc(2026, 4, 1, 7), LA)).toBe('2026-04');
    expect(monthKey(utc(2026, 11, 1, 6, 59), LA)).toBe('2026-10'); // Oct 31 23:59 PDT
    expect(monthKey(utc(2026, 12, 1, 7, 59), LA)).toBe('2026-11'); // Nov 30 23:59 PST
    expect(monthKey(utc(2026, 12, 1, 8), LA)).toBe('2026-12');
  });
});

describe('Asia/Kolkata (+05:30) and UTC', () => {
  it('UTC 18:29 and 18:31 fall on different local days', () => {
    expect(dayKey(utc(2026, 1, 14, 18, 29), KOLKATA)).toBe('2026-01-14');
    expect(hourKey(utc(2026, 1, 14, 18, 29), KOLKATA)).toBe('2026-01-14T23');
    expect(zonedParts(utc(2026, 1, 14, 18, 29), KOLKATA).minute).toBe(59);
    expect(dayKey(utc(2026, 1, 14, 18, 31), KOLKATA)).toBe('2026-01-15');
    expect(hourKey(utc(2026, 1, 14, 18, 31), KOLKATA)).toBe('2026-01-15T00');
    expect(zonedParts(utc(2026, 1, 14, 18, 31), KOLKATA).minute).toBe(1);
    expect(startOfLocalDay('2026-01-15', KOLKATA)).toBe(utc(2026, 1, 14, 18, 30));
    expect(zoneOffsetMs(utc(2026, 1, 14), KOLKATA)).toBe(5.5 * HOUR_MS);
  });

  it('UTC keys change exactly at UTC midnight and year end', () => {
    const lastMs = utc(2026, 12, 31, 23, 59, 59, 999);
    expect(dayKey(lastMs, 'UTC')).toBe('2026-12-31');
    expect(hourKey(lastMs, 'UTC')).toBe('2026-12-31T23');
    expect(monthKey(lastMs, 'UTC')).toBe('2026-12');
    expect(dayKey(lastMs + 1, 'UTC')).toBe('2027-01-01');
    expect(monthKey(lastMs + 1, 'UTC')).toBe('2027-01');
    expect(startOfLocalDay('2027-01-01', 'UTC')).toBe(lastMs + 1);
    expect(zonedParts(utc(2026, 1, 4, 12), 'UTC').weekday).toBe(0); // a Sunday
    expect(zonedParts(utc(2026, 1, 3, 12), 'UTC').weekday).toBe(6);
  });
});

describe('weekKey', () => {
  const MONDAY = 1;
  const SUNDAY = 0;

  it('gives the local date of the week start across a year boundary', () => {
    const friday = utc(2027, 1, 1, 12);
    expect(weekKey(friday, 'UTC', MONDAY)).toBe('2026-12-28');
    expect(weekKey(friday, 'UTC', SUNDAY)).toBe('2026-12-27');
    const sunday = utc(2026, 1, 4, 12);
    expect(weekKey(sunday, 'UTC', MONDAY)).toBe('2025-12-29');
    expect(weekKey(sunday, 'UTC', SUNDAY)).toBe('2026-01-04');
    expect(weekKey(utc(2026, 1, 5), 'UTC', MONDAY)).toBe('2026-01-05');
    expect(weekKey(utc(2026, 1, 3, 23, 59), 'UTC', SUNDAY)).toBe('2025-12-28');
    expect(weekKey(utc(2026, 1, 1), 'UTC', 4)).toBe('2026-01-01'); // a Thursday start
  });

  it('uses the local weekday, not the UTC one', () => {
    const mondayUtcSundayLa = utc(2026, 1, 5, 3); // Sun 2026-01-04 19:00 PST
    expect(weekKey(mondayUtcSundayLa, 'UTC', MONDAY)).toBe('2026-01-05');
    expect(weekKey(mondayUtcSundayLa, LA, MONDAY)).toBe('2025-12-29');
    expect(weekKey(mondayUtcSundayLa, LA, SUNDAY)).toBe('2026-01-04');
    const sundayUtcMondayKolkata = utc(2025, 12, 28, 19); // Mon 2025-12-29 00:30 IST
    expect(weekKey(sundayUtcMondayKolkata, KOLKATA, MONDAY)).toBe('2025-12-29');
    expect(weekKey(sundayUtcMondayKolkata, 'UTC', MONDAY)).toBe('2025-12-22');
  });

  it('rejects a start of week outside 0–6', () => {
    expect(() => weekKey(0, 'UTC', 7)).toThrow(RangeError);
    expect(() => weekKey(0, 'UTC', 1.5)).toThrow(RangeError);
  });
});

describe('startOfLocalDay on unusual days', () => {
  it('a skipped midnight starts the day at the transition (Santiago, 2026-09-06)', () => {
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(start).toBe(utc(2026, 9, 6, 4)); // 01:00 -03; 00:00 never happened
    expect(dayKey(start - 1, 'America/Santiago')).toBe('2026-09-05');
    expect(hourKey(start, 'America/Santiago')).toBe('2026-09-06T01');
  });

  it('a midnight that happens twice starts the day at the first one (Havana, 2026-11-01)', () => {
    const start = startOfLocalDay('2026-11-01', 'America/Havana');
    expect(start).toBe(utc(2026, 11, 1, 4)); // 00:00 -04, before 01:00 -04 → 00:00 -05
    expect(dayKey(start - 1, 'America/Havana')).toBe('2026-10-31');
    expect(startOfLocalDay('2026-11-02', 'America/Havana') - start).toBe(25 * HOUR_MS);
  });

  it('rejects a malformed date key', () => {
    expect(() => startOfLocalDay('2026-02-30', 'UTC')).toThrow(UsageError);
  });
});

describe('cached offsets agree with ICU', () => {
  const zones = [
    LA,
    KOLKATA,
    'UTC',
    'Asia/Kathmandu',
    'Australia/Lord_Howe', // 30-minute DST shift
    'Pacific/Chatham', // +12:45 / +13:45
    'America/Santiago',
    'Europe/London',
    'America/Havana',
  ];
  const reference = (epochMs: number, zone: string): Record<string, number> => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    }).formatToParts(epochMs);
    const value = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
    return {
      year: Number(value('year')),
      month: Number(value('month')),
      day: Number(value('day')),
      hour: Number(value('hour')),
      minute: Number(value('minute')),
      weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(value('weekday')),
    };
  };
  // Every 2026 transition of these zones (Lord Howe's October one is at half past a UTC hour).
  const transitions: [string, number][] = [
    [LA, utc(2026, 3, 8, 10)],
    [LA, utc(2026, 11, 1, 9)],
    ['Australia/Lord_Howe', utc(2026, 4, 4, 15)],
    ['Australia/Lord_Howe', utc(2026, 10, 3, 15, 30)],
    ['Pacific/Chatham', utc(2026, 4, 4, 14)],
    ['Pacific/Chatham', utc(2026, 9, 26, 14)],
    ['America/Santiago', utc(2026, 4, 5, 3)],
    ['America/Santiago', utc(2026, 9, 6, 4)],
    ['Europe/London', utc(2026, 3, 29, 1)],
    ['Europe/London', utc(2026, 10, 25, 1)],
    ['America/Havana', utc(2026, 3, 8, 5)],
    ['America/Havana', utc(2026, 11, 1, 5)],
  ];
  const zoneAndInstant = fc.oneof(
    fc.tuple(fc.constantFrom(...zones), fc.integer({ min: utc(2000, 1, 1), max: utc(2040, 1, 1) })),
    fc
      .tuple(
        fc.constantFrom(...transitions),
        fc.integer({ min: -2 * HOUR_MS, max: 2 * HOUR_MS }),
        fc.boolean(),
      )
      .map(([[zone, atMs], deltaMs, onMinute]): [string, number] => [
        zone,
        atMs + (onMinute ? deltaMs - (deltaMs % 60_000) : deltaMs),
      ]),
  );

  it('zonedParts matches a fresh Intl formatter', () => {
    fc.assert(
      fc.property(zoneAndInstant, ([zone, epochMs]) => {
        expect(zonedParts(epochMs, zone)).toEqual(reference(epochMs, zone));
      }),
      { seed: 20260308, numRuns: 3000 },
    );
  });

  it('every instant lies in [start of its local day, start of the next)', () => {
    fc.assert(
      fc.property(zoneAndInstant, ([zone, epochMs]) => {
        const key = dayKey(epochMs, zone);
        expect(startOfLocalDay(key, zone)).toBeLessThanOrEqual(epochMs);
        expect(startOfLocalDay(addDaysToDateKey(key, 1), zone)).toBeGreaterThan(epochMs);
        expect(dayKey(startOfLocalDay(key, zone), zone)).toBe(key);
      }),
      { seed: 1101, numRuns: 1000 },
    );
  });
});

describe('weekday names and calendar dates', () => {
  it('parses full and three-letter weekday names, any case', () => {
    expect(parseWeekday('monday')).toBe(1);
    expect(parseWeekday('Mon')).toBe(1);
    expect(parseWeekday(' SUNDAY ')).toBe(0);
    expect(parseWeekday('sat')).toBe(6);
    expect(parseWeekday('Thursday')).toBe(4);
    for (const bad of ['funday', 'mo', '', '1']) {
      const error = catchError(() => parseWeekday(bad));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toContain(`"${bad}"`);
    }
  });

  it('knows real calendar dates and moves across months and years', () => {
    expect(isCalendarDate(2024, 2, 29)).toBe(true);
    expect(isCalendarDate(2026, 2, 29)).toBe(false);
    expect(isCalendarDate(2100, 2, 29)).toBe(false);
    expect(isCalendarDate(2000, 2, 29)).toBe(true);
    expect(isCalendarDate(2026, 4, 31)).toBe(false);
    expect(isCalendarDate(2026, 13, 1)).toBe(false);
    expect(isCalendarDate(2026, 1, 0)).toBe(false);
    expect(parseDateKey('2026-03-08')).toEqual({ year: 2026, month: 3, day: 8 });
    expect(parseDateKey('2026-3-08')).toBeNull();
    expect(parseDateKey('2026-02-30')).toBeNull();
    expect(addDaysToDateKey('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysToDateKey('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysToDateKey('2026-03-01', -1)).toBe('2026-02-28');
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}
