/**
 * Reports bucket days, weeks, months and hours in the report's zone: DST days in
 * America/Los_Angeles, midnight edges, a half-hour zone, and --since/--until in that zone.
 *
 * Every response has output 0 and a distinct power of two as its input tokens, so a bucket's
 * `inputTokens` names exactly the responses in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeReportHome,
  parseTable,
  SONNET,
  tableKeys,
  tableRow,
  WEBAPP,
  withRunCache,
  type FixtureResponse,
  type ReportHome,
} from './report-fixtures.js';

interface Row {
  [field: string]: unknown;
  inputTokens: number;
  responses: number;
}
type Report = Record<string, unknown> & { totals: Row };

const LA = 'America/Los_Angeles';
const KOLKATA = 'Asia/Kolkata';

/** [id, UTC timestamp, input tokens]; the comment is the local time in Los Angeles. */
const ENTRIES: [string, string, number][] = [
  // Spring forward 2026-03-08: 02:00 PST jumps to 03:00 PDT (10:00Z).
  ['a', '2026-03-08T07:59:59.999Z', 1], // Sat 03-07 23:59:59.999 PST
  ['b', '2026-03-08T08:00:00.000Z', 2], // Sun 03-08 00:00 PST
  ['c', '2026-03-08T09:59:00.000Z', 4], // 03-08 01:59 PST
  ['d', '2026-03-08T10:00:00.000Z', 8], // 03-08 03:00 PDT (02:xx does not exist)
  ['e', '2026-03-09T06:59:59.999Z', 16], // 03-08 23:59:59.999 PDT (a 23-hour day)
  // Kolkata is UTC+05:30 all year: 18:30Z is its midnight.
  ['l', '2026-06-10T18:29:00.000Z', 2048], // LA 06-10 11:29; Kolkata 06-10 23:59
  ['m', '2026-06-10T18:31:00.000Z', 4096], // LA 06-10 11:31; Kolkata 06-11 00:01
  // Fall back 2026-11-01: 02:00 PDT goes back to 01:00 PST (09:00Z).
  ['f', '2026-11-01T06:59:59.999Z', 32], // Sat 10-31 23:59:59.999 PDT
  ['g', '2026-11-01T07:00:00.000Z', 64], // Sun 11-01 00:00 PDT
  ['h', '2026-11-01T08:30:00.000Z', 128], // 11-01 01:30 PDT (first 01:30)
  ['i', '2026-11-01T09:30:00.000Z', 256], // 11-01 01:30 PST (second 01:30)
  ['j', '2026-11-02T07:59:59.999Z', 512], // 11-01 23:59:59.999 PST (a 25-hour day)
  ['k', '2026-11-02T08:00:00.000Z', 1024], // Mon 11-02 00:00 PST
];

let home: ReportHome;

beforeAll(() => {
  // No test changes this tree: identical runs are made once.
  home = withRunCache(makeReportHome('ctt-zones-'));
  const responses: FixtureResponse[] = ENTRIES.map(([id, timestamp, input]) => ({
    messageId: `msg_${id}`,
    timestamp,
    model: SONNET,
    tokens: { input, output: 0 },
  }));
  home.writeSession({ ...WEBAPP, sessionId: '44444444-4444-4444-8444-444444444444', responses });
  const sync = home.run(['sync']);
  expect(sync.status, sync.stderr).toBe(0);
});

afterAll(() => home.cleanup());

/** `{key: inputTokens}` of a period report's rows. */
function inputsBy(report: Report, list: string, key: string): Record<string, number> {
  const rows = report[list] as Row[];
  return Object.fromEntries(rows.map((row) => [row[key] as string, row.inputTokens]));
}

function daily(args: string[], tz = 'UTC'): Record<string, number> {
  return inputsBy(home.json<Report>(['daily', ...args], { tz }), 'daily', 'date');
}

describe('America/Los_Angeles', () => {
  it('puts each response on its local day across both DST changes and at midnight', () => {
    expect(daily(['--tz', LA])).toEqual({
      '2026-03-07': 1, // a: 23:59:59.999, one millisecond before local midnight
      '2026-03-08': 2 + 4 + 8 + 16, // b (00:00.000) … e (23:59:59.999 PDT)
      '2026-06-10': 2048 + 4096,
      '2026-10-31': 32,
      '2026-11-01': 64 + 128 + 256 + 512, // g, both 01:30s (h and i), j
      '2026-11-02': 1024,
    });
  });

  it('keys hours by local wall clock: no 02:00 on spring-forward day, both 01:30s in 01:00', () => {
    const hours = inputsBy(home.json<Report>(['hourly', '--tz', LA]), 'hourly', 'hour');
    expect(hours).toEqual({
      '2026-03-07T23': 1,
      '2026-03-08T00': 2,
      '2026-03-08T01': 4,
      '2026-03-08T03': 8,
      '2026-03-08T23': 16,
      '2026-06-10T11': 2048 + 4096,
      '2026-10-31T23': 32,
      '2026-11-01T00': 64,
      '2026-11-01T01': 128 + 256,
      '2026-11-01T23': 512,
      '2026-11-02T00': 1024,
    });
    const table = parseTable(home.run(['hourly', '--tz', LA]).stdout);
    expect(tableKeys(table)).toContain('2026-11-01 01:00');
    expect(tableKeys(table)).not.toContain('2026-03-08 02:00');
    expect(tableRow(table, '2026-11-01 01:00')['Input']).toBe('384');
  });

  it('buckets weeks and months locally (UTC would move f, j and k)', () => {
    // 2026-11-01 is a Sunday: with Monday weeks, Oct 31 and Nov 1 are in the week of Oct 26.
    const la = inputsBy(home.json<Report>(['weekly', '--tz', LA]), 'weekly', 'week');
    expect(la['2026-10-26']).toBe(32 + 64 + 128 + 256 + 512);
    expect(la['2026-11-02']).toBe(1024);
    const utc = inputsBy(home.json<Report>(['weekly', '--tz', 'UTC']), 'weekly', 'week');
    expect(utc['2026-10-26']).toBe(32 + 64 + 128 + 256); // f is 11-01 06:59Z, still Sunday
    expect(utc['2026-11-02']).toBe(512 + 1024); // j is Monday 07:59Z
    const months = inputsBy(home.json<Report>(['monthly', '--tz', LA]), 'monthly', 'month');
    expect(months).toEqual({
      '2026-03': 1 + 2 + 4 + 8 + 16,
      '2026-06': 2048 + 4096,
      '2026-10': 32,
      '2026-11': 64 + 128 + 256 + 512 + 1024,
    });
  });

  it('--since/--until cover whole local days, inclusive, in both date forms', () => {
    // 2026-11-01 in LA is the 25 hours [07:00Z, 08:00Z next day).
    const dashed = daily(['--since', '2026-11-01', '--until', '2026-11-01'], LA);
    expect(dashed).toEqual({ '2026-11-01': 64 + 128 + 256 + 512 });
    expect(daily(['--since', '20261101', '--until', '20261101'], LA)).toEqual(dashed);
    // Spring-forward day: the 23 hours [08:00Z, 07:00Z next day).
    expect(daily(['--since', '2026-03-08', '--until', '20260308'], LA)).toEqual({
      '2026-03-08': 2 + 4 + 8 + 16,
    });
    expect(daily(['--since', '2026-10-31'], LA)).toEqual({
      '2026-10-31': 32,
      '2026-11-01': 960,
      '2026-11-02': 1024,
    });
    expect(daily(['--until', '2026-03-07'], LA)).toEqual({ '2026-03-07': 1 });
    // The same range in UTC: 2026-11-01T00:00Z–2026-11-02T00:00Z.
    expect(daily(['--since', '2026-11-01', '--until', '2026-11-01'], 'UTC')).toEqual({
      '2026-11-01': 32 + 64 + 128 + 256,
    });
  });

  it('--since/--until bound every report kind, not only the period ones', () => {
    const args = ['--since', '2026-11-01', '--until', '2026-11-01', '--tz', LA];
    const session = home.json<Report>(['session', ...args]);
    expect(session.totals.inputTokens).toBe(960);
    expect((session['sessions'] as Row[])[0]).toMatchObject({
      firstActivity: '2026-11-01T07:00:00.000Z',
      lastActivity: '2026-11-02T07:59:59.999Z',
    });
    expect(home.json<Report>(['project', ...args]).totals.inputTokens).toBe(960);
    expect(home.json<Report>(['model', ...args]).totals.inputTokens).toBe(960);
    const blocks = home.json<{ blocks: { entries: number; isGap: boolean }[] }>([
      'blocks',
      ...args,
    ]);
    expect(blocks.blocks.filter((b) => !b.isGap).reduce((n, b) => n + b.entries, 0)).toBe(4);
  });

  it('takes the zone from TZ when no flag is given, and a flag over TZ', () => {
    const fromEnv = home.run(['daily', '--json'], { tz: LA });
    const fromFlag = home.run(['daily', '--json', '--timezone', LA], { tz: 'UTC' });
    const fromAlias = home.run(['daily', '--json', '--tz', LA], { tz: 'UTC' });
    expect(fromEnv.status, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout).toBe(fromFlag.stdout);
    expect(fromEnv.stdout).toBe(fromAlias.stdout);
    const kolkata = daily(['--timezone', KOLKATA], LA);
    expect(kolkata['2026-06-11']).toBe(4096);
  });

  it('shows session last activity in the report zone', () => {
    const run = home.run(['session', '--tz', LA]);
    expect(run.status, run.stderr).toBe(0);
    const table = parseTable(run.stdout);
    // k, 2026-11-02T08:00Z, is midnight PST.
    expect(tableRow(table, '44444444…')['Last Activity']).toBe('2026-11-02 00:00');
  });
});

describe('Asia/Kolkata (UTC+05:30)', () => {
  it('puts 18:29Z on the same day and 18:31Z on the next', () => {
    expect(daily(['--tz', KOLKATA])).toEqual({
      '2026-03-08': 1 + 2 + 4 + 8, // 13:29–15:30 IST
      '2026-03-09': 16,
      '2026-06-10': 2048, // 23:59 IST
      '2026-06-11': 4096, // 00:01 IST
      '2026-11-01': 32 + 64 + 128 + 256,
      '2026-11-02': 512 + 1024,
    });
    expect(daily(['--tz', 'UTC'])['2026-06-10']).toBe(2048 + 4096);
  });

  it('keys half-hour-offset hours by the local hour', () => {
    const hours = inputsBy(home.json<Report>(['hourly', '--tz', KOLKATA]), 'hourly', 'hour');
    expect(hours['2026-06-10T23']).toBe(2048);
    expect(hours['2026-06-11T00']).toBe(4096);
    expect(hours['2026-03-08T13']).toBe(1 + 2); // 13:29:59.999 and 13:30:00.000
  });

  it('--since/--until select the local day', () => {
    expect(daily(['--since', '2026-06-11', '--until', '20260611'], KOLKATA)).toEqual({
      '2026-06-11': 4096,
    });
    expect(daily(['--since', '20260610', '--until', '2026-06-10'], KOLKATA)).toEqual({
      '2026-06-10': 2048,
    });
  });
});
