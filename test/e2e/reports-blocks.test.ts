/**
 * `ctt blocks`: 5-hour blocks from the first entry floored to the UTC hour, a new block after 5 h
 * of continuous activity, gap blocks over idle periods longer than 5 h, and the active block with
 * its burn rate and projection (entries relative to the real clock, which the CLI uses).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HAIKU,
  makeReportHome,
  parseTable,
  SONNET,
  WEBAPP,
  type FixtureResponse,
  type ReportHome,
} from './report-fixtures.js';

interface JsonBlock {
  id: string;
  startTime: string;
  endTime: string;
  actualEndTime: string | null;
  isActive: boolean;
  isGap: boolean;
  entries: number;
  tokenCounts: {
    inputTokens: number;
    outputTokens: number;
    cacheCreationInputTokens: number;
    cacheReadInputTokens: number;
  };
  totalTokens: number;
  costUSD: number | null;
  models: string[];
  burnRate: { tokensPerMinute: number; tokensPerHour: number; costPerHour: number } | null;
  projection: { totalTokens: number; totalCost: number; remainingMinutes: number } | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let home: ReportHome;
/** When the fixture was written: the active entries are at `nowMs − 30 min` and `− 10 min`. */
let nowMs: number;

function response(id: string, timestamp: string, input: number, output = 0): FixtureResponse {
  return { messageId: `msg_${id}`, timestamp, model: SONNET, tokens: { input, output } };
}

beforeAll(() => {
  home = makeReportHome('ctt-blocks-');
  nowMs = Date.now();
  home.writeSession({
    ...WEBAPP,
    sessionId: '55555555-5555-4555-8555-555555555555',
    responses: [
      response('b1', '2026-03-10T10:10:00.000Z', 100), // block 10:00–15:00
      response('b2', '2026-03-10T12:00:00.000Z', 200),
      response('b3', '2026-03-10T14:00:00.000Z', 400),
      // 5 h 05 min after the block's start (though only 1 h 05 after b3): a new block at 15:00
      response('b4', '2026-03-10T15:05:00.000Z', 800),
      // 6 h 55 min idle after b4: a gap [15:05 + 5 h, 22:00), then a block at 22:00
      response('b5', '2026-03-10T22:00:00.000Z', 1600),
    ],
  });
  home.writeSession({
    ...WEBAPP,
    sessionId: '66666666-6666-4666-8666-666666666666',
    responses: [
      {
        messageId: 'msg_now1',
        timestamp: new Date(nowMs - 30 * MINUTE).toISOString(),
        model: SONNET,
        tokens: { input: 1000, output: 2000 },
      },
      {
        messageId: 'msg_now2',
        timestamp: new Date(nowMs - 10 * MINUTE).toISOString(),
        model: HAIKU,
        tokens: { input: 3000, output: 0 },
      },
    ],
  });
  const sync = home.run(['sync']);
  expect(sync.status, sync.stderr).toBe(0);
});

afterAll(() => home.cleanup());

function blocks(args: string[] = []): JsonBlock[] {
  return home.json<{ blocks: JsonBlock[] }>(['blocks', ...args]).blocks;
}

describe('ctt blocks', () => {
  it('starts a new block after 5 hours of continuous activity and a gap block after 5 idle hours', () => {
    // Everything before today's entries (the last gap ends at the first of them).
    const past = blocks().filter((b) => Date.parse(b.startTime) < Date.UTC(2026, 2, 12));
    expect(past.map((b) => [b.id, b.startTime, b.endTime, b.actualEndTime, b.entries])).toEqual([
      [
        '2026-03-10T10:00:00.000Z',
        '2026-03-10T10:00:00.000Z',
        '2026-03-10T15:00:00.000Z',
        '2026-03-10T14:00:00.000Z',
        3,
      ],
      [
        '2026-03-10T15:00:00.000Z',
        '2026-03-10T15:00:00.000Z',
        '2026-03-10T20:00:00.000Z',
        '2026-03-10T15:05:00.000Z',
        1,
      ],
      [
        'gap-2026-03-10T20:05:00.000Z',
        '2026-03-10T20:05:00.000Z',
        '2026-03-10T22:00:00.000Z',
        null,
        0,
      ],
      [
        '2026-03-10T22:00:00.000Z',
        '2026-03-10T22:00:00.000Z',
        '2026-03-11T03:00:00.000Z',
        '2026-03-10T22:00:00.000Z',
        1,
      ],
      // 22:00 + 5 h to the first of today's entries
      [
        'gap-2026-03-11T03:00:00.000Z',
        '2026-03-11T03:00:00.000Z',
        new Date(nowMs - 30 * MINUTE).toISOString(),
        null,
        0,
      ],
    ]);
    const [first, second, gap] = past;
    expect(first).toMatchObject({ isGap: false, isActive: false, totalTokens: 100 + 200 + 400 });
    // (100 + 200 + 400) input × $3 / 1e6
    expect(first?.costUSD).toBeCloseTo(0.0021, 12);
    expect(second?.tokenCounts.inputTokens).toBe(800);
    expect(gap).toMatchObject({ isGap: true, isActive: false, totalTokens: 0, models: [] });
  });

  it('marks the block holding recent entries active, with a burn rate and a projection', () => {
    const before = Date.now();
    const all = blocks();
    const after = Date.now();
    const active = all.filter((b) => b.isActive);
    expect(active).toHaveLength(1);
    const block = active[0];
    expect(block).toBe(all[all.length - 1]);
    if (block === undefined) return;
    const firstMs = nowMs - 30 * MINUTE;
    const startMs = Math.floor(firstMs / HOUR) * HOUR;
    expect(block).toMatchObject({
      id: new Date(startMs).toISOString(),
      startTime: new Date(startMs).toISOString(),
      endTime: new Date(startMs + 5 * HOUR).toISOString(),
      actualEndTime: new Date(nowMs - 10 * MINUTE).toISOString(),
      isGap: false,
      entries: 2,
      tokenCounts: {
        inputTokens: 1000 + 3000,
        outputTokens: 2000,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
      },
      totalTokens: 6000,
      models: [SONNET, HAIKU],
    });
    // sonnet 1000×3 + 2000×15 = 33,000; haiku 3000×1 = 3000 → $0.036
    const cost = (1000 * 3 + 2000 * 15 + 3000 * 1) / 1e6;
    expect(block.costUSD).toBeCloseTo(cost, 12);
    // Over first → last entry (20 minutes = 1/3 h): 6000 tokens → 18,000/h, $0.036 → $0.108/h.
    expect(block.burnRate).not.toBeNull();
    expect(block.burnRate?.tokensPerHour).toBeCloseTo(18_000, 6);
    expect(block.burnRate?.tokensPerMinute).toBeCloseTo(300, 6);
    expect(block.burnRate?.costPerHour).toBeCloseTo(cost * 3, 10);
    // The projection runs the rate to the block's end, from the CLI's "now" (between before and
    // after): remaining minutes are rounded, so allow one minute either way.
    const projection = block.projection;
    expect(projection).not.toBeNull();
    if (projection === null) return;
    const endMs = startMs + 5 * HOUR;
    expect(projection.remainingMinutes).toBeGreaterThanOrEqual(
      Math.floor((endMs - after) / MINUTE),
    );
    expect(projection.remainingMinutes).toBeLessThanOrEqual(Math.ceil((endMs - before) / MINUTE));
    expect(projection.totalTokens).toBeGreaterThanOrEqual(6000);
    expect(
      Math.abs(projection.totalTokens - (6000 + 300 * projection.remainingMinutes)),
    ).toBeLessThanOrEqual(300);
    expect(
      Math.abs(projection.totalCost - (cost + ((cost * 3) / 60) * projection.remainingMinutes)),
    ).toBeLessThanOrEqual((cost * 3) / 60);
    // No other block has a rate or projection.
    for (const other of all.filter((b) => b !== block)) {
      expect(other.burnRate).toBeNull();
      expect(other.projection).toBeNull();
    }
  });

  it('prints the active block with its burn rate and projection under the table', () => {
    const run = home.run(['blocks']);
    expect(run.status, run.stderr).toBe(0);
    const table = parseTable(run.stdout);
    const statuses = table.rows.map((row) => row[1]);
    expect(statuses.filter((s) => s === 'ACTIVE')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'gap')).toHaveLength(2);
    expect(run.stdout).toMatch(/Active block: ends \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(run.stdout).toContain('Burn rate: 18,000 tokens/h, $0.11/h');
    expect(run.stdout).toMatch(
      /Projected at block end: [\d,]+ tokens, \$[\d.]+ \(\d+(h \d\dm|m) left\)/,
    );
  });

  it('shows block starts in the report zone while blocks stay on UTC hours', () => {
    const run = home.run(['blocks', '--since', '2026-03-10', '--until', '2026-03-10'], {
      tz: 'Asia/Kolkata',
    });
    expect(run.status, run.stderr).toBe(0);
    const starts = parseTable(run.stdout).rows.map((row) => row[0]);
    // 10:00Z, 15:00Z, the gap at 20:05Z and 22:00Z, at UTC+05:30; 22:00Z is already 03-11 there
    // but the entry at 22:00Z is 03-11 03:30 IST, outside --until 2026-03-10.
    expect(starts).toEqual(['2026-03-10 15:30', '2026-03-10 20:30']);
    const json = blocks(['--since', '2026-03-10', '--until', '2026-03-10', '--tz', 'UTC']);
    expect(json.map((b) => b.id)).toEqual([
      '2026-03-10T10:00:00.000Z',
      '2026-03-10T15:00:00.000Z',
      'gap-2026-03-10T20:05:00.000Z',
      '2026-03-10T22:00:00.000Z',
    ]);
  });
});
