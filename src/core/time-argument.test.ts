import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { toTimeRange } from './time-argument.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const LA = 'America/Los_Angeles';

describe('toTimeRange', () => {
  it('reads dates as whole local days, both inclusive, in either spelling', () => {
    expect(toTimeRange({ since: '2026-11-30', until: '20261130' }, 'UTC', NOW)).toEqual({
      sinceMs: Date.UTC(2026, 10, 30),
      untilMs: Date.UTC(2026, 11, 1),
    });
    // The spring-forward day in Los Angeles is 23 hours long.
    expect(toTimeRange({ since: '2026-03-08', until: '2026-03-08' }, LA, NOW)).toEqual({
      sinceMs: Date.UTC(2026, 2, 8, 8),
      untilMs: Date.UTC(2026, 2, 9, 7),
    });
  });

  it('reads a date-time without an offset as wall time in the zone', () => {
    expect(toTimeRange({ since: '2026-11-30T14:05' }, LA, NOW)).toEqual({
      sinceMs: Date.UTC(2026, 10, 30, 22, 5),
    });
    expect(toTimeRange({ since: '2026-11-30 14:05:07.25' }, 'Asia/Kolkata', NOW)).toEqual({
      sinceMs: Date.UTC(2026, 10, 30, 8, 35, 7, 250),
    });
  });

  it('reads an explicit offset or Z as that instant, whatever the zone', () => {
    const at = Date.UTC(2026, 10, 30, 13, 5, 7);
    for (const text of [
      '2026-11-30T13:05:07Z',
      '2026-11-30T14:05:07+01:00',
      '2026-11-30T18:35:07+0530',
      '2026-11-30T08:05:07-05:00',
    ]) {
      expect(toTimeRange({ since: text }, LA, NOW).sinceMs, text).toBe(at);
    }
  });

  it('includes the until instant itself', () => {
    expect(toTimeRange({ until: '2026-11-30T13:05:07Z' }, 'UTC', NOW)).toEqual({
      untilMs: Date.UTC(2026, 10, 30, 13, 5, 7) + 1,
    });
  });

  it('maps wall times around DST: a repeated hour to its first instant, a skipped one past the jump', () => {
    // 01:30 happens twice on 2026-11-01 (PDT, then PST): the first is 08:30Z.
    expect(toTimeRange({ since: '2026-11-01T01:30' }, LA, NOW).sinceMs).toBe(
      Date.UTC(2026, 10, 1, 8, 30),
    );
    // 02:30 does not exist on 2026-03-08: it reads as 03:30 PDT (10:30Z).
    expect(toTimeRange({ since: '2026-03-08T02:30' }, LA, NOW).sinceMs).toBe(
      Date.UTC(2026, 2, 8, 10, 30),
    );
  });

  it('reads spans back from now', () => {
    expect(toTimeRange({ since: '90s', until: '1m' }, 'UTC', NOW)).toEqual({
      sinceMs: NOW - 90_000,
      untilMs: NOW - 60_000 + 1,
    });
    expect(toTimeRange({ since: '2h' }, LA, NOW).sinceMs).toBe(NOW - 2 * 3_600_000);
    expect(toTimeRange({ since: '7d' }, LA, NOW).sinceMs).toBe(NOW - 7 * 86_400_000);
  });

  it('leaves absent bounds open', () => {
    expect(toTimeRange({}, 'UTC', NOW)).toEqual({});
  });

  it.each([
    [{ since: 'yesterday' }, /--since "yesterday" is not a date, date-time or span/],
    [{ since: '2026-02-30' }, /--since "2026-02-30" is not a valid date/],
    [{ until: '2026-11-30T25:00' }, /--until "2026-11-30T25:00" is not a valid date-time/],
    [{ until: '2026-11-31T10:00Z' }, /is not a valid date-time/],
    [{ since: '3w' }, /not a date, date-time or span/],
    [
      { since: '2026-12-01', until: '2026-11-30' },
      /--since 2026-12-01 is after --until 2026-11-30/,
    ],
    [{ since: '1h', until: '2h' }, /--since 1h is after --until 2h/],
  ])('rejects %j as a usage error', (args, message) => {
    expect(() => toTimeRange(args, 'UTC', NOW)).toThrow(UsageError);
    expect(() => toTimeRange(args, 'UTC', NOW)).toThrow(message);
  });
});
