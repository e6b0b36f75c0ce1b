/**
 * `ctt report`: today / this week / this month / all time, top projects and models this month,
 * the current 5-hour block, and data health (quarantine, unpriced models, transcripts Claude Code
 * is about to delete). Entries sit relative to the real clock, which the CLI uses; which period
 * each lands in is worked out from the same clock (in UTC), so the test holds on any date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  BILLING,
  HAIKU,
  makeReportHome,
  NOVA,
  oneLine,
  SONNET,
  WEBAPP,
  type FixtureSession,
  type ReportHome,
} from './report-fixtures.js';

interface Totals {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  totalCost: number | null;
  responses: number;
}

interface Summary {
  timeZone: string;
  generatedAt: string;
  periods: (Totals & { period: string; since: string | null })[];
  topProjects: (Totals & { projectPath: string })[];
  topModels: (Totals & { model: string })[];
  currentBlock: {
    startTime: string;
    endTime: string;
    totalTokens: number;
    costUSD: number | null;
    burnRate: { tokensPerHour: number } | null;
    minutesLeft: number;
  } | null;
  health: {
    responses: number;
    quarantinedLines: number;
    unpricedModels: { model: string; responses: number; totalTokens: number }[];
    cleanup: {
      cleanupPeriodDays: number;
      settingsFile: string | null;
      dueSoon: number;
      dueSoonNotInLedger: number;
      withinDays: number;
    };
    lastIngest: string | null;
    firstResponse: string | null;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Entry {
  readonly id: string;
  readonly tsMs: number;
  readonly model: string;
  readonly cwd: string;
  readonly input: number;
  readonly output: number;
  readonly cost: number | null;
}

let home: ReportHome;
let nowMs: number;
let todayStart: number;
let weekStart: number;
let monthStart: number;
let entries: Entry[];
const paths: Record<string, string> = {};

function dateKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function session(id: string, project: typeof WEBAPP, mine: Entry[]): FixtureSession {
  return {
    ...project,
    sessionId: id,
    responses: mine.map((e) => ({
      messageId: `msg_${e.id}`,
      timestamp: new Date(e.tsMs).toISOString(),
      model: e.model,
      tokens: { input: e.input, output: e.output },
    })),
  };
}

beforeAll(() => {
  home = makeReportHome('ctt-summary-');
  nowMs = Date.now();
  todayStart = Math.floor(nowMs / DAY) * DAY; // UTC midnight
  const weekday = new Date(todayStart).getUTCDay(); // 0 = Sunday
  weekStart = todayStart - ((weekday + 6) % 7) * DAY; // Monday
  const now = new Date(nowMs);
  monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  entries = [
    // sonnet 1000×3 + 2000×15 = 33,000 → $0.033
    {
      id: 't1',
      tsMs: nowMs - 30 * MINUTE,
      model: SONNET,
      cwd: WEBAPP.cwd,
      input: 1000,
      output: 2000,
      cost: 0.033,
    },
    // haiku 4000×1 + 1000×5 = 9000 → $0.009
    {
      id: 't2',
      tsMs: nowMs - 10 * MINUTE,
      model: HAIKU,
      cwd: WEBAPP.cwd,
      input: 4000,
      output: 1000,
      cost: 0.009,
    },
    // yesterday 04:00Z: sonnet 10,000×3 → $0.03
    {
      id: 'y',
      tsMs: todayStart - 20 * HOUR,
      model: SONNET,
      cwd: BILLING.cwd,
      input: 10_000,
      output: 0,
      cost: 0.03,
    },
    // last month: sonnet 100,000×3 → $0.3
    {
      id: 'pm',
      tsMs: monthStart - 10 * DAY,
      model: SONNET,
      cwd: WEBAPP.cwd,
      input: 100_000,
      output: 0,
      cost: 0.3,
    },
    // long ago, unpriced
    {
      id: 'old',
      tsMs: Date.UTC(2025, 5, 15, 12),
      model: NOVA,
      cwd: WEBAPP.cwd,
      input: 7000,
      output: 0,
      cost: null,
    },
  ];
  const pick = (...ids: string[]): Entry[] => entries.filter((e) => ids.includes(e.id));
  paths['now'] = home.writeSession(
    session('77777777-0000-4000-8000-000000000001', WEBAPP, pick('t1', 't2')),
  );
  paths['y'] = home.writeSession(
    session('77777777-0000-4000-8000-000000000002', BILLING, pick('y')),
  );
  paths['pm'] = home.writeSession(
    session('77777777-0000-4000-8000-000000000003', WEBAPP, pick('pm')),
  );
  paths['old'] = home.writeSession(
    session('77777777-0000-4000-8000-000000000004', WEBAPP, pick('old')),
  );
  // Claude Code deletes transcripts by mtime: one 28 days old, one 5 days old.
  home.age(paths['old'] ?? '', 28, nowMs);
  home.age(paths['pm'] ?? '', 5, nowMs);
  const sync = home.run(['sync']);
  expect(sync.status, sync.stderr).toBe(0);
});

afterAll(() => home.cleanup());

function totalsSince(sinceMs: number | null): { tokens: number; cost: number; responses: number } {
  const mine = entries.filter((e) => sinceMs === null || e.tsMs >= sinceMs);
  return {
    tokens: mine.reduce((s, e) => s + e.input + e.output, 0),
    cost: mine.reduce((s, e) => s + (e.cost ?? 0), 0),
    responses: mine.length,
  };
}

/** Groups of this month's entries by `key`, most expensive first (as the report orders them). */
function topThisMonth(key: (e: Entry) => string): { key: string; cost: number; tokens: number }[] {
  const groups = new Map<string, { key: string; cost: number; tokens: number }>();
  for (const e of entries.filter((x) => x.tsMs >= monthStart)) {
    const g = groups.get(key(e)) ?? { key: key(e), cost: 0, tokens: 0 };
    g.cost += e.cost ?? 0;
    g.tokens += e.input + e.output;
    groups.set(key(e), g);
  }
  return [...groups.values()].sort((a, b) => b.cost - a.cost);
}

function usd(cost: number): string {
  return `$${cost.toFixed(2)}`;
}

describe('ctt report', () => {
  it('--json sums today, this week, this month and all time in the report zone', () => {
    const report = home.json<Summary>(['report']);
    expect(report.timeZone).toBe('UTC');
    const specs: [string, string | null, number | null][] = [
      ['today', dateKey(todayStart), todayStart],
      ['this week', dateKey(weekStart), weekStart],
      ['this month', dateKey(monthStart), monthStart],
      ['all time', null, null],
    ];
    expect(report.periods.map((p) => [p.period, p.since])).toEqual(
      specs.map(([label, since]) => [label, since]),
    );
    for (const [i, [label, , sinceMs]] of specs.entries()) {
      const expected = totalsSince(sinceMs);
      const period = report.periods[i];
      expect(period?.totalTokens, label).toBe(expected.tokens);
      expect(period?.responses, label).toBe(expected.responses);
      expect(period?.totalCost, label).toBeCloseTo(expected.cost, 10);
    }
    // All time, by hand: 3000 + 5000 + 10,000 + 100,000 + 7000 tokens; nova has no cost.
    expect(report.periods[3]).toMatchObject({ totalTokens: 125_000, responses: 5 });
    expect(report.periods[3]?.totalCost).toBeCloseTo(0.033 + 0.009 + 0.03 + 0.3, 10);

    expect(report.topProjects.map((p) => p.projectPath)).toEqual(
      topThisMonth((e) => e.cwd).map((g) => g.key),
    );
    expect(report.topModels.map((m) => m.model)).toEqual(
      topThisMonth((e) => e.model).map((g) => g.key),
    );
    for (const [i, g] of topThisMonth((e) => e.model).entries()) {
      expect(report.topModels[i]?.totalCost).toBeCloseTo(g.cost, 10);
      expect(report.topModels[i]?.totalTokens).toBe(g.tokens);
    }
  });

  it('--json shows the current block from the last entries', () => {
    const report = home.json<Summary>(['report']);
    const block = report.currentBlock;
    expect(block).not.toBeNull();
    const startMs = Math.floor((nowMs - 30 * MINUTE) / HOUR) * HOUR;
    expect(block).toMatchObject({
      startTime: new Date(startMs).toISOString(),
      endTime: new Date(startMs + 5 * HOUR).toISOString(),
      totalTokens: 3000 + 5000,
    });
    expect(block?.costUSD).toBeCloseTo(0.033 + 0.009, 10);
    // 8000 tokens over the 20 minutes between the two entries
    expect(block?.burnRate?.tokensPerHour).toBeCloseTo(8000 * 3, 6);
    const left = (startMs + 5 * HOUR - Date.now()) / MINUTE;
    expect(Math.abs((block?.minutesLeft ?? -99) - left)).toBeLessThanOrEqual(2);
  });

  it('--json reports data health: responses, unpriced models, default cleanup risk', () => {
    const { health } = home.json<Summary>(['report']);
    expect(health.responses).toBe(5);
    expect(health.quarantinedLines).toBe(0);
    expect(health.unpricedModels).toEqual([{ model: NOVA, responses: 1, totalTokens: 7000 }]);
    expect(health.firstResponse).toBe('2025-06-15T12:00:00.000Z');
    expect(health.lastIngest).not.toBeNull();
    // Default 30 days: due within 7 days = mtime over 23 days old, i.e. the 28-day-old file only,
    // and the ledger holds all of it.
    expect(health.cleanup).toEqual({
      cleanupPeriodDays: 30,
      settingsFile: null,
      dueSoon: 1,
      dueSoonNotInLedger: 0,
      withinDays: 7,
    });
  });

  it('prints the periods, top lists, current block and data health as text', () => {
    const run = home.run(['report']);
    expect(run.status, run.stderr).toBe(0);
    const text = run.stdout;
    expect(text).toMatch(/^Claude Code usage \(UTC, \d{4}-\d{2}-\d{2} \d{2}:\d{2}\)/);
    const all = totalsSince(null);
    expect(text).toMatch(
      new RegExp(`all time\\s+\\${usd(all.cost)}\\s+125,000 tokens\\s+5 responses`),
    );
    const today = totalsSince(todayStart);
    expect(text).toMatch(
      new RegExp(
        `today\\s+\\${usd(today.cost)}\\s+${today.tokens.toLocaleString('en-US')} tokens\\s+${today.responses} responses`,
      ),
    );
    expect(text).toContain('Top projects this month');
    expect(text).toContain('Top models this month');
    const topModel = topThisMonth((e) => e.model)[0];
    if (topModel !== undefined) expect(text).toContain(topModel.key);
    expect(text).toContain('Current 5-hour block');
    expect(text).toMatch(/8,000 tokens, \$0\.04/);
    expect(text).toContain('burn rate 24,000 tokens/h');
    expect(text).toContain('0 quarantined lines');
    expect(text).toContain('unpriced model claude-nova-7: 7,000 tokens in 1 response');
    expect(oneLine(text)).toContain(
      'Claude Code deletes transcripts after 30 days (default): 1 due within 7 days, all already in the ledger',
    );
  });

  it('reads cleanupPeriodDays from settings.json and counts the files it puts at risk', () => {
    home.writeSettings({ cleanupPeriodDays: 10 });
    const settings = join(home.claudeDir, 'settings.json');
    // 10 days: due within 7 days = mtime over 3 days old: the 28-day-old and 5-day-old files.
    const { health } = home.json<Summary>(['report']);
    expect(health.cleanup).toEqual({
      cleanupPeriodDays: 10,
      settingsFile: settings,
      dueSoon: 2,
      dueSoonNotInLedger: 0,
      withinDays: 7,
    });
    const text = oneLine(home.run(['report']).stdout);
    expect(text).toContain(`after 10 days (${settings}): 2 due within 7 days`);
  });

  it('counts a torn line as quarantined and an unread tail as not yet in the ledger', () => {
    const now = paths['now'] ?? '';
    home.append(now, '{"type":"assistant","message":{"id":"msg_torn","usage":{"inpu\n');
    // An old transcript whose last line is still being written: its tail is not in the ledger.
    const old = paths['old'] ?? '';
    home.append(old, '{"type":"user","message":{"content":"half a li');
    home.age(old, 28, nowMs);
    const { health } = home.json<Summary>(['report']);
    expect(health.quarantinedLines).toBe(1);
    expect(health.responses).toBe(5);
    expect(health.cleanup.dueSoonNotInLedger).toBe(1);
    const text = home.run(['report']).stdout;
    expect(text).toContain('1 quarantined lines');
    expect(oneLine(text)).toContain('1 not fully read yet');
  });
});

describe('ctt report zones', () => {
  it('uses --tz, --timezone or TZ for its periods', () => {
    expect(home.json<Summary>(['report', '--tz', 'Asia/Kolkata']).timeZone).toBe('Asia/Kolkata');
    const la = 'America/Los_Angeles';
    expect(home.json<Summary>(['report', '--timezone', la]).timeZone).toBe(la);
    const fromEnv = home.json<Summary>(['report'], { tz: la });
    expect(fromEnv.timeZone).toBe(la);
    expect(fromEnv.periods[3]?.totalTokens).toBe(125_000);
  });
});

describe('ctt report on an empty ledger', () => {
  it('prints zero periods and no block, and valid JSON with zero costs, exit 0', () => {
    const empty = makeReportHome('ctt-summary-empty-');
    try {
      const run = empty.run(['report']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/all time\s+\$0\.00\s+0 tokens\s+0 responses/);
      expect(run.stdout).toContain('no active block');
      const report = empty.json<Summary>(['report']);
      expect(report.periods).toHaveLength(4);
      for (const period of report.periods) {
        // No tokens at all: nothing is unpriced, so the cost is a known 0, not null.
        expect(period).toMatchObject({ totalTokens: 0, responses: 0, totalCost: 0 });
      }
      expect(report.topProjects).toEqual([]);
      expect(report.topModels).toEqual([]);
      expect(report.currentBlock).toBeNull();
      expect(report.health).toMatchObject({
        responses: 0,
        quarantinedLines: 0,
        unpricedModels: [],
      });
    } finally {
      empty.cleanup();
    }
  });
});
