import { describe, expect, it } from 'vitest';
import { isInEpochRange, parseDateArgument, toEpochRange } from './date-range.js';
import { UsageError } from './errors.js';

const LA = 'America/Los_Angeles';
const HOUR_MS = 3_600_000;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s, ms);

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseDateArgument', () => {
  it('accepts YYYY-MM-DD and YYYYMMDD and returns YYYY-MM-DD', () => {
    expect(parseDateArgument('--since', '2026-03-08')).toBe('2026-03-08');
    expect(parseDateArgument('--since', '20260308')).toBe('2026-03-08');
    expect(parseDateArgument('--until', ' 2026-12-31 ')).toBe('2026-12-31');
    expect(parseDateArgument('--until', '20240229')).toBe('2024-02-29');
    expect(parseDateArgument('--until', '2000-02-29')).toBe('2000-02-29');
  });

  it('rejects dates that do not exist and other shapes, naming the flag and value', () => {
    const bad = [
      '2026-02-30',
      '20261301',
      '2026-02-29',
      '2100-02-29',
      '2026-04-31',
      '2026-00-10',
      '20260100',
      '2026-3-8',
      '2026/03/08',
      '2026-0308',
      '202603081',
      '',
      'yesterday',
    ];
    for (const value of bad) {
      const error = usageErrorOf(() => parseDateArgument('--since', value));
      expect(error.message).toContain(`--since "${value}"`);
      expect(error.message).toContain('YYYY-MM-DD or YYYYMMDD');
      expect(error.message).not.toContain('\n');
      expect(error.exitCode).toBe(2);
    }
  });
});

describe('toEpochRange', () => {
  it('is unbounded without since or until', () => {
    expect(toEpochRange({}, 'UTC')).toEqual({ fromMs: null, toMsExclusive: null });
    expect(toEpochRange({ since: undefined, until: undefined }, LA)).toEqual({
      fromMs: null,
      toMsExclusive: null,
    });
  });

  it('starts at the first instant of the since day in the zone', () => {
    expect(toEpochRange({ since: '2026-03-08' }, LA)).toEqual({
      fromMs: utc(2026, 3, 8, 8),
      toMsExclusive: null,
    });
    expect(toEpochRange({ since: '20260115' }, 'Asia/Kolkata').fromMs).toBe(
      utc(2026, 1, 14, 18, 30),
    );
  });

  it('includes the whole until day, 23 or 25 hours long on DST days', () => {
    const spring = toEpochRange({ since: '2026-03-08', until: '2026-03-08' }, LA);
    expect(spring).toEqual({ fromMs: utc(2026, 3, 8, 8), toMsExclusive: utc(2026, 3, 9, 7) });
    expect((spring.toMsExclusive ?? 0) - (spring.fromMs ?? 0)).toBe(23 * HOUR_MS);
    const fall = toEpochRange({ since: '20261101', until: '20261101' }, LA);
    expect((fall.toMsExclusive ?? 0) - (fall.fromMs ?? 0)).toBe(25 * HOUR_MS);
  });

  it('keeps the last millisecond of the until day and drops the next day', () => {
    const range = toEpochRange({ until: '2026-03-08' }, LA);
    expect(range.fromMs).toBeNull();
    const lastLocalMs = utc(2026, 3, 9, 6, 59, 59, 999); // 2026-03-08 23:59:59.999 PDT
    expect(isInEpochRange(lastLocalMs, range)).toBe(true);
    expect(isInEpochRange(lastLocalMs + 1, range)).toBe(false);
    expect(isInEpochRange(utc(1990, 1, 1), range)).toBe(true);
    const utcRange = toEpochRange({ since: '2026-12-31', until: '2026-12-31' }, 'UTC');
    expect(isInEpochRange(utc(2026, 12, 30, 23, 59, 59, 999), utcRange)).toBe(false);
    expect(isInEpochRange(utc(2026, 12, 31), utcRange)).toBe(true);
    expect(isInEpochRange(utc(2026, 12, 31, 23, 59, 59, 999), utcRange)).toBe(true);
    expect(isInEpochRange(utc(2027, 1, 1), utcRange)).toBe(false);
  });

  it('rejects since after until, and bad dates in either', () => {
    const error = usageErrorOf(() =>
      toEpochRange({ since: '20260310', until: '2026-03-01' }, 'UTC'),
    );
    expect(error.message).toBe(
      '--since 2026-03-10 is after --until 2026-03-01 (expected since <= until)',
    );
    expect(() => toEpochRange({ since: '2026-02-30' }, 'UTC')).toThrow(UsageError);
    expect(() => toEpochRange({ until: '20261301' }, 'UTC')).toThrow(/--until "20261301"/);
  });
});
