/**
 * Every report of the built CLI (table, --json, --csv) against the main fixture of
 * report-fixtures.ts, with the expected numbers worked out by hand below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BILLING,
  csvRecords,
  HAIKU,
  makeReportHome,
  NOVA,
  oneLine,
  parseTable,
  S1,
  S2,
  S3,
  SONNET,
  tableKeys,
  tableRow,
  WEBAPP,
  withRunCache,
  writeMainFixture,
  type ParsedTable,
  type ReportHome,
} from './report-fixtures.js';

interface JsonUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number | null;
  cacheCreation1hTokens: number;
  webSearchRequests: number;
  unpricedTokens: number;
  responses: number;
}

interface JsonBreakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number | null;
}

interface JsonRow extends JsonUsage {
  [field: string]: unknown;
  modelsUsed: string[];
  modelBreakdowns: JsonBreakdown[];
}

interface JsonUnpriced {
  model: string;
  responses: number;
  totalTokens: number;
}

type JsonReport = Record<string, unknown> & {
  totals: JsonUsage;
  unpricedModels: JsonUnpriced[];
};

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
  burnRate: unknown;
  projection: unknown;
}

/** One response of the fixture, as the reports must count it. */
interface Part {
  readonly model: string;
  readonly input: number;
  readonly output: number;
  readonly cacheCreate: number;
  readonly cache1h: number;
  readonly cacheRead: number;
  readonly webSearch: number;
  /** USD in the default (auto) mode; null: unpriced. */
  readonly cost: number | null;
}

// Prices (USD per million tokens), pricing catalogue: sonnet 4.5 input 3, output 15, 5-minute
// cache write 3.75, 1-hour cache write 6, cache read 0.3; haiku 4.5 input 1, output 5, 5-minute
// write 1.25, 1-hour write 2, read 0.1; a web search 0.01 per request; claude-nova-7: no price.
const R1: Part = {
  model: SONNET,
  input: 1000,
  output: 500,
  cacheCreate: 2000,
  cache1h: 800,
  cacheRead: 10_000,
  webSearch: 0,
  // 1000×3 + 500×15 + (2000−800)×3.75 + 800×6 + 10,000×0.3 = 3000 + 7500 + 4500 + 4800 + 3000
  cost: 22_800 / 1e6, // 0.0228; the streaming copy (output 1) must not add anything
};
const R2: Part = {
  model: HAIKU,
  input: 200,
  output: 100,
  cacheCreate: 0,
  cache1h: 0,
  cacheRead: 5000,
  webSearch: 2,
  // (200×1 + 100×5 + 5000×0.1) / 1e6 + 2 × 0.01 = 0.0012 + 0.02
  cost: 0.0212,
};
const R3: Part = {
  model: SONNET,
  input: 300,
  output: 700,
  cacheCreate: 0,
  cache1h: 0,
  cacheRead: 0,
  webSearch: 0,
  cost: (300 * 3 + 700 * 15) / 1e6, // (900 + 10,500) / 1e6 = 0.0114
};
const R4: Part = {
  model: NOVA,
  input: 4000,
  output: 1000,
  cacheCreate: 0,
  cache1h: 0,
  cacheRead: 0,
  webSearch: 0,
  cost: null,
};
const R5: Part = {
  model: HAIKU,
  input: 10_000,
  output: 2000,
  cacheCreate: 4000,
  cache1h: 0,
  cacheRead: 0,
  webSearch: 0,
  cost: (10_000 * 1 + 2000 * 5 + 4000 * 1.25) / 1e6, // (10,000 + 10,000 + 5000) / 1e6 = 0.025
};
/** CC 1.0.8 wrote `costUSD: 0.5`: auto and display use it; calculate prices the tokens. */
const R6: Part = {
  model: SONNET,
  input: 100,
  output: 100,
  cacheCreate: 0,
  cache1h: 0,
  cacheRead: 0,
  webSearch: 0,
  cost: 0.5,
};
const R6_CALCULATED = (100 * 3 + 100 * 15) / 1e6; // 0.0018

const ALL = [R1, R2, R3, R4, R5, R6];

function tokensOf(p: Part): number {
  return p.input + p.output + p.cacheCreate + p.cacheRead;
}

/** Sum of the known costs, null when every part is unpriced. */
function costOf(parts: readonly Part[]): number | null {
  const priced = parts.filter((p) => p.cost !== null);
  return priced.length === 0 ? null : priced.reduce((sum, p) => sum + (p.cost ?? 0), 0);
}

function expectCost(actual: number | null | undefined, expected: number | null): void {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 10);
}

function expectUsage(actual: JsonUsage, parts: readonly Part[]): void {
  const sum = (get: (p: Part) => number): number => parts.reduce((s, p) => s + get(p), 0);
  expect(actual).toMatchObject({
    inputTokens: sum((p) => p.input),
    outputTokens: sum((p) => p.output),
    cacheCreationTokens: sum((p) => p.cacheCreate),
    cacheReadTokens: sum((p) => p.cacheRead),
    totalTokens: sum(tokensOf),
    cacheCreation1hTokens: sum((p) => p.cache1h),
    webSearchRequests: sum((p) => p.webSearch),
    unpricedTokens: sum((p) => (p.cost === null ? tokensOf(p) : 0)),
    responses: parts.length,
  });
  expectCost(actual.totalCost, costOf(parts));
}

const ROW_FIELDS = [
  'inputTokens',
  'outputTokens',
  'cacheCreationTokens',
  'cacheReadTokens',
  'totalTokens',
  'totalCost',
  'modelsUsed',
  'modelBreakdowns',
];
const BREAKDOWN_FIELDS = [
  'modelName',
  'inputTokens',
  'outputTokens',
  'cacheCreationTokens',
  'cacheReadTokens',
  'cost',
];

/** A report row: its usage, the models it used, and one breakdown per model. */
function expectRow(row: JsonRow | undefined, parts: readonly Part[]): void {
  expect(row).toBeDefined();
  if (row === undefined) return;
  expect(Object.keys(row)).toEqual(expect.arrayContaining(ROW_FIELDS));
  expectUsage(row, parts);
  const models = [...new Set(parts.map((p) => p.model))];
  expect([...row.modelsUsed].sort()).toEqual([...models].sort());
  expect(row.modelBreakdowns.map((b) => b.modelName).sort()).toEqual([...models].sort());
  for (const b of row.modelBreakdowns) {
    expect(Object.keys(b)).toEqual(expect.arrayContaining(BREAKDOWN_FIELDS));
    const mine = parts.filter((p) => p.model === b.modelName);
    const sum = (get: (p: Part) => number): number => mine.reduce((s, p) => s + get(p), 0);
    expect(b).toMatchObject({
      inputTokens: sum((p) => p.input),
      outputTokens: sum((p) => p.output),
      cacheCreationTokens: sum((p) => p.cacheCreate),
      cacheReadTokens: sum((p) => p.cacheRead),
    });
    expectCost(b.cost, costOf(mine));
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A table row's token cells, and its cost cell as written by hand (`$0.06`, `—`). */
function expectTableRow(
  table: ParsedTable,
  key: string,
  parts: readonly Part[],
  costText: string,
): void {
  const row = tableRow(table, key);
  const sum = (get: (p: Part) => number): number => parts.reduce((s, p) => s + get(p), 0);
  expect(row['Input']).toBe(count(sum((p) => p.input)));
  expect(row['Output']).toBe(count(sum((p) => p.output)));
  if ('Cache Create' in row) {
    expect(row['Cache Create']).toBe(count(sum((p) => p.cacheCreate)));
    expect(row['Cache Read']).toBe(count(sum((p) => p.cacheRead)));
  } else {
    expect(row['Cache']).toBe(count(sum((p) => p.cacheCreate + p.cacheRead)));
  }
  expect(row['Total Tokens']).toBe(count(sum(tokensOf)));
  expect(row['Cost (USD)']).toBe(costText);
}

function rowsOf(report: JsonReport, list: string): JsonRow[] {
  const rows = report[list];
  expect(Array.isArray(rows), `${list} is an array`).toBe(true);
  return rows as JsonRow[];
}

function by(rows: readonly JsonRow[], field: string, value: string): JsonRow | undefined {
  return rows.find((row) => row[field] === value);
}

const NOVA_UNPRICED: JsonUnpriced[] = [{ model: NOVA, responses: 1, totalTokens: 4000 + 1000 }];

let home: ReportHome;

beforeAll(() => {
  // No test changes this tree: identical runs are made once.
  home = withRunCache(makeReportHome());
  writeMainFixture(home);
  const sync = home.run(['sync']);
  expect(sync.status, sync.stderr).toBe(0);
});

afterAll(() => home.cleanup());

describe('period reports', () => {
  it('daily --json sums each UTC day once per response, with per-model breakdowns and totals', () => {
    const report = home.json<JsonReport>(['daily']);
    const rows = rowsOf(report, 'daily');
    expect(rows.map((r) => r['date'])).toEqual(['2026-01-05', '2026-01-06', '2026-02-02']);
    expectRow(rows[0], [R1, R2, R3]); // 19,800 tokens, $0.0228 + $0.0212 + $0.0114 = $0.0554
    expectRow(rows[1], [R4]); // nova only: 5,000 tokens, cost null
    expect(rows[1]?.totalCost).toBeNull();
    expectRow(rows[2], [R5, R6]); // 16,200 tokens, $0.025 + $0.5 = $0.525
    expectUsage(report.totals, ALL);
    // The same totals, written out: 1500 + 4000 + 10,100 input; 1300 + 1000 + 2100 output; …
    expect(report.totals).toMatchObject({
      inputTokens: 15_600,
      outputTokens: 4400,
      cacheCreationTokens: 6000,
      cacheReadTokens: 15_000,
      totalTokens: 41_000,
      cacheCreation1hTokens: 800,
      webSearchRequests: 2,
    });
    expect(report.totals.totalCost).toBeCloseTo(0.0554 + 0.525, 10);
    expect(report.unpricedModels).toEqual(NOVA_UNPRICED);
  });

  it('daily prints a table with a Total row and the unpriced model under it', () => {
    const run = home.run(['daily']);
    expect(run.status, run.stderr).toBe(0);
    const table = parseTable(run.stdout);
    expect(table.headers).toEqual([
      'Date',
      'Models',
      'Input',
      'Output',
      'Cache Create',
      'Cache Read',
      'Total Tokens',
      'Cost (USD)',
    ]);
    expect(tableKeys(table)).toEqual(['2026-01-05', '2026-01-06', '2026-02-02', 'Total']);
    expectTableRow(table, '2026-01-05', [R1, R2, R3], '$0.06');
    expectTableRow(table, '2026-01-06', [R4], '—');
    expectTableRow(table, '2026-02-02', [R5, R6], '$0.53');
    expectTableRow(table, 'Total', ALL, '$0.58');
    expect(tableRow(table, '2026-01-05')['Models']).toBe('sonnet-4-5, haiku-4-5');
    expect(oneLine(run.stdout)).toContain('unpriced: claude-nova-7 — 5,000 tokens in 1 response');
  });

  it('daily --csv has the JSON row fields as header and RFC 4180 rows', () => {
    const json = rowsOf(home.json<JsonReport>(['daily']), 'daily');
    const run = home.run(['daily', '--csv']);
    expect(run.status, run.stderr).toBe(0);
    const { header, records } = csvRecords(run.stdout);
    expect(header).toEqual(Object.keys(json[0] ?? {}).filter((k) => k !== 'modelBreakdowns'));
    expect(records.map((r) => r['date'])).toEqual(['2026-01-05', '2026-01-06', '2026-02-02']);
    records.forEach((record, i) => {
      const row = json[i];
      for (const field of header) {
        const value = row?.[field];
        if (field === 'modelsUsed') expect(record[field]).toBe((value as string[]).join(';'));
        else if (value === null) expect(record[field]).toBe('');
        else if (typeof value === 'number') expect(Number(record[field])).toBeCloseTo(value, 12);
        else expect(record[field]).toBe(value);
      }
    });
    expect(records[1]?.['totalCost']).toBe(''); // unpriced: an empty field, not 0
  });

  it('weekly starts weeks on Monday by default and on the day --start-of-week names', () => {
    // 2026-01-05 and 2026-02-02 are Mondays; with Sunday weeks they fall in the weeks of the 4th
    // and the 1st.
    const monday = home.json<JsonReport>(['weekly']);
    const weeks = rowsOf(monday, 'weekly');
    expect(weeks.map((r) => r['week'])).toEqual(['2026-01-05', '2026-02-02']);
    expectRow(weeks[0], [R1, R2, R3, R4]); // 24,800 tokens, $0.0554 (nova has no cost)
    expectRow(weeks[1], [R5, R6]);
    expect(monday.unpricedModels).toEqual(NOVA_UNPRICED);
    const sunday = home.json<JsonReport>(['weekly', '--start-of-week', 'sunday']);
    expect(rowsOf(sunday, 'weekly').map((r) => r['week'])).toEqual(['2026-01-04', '2026-02-01']);

    const table = parseTable(home.run(['weekly']).stdout);
    expectTableRow(table, '2026-01-05', [R1, R2, R3, R4], '$0.06');
    const csv = csvRecords(home.run(['weekly', '--csv']).stdout);
    expect(csv.header[0]).toBe('week');
    expect(csv.records.map((r) => r['totalTokens'])).toEqual(['24800', '16200']);
  });

  it('monthly keys rows by YYYY-MM', () => {
    const report = home.json<JsonReport>(['monthly']);
    const months = rowsOf(report, 'monthly');
    expect(months.map((r) => r['month'])).toEqual(['2026-01', '2026-02']);
    expectRow(months[0], [R1, R2, R3, R4]);
    expectRow(months[1], [R5, R6]);
    expect(report.unpricedModels).toEqual(NOVA_UNPRICED);
    const table = parseTable(home.run(['monthly']).stdout);
    expectTableRow(table, '2026-02', [R5, R6], '$0.53');
    const csv = csvRecords(home.run(['monthly', '--csv']).stdout);
    expect(csv.header[0]).toBe('month');
    expect(csv.records.map((r) => r['month'])).toEqual(['2026-01', '2026-02']);
  });

  it('hourly keys rows by local YYYY-MM-DDTHH', () => {
    const report = home.json<JsonReport>(['hourly']);
    const hours = rowsOf(report, 'hourly');
    expect(hours.map((r) => r['hour'])).toEqual([
      '2026-01-05T10',
      '2026-01-05T11',
      '2026-01-05T23',
      '2026-01-06T09',
      '2026-02-02T08',
    ]);
    expectRow(hours[0], [R1]);
    expectRow(hours[1], [R2]);
    expectRow(hours[2], [R3]);
    expectRow(hours[3], [R4]);
    expectRow(hours[4], [R5, R6]); // 08:15 and 08:45 share an hour
    expect(report.unpricedModels).toEqual(NOVA_UNPRICED);
    const table = parseTable(home.run(['hourly']).stdout);
    expect(table.headers[0]).toBe('Hour');
    expectTableRow(table, '2026-01-05 10:00', [R1], '$0.02');
    const csv = csvRecords(home.run(['hourly', '--csv']).stdout);
    expect(csv.header[0]).toBe('hour');
    expect(csv.records[4]?.['hour']).toBe('2026-02-02T08');
  });

  it('daily --instances groups the days per project path', () => {
    const report = home.json<JsonReport>(['daily', '--instances']);
    const projects = report['projects'] as Record<string, JsonRow[]>;
    expect(Object.keys(projects).sort()).toEqual([BILLING.cwd, WEBAPP.cwd].sort());
    const billing = projects[BILLING.cwd] ?? [];
    const webapp = projects[WEBAPP.cwd] ?? [];
    expect(billing.map((r) => r['date'])).toEqual(['2026-01-05', '2026-01-06']);
    expectRow(billing[0], [R3]);
    expectRow(billing[1], [R4]);
    expect(webapp.map((r) => r['date'])).toEqual(['2026-01-05', '2026-02-02']);
    expectRow(webapp[0], [R1, R2]);
    expectRow(webapp[1], [R5, R6]);
    expectUsage(report.totals, ALL);
    expect(report.unpricedModels).toEqual(NOVA_UNPRICED);

    const run = home.run(['daily', '--instances']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(WEBAPP.cwd);
    expect(run.stdout).toContain(BILLING.cwd);
    expect(oneLine(run.stdout)).toContain('claude-nova-7 — 5,000 tokens');

    const csv = csvRecords(home.run(['daily', '--instances', '--csv']).stdout);
    expect(csv.header.slice(0, 2)).toEqual(['projectPath', 'date']);
    expect(csv.records.map((r) => [r['projectPath'], r['date']])).toEqual([
      [BILLING.cwd, '2026-01-05'],
      [BILLING.cwd, '2026-01-06'],
      [WEBAPP.cwd, '2026-01-05'],
      [WEBAPP.cwd, '2026-02-02'],
    ]);
  });
});

describe('group reports', () => {
  it('session --json gives each session its ids, real cwd, transcript folder and activity span', () => {
    const report = home.json<JsonReport>(['session']);
    const sessions = rowsOf(report, 'sessions');
    // Ordered by last activity, oldest first.
    expect(sessions.map((r) => r['sessionId'])).toEqual([S1, S2, S3]);
    expect(sessions[0]).toMatchObject({
      sessionId: S1,
      projectPath: WEBAPP.cwd,
      projectDir: WEBAPP.projectDir,
      firstActivity: '2026-01-05T10:00:00.000Z',
      lastActivity: '2026-01-05T11:30:00.000Z',
    });
    expect(sessions[1]).toMatchObject({
      projectPath: BILLING.cwd,
      projectDir: BILLING.projectDir,
      firstActivity: '2026-01-05T23:00:00.000Z',
      lastActivity: '2026-01-06T09:00:00.000Z',
    });
    expect(sessions[2]).toMatchObject({
      projectPath: WEBAPP.cwd,
      firstActivity: '2026-02-02T08:15:00.000Z',
      lastActivity: '2026-02-02T08:45:00.000Z',
    });
    expectRow(sessions[0], [R1, R2]); // 18,800 tokens, $0.0228 + $0.0212 = $0.044
    expectRow(sessions[1], [R3, R4]); // 6000 tokens, $0.0114 (the nova part has no cost)
    expectRow(sessions[2], [R5, R6]);
    expect(report.unpricedModels).toEqual(NOVA_UNPRICED);
  });

  it('session prints shortened ids, projects and last activity, and quotes the CSV path', () => {
    const run = home.run(['session']);
    expect(run.status, run.stderr).toBe(0);
    const table = parseTable(run.stdout);
    expect(tableKeys(table)).toEqual(['11111111…', '22222222…', '33333333…', 'Total']);
    expect(tableRow(table, '11111111…')['Last Activity']).toBe('2026-01-05 11:30');
    expectTableRow(table, '11111111…', [R1, R2], '$0.04');
    expectTableRow(table, '22222222…', [R3, R4], '$0.01');
    expect(oneLine(run.stdout)).toContain('claude-nova-7 — 5,000 tokens');

    const csv = home.run(['session', '--csv']);
    const { header, records } = csvRecords(csv.stdout);
    expect(header.slice(0, 5)).toEqual([
      'sessionId',
      'projectPath',
      'projectDir',
      'firstActivity',
      'lastActivity',
    ]);
    expect(records[1]?.['projectPath']).toBe('/home/alice/src/billing, "v2"');
    // RFC 4180: the field is quoted and its quotes doubled.
    expect(csv.stdout).toContain('"/home/alice/src/billing, ""v2"""');
  });

  it('project groups by the real working directory, most expensive first', () => {
    const report = home.json<JsonReport>(['project']);
    const projects = rowsOf(report, 'projects');
    expect(projects.map((r) => r['projectPath'])).toEqual([WEBAPP.cwd, BILLING.cwd]);
    // webapp: $0.0228 + $0.0212 + $0.025 + $0.5 = $0.569; billing: $0.0114
    expectRow(projects[0], [R1, R2, R5, R6]);
    expectRow(projects[1], [R3, R4]);
    expect(report.unpricedModels).toEqual(NOVA_UNPRICED);
    // Wide enough for the full paths (at 120 columns they are shortened to fit).
    const wide = parseTable(home.run(['project'], { columns: 160 }).stdout);
    expectTableRow(wide, WEBAPP.cwd, [R1, R2, R5, R6], '$0.57');
    expectTableRow(wide, BILLING.cwd, [R3, R4], '$0.01');
    const fitted = home.run(['project']).stdout;
    expect(tableKeys(parseTable(fitted))).toEqual([
      expect.stringMatching(/^\/….*\/webapp$/) as unknown,
      expect.stringMatching(/^\/….*\/billing, "v2"$/) as unknown,
      'Total',
    ]);
    for (const line of fitted.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(120);
    const csv = csvRecords(home.run(['project', '--csv']).stdout);
    expect(csv.header[0]).toBe('projectPath');
    expect(csv.records.map((r) => r['projectPath'])).toEqual([WEBAPP.cwd, BILLING.cwd]);
  });

  it('model groups by model id, unpriced last with a null cost', () => {
    const report = home.json<JsonReport>(['model']);
    const models = rowsOf(report, 'models');
    // sonnet: $0.0228 + $0.0114 + $0.5 = $0.5342; haiku: $0.0212 + $0.025 = $0.0462; nova: null
    expect(models.map((r) => r['model'])).toEqual([SONNET, HAIKU, NOVA]);
    expectRow(models[0], [R1, R3, R6]);
    expectRow(models[1], [R2, R5]);
    expectRow(models[2], [R4]);
    expect(models[2]?.totalCost).toBeNull();
    expect(report.unpricedModels).toEqual(NOVA_UNPRICED);
    const run = home.run(['model']);
    const table = parseTable(run.stdout);
    expectTableRow(table, SONNET, [R1, R3, R6], '$0.53');
    expectTableRow(table, NOVA, [R4], '—');
    expect(oneLine(run.stdout)).toContain('unpriced: claude-nova-7 — 5,000 tokens');
    const csv = csvRecords(home.run(['model', '--csv']).stdout);
    expect(csv.header[0]).toBe('model');
    expect(csv.records.map((r) => [r['model'], r['totalCost']])).toEqual([
      [SONNET, expect.stringMatching(/^0\.534/) as unknown],
      [HAIKU, expect.stringMatching(/^0\.046/) as unknown],
      [NOVA, ''],
    ]);
  });

  it('blocks --json splits idle gaps over 5 hours into gap blocks', () => {
    const report = home.json<JsonReport>(['blocks']);
    const blocks = report['blocks'] as JsonBlock[];
    expect(blocks.map((b) => [b.id, b.isGap, b.entries])).toEqual([
      // 10:00 and 11:30 share the block of 10:00–15:00
      ['2026-01-05T10:00:00.000Z', false, 2],
      // 11:30 → 23:00 is idle for 11.5 h: a gap from 11:30 + 5 h to 23:00
      ['gap-2026-01-05T16:30:00.000Z', true, 0],
      ['2026-01-05T23:00:00.000Z', false, 1],
      ['gap-2026-01-06T04:00:00.000Z', true, 0],
      ['2026-01-06T09:00:00.000Z', false, 1],
      ['gap-2026-01-06T14:00:00.000Z', true, 0],
      // 08:15 floors to the UTC hour
      ['2026-02-02T08:00:00.000Z', false, 2],
    ]);
    const first = blocks[0];
    expect(first).toMatchObject({
      startTime: '2026-01-05T10:00:00.000Z',
      endTime: '2026-01-05T15:00:00.000Z',
      actualEndTime: '2026-01-05T11:30:00.000Z',
      isActive: false,
      tokenCounts: {
        inputTokens: 1000 + 200,
        outputTokens: 500 + 100,
        cacheCreationInputTokens: 2000,
        cacheReadInputTokens: 10_000 + 5000,
      },
      totalTokens: 13_500 + 5300,
      burnRate: null,
      projection: null,
    });
    expect(first?.models.sort()).toEqual([HAIKU, SONNET].sort());
    expect(first?.costUSD).toBeCloseTo(0.0228 + 0.0212, 10);
    expect(blocks[1]).toMatchObject({
      startTime: '2026-01-05T16:30:00.000Z',
      endTime: '2026-01-05T23:00:00.000Z',
      actualEndTime: null,
      totalTokens: 0,
    });
    expect(blocks[4]?.costUSD).toBeNull(); // only nova in it
    expect(blocks[6]?.costUSD).toBeCloseTo(0.025 + 0.5, 10);
    expect(report.unpricedModels).toEqual(NOVA_UNPRICED);

    const run = home.run(['blocks']);
    expect(run.status, run.stderr).toBe(0);
    const table = parseTable(run.stdout);
    expect(tableRow(table, '2026-01-05 16:30')['Status']).toBe('gap');
    expect(tableRow(table, '2026-01-05 10:00')['Tokens']).toBe('18,800');
    expect(oneLine(run.stdout)).toContain('claude-nova-7 — 5,000 tokens');

    const csv = csvRecords(home.run(['blocks', '--csv']).stdout);
    for (const field of ['id', 'startTime', 'endTime', 'actualEndTime', 'isActive', 'isGap']) {
      expect(csv.header).toContain(field);
    }
    for (const field of ['entries', 'totalTokens', 'costUSD', 'models', 'cacheReadInputTokens']) {
      expect(csv.header).toContain(field);
    }
    expect(csv.records.map((r) => r['id'])).toEqual(blocks.map((b) => b.id));
    expect((csv.records[0]?.['models'] ?? '').split(';').sort()).toEqual([HAIKU, SONNET].sort());
    expect(csv.records[4]?.['costUSD']).toBe('');
  });
});

describe('CSV', () => {
  it.each([
    ['daily', 'daily'],
    ['weekly', 'weekly'],
    ['monthly', 'monthly'],
    ['hourly', 'hourly'],
    ['session', 'sessions'],
    ['project', 'projects'],
    ['model', 'models'],
  ])('%s --csv columns are the JSON row fields, one line per JSON row', (report, list) => {
    const json = rowsOf(home.json<JsonReport>([report]), list);
    const run = home.run([report, '--csv']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    const { header, records } = csvRecords(run.stdout);
    expect(header).toEqual(Object.keys(json[0] ?? {}).filter((k) => k !== 'modelBreakdowns'));
    expect(records).toHaveLength(json.length);
    records.forEach((record, i) => {
      const row = json[i] ?? ({} as JsonRow);
      expect(Number(record['totalTokens'])).toBe(row.totalTokens);
      expect(record['totalCost']).toBe(row.totalCost === null ? '' : String(row.totalCost));
      expect(record['modelsUsed']).toBe(row.modelsUsed.join(';'));
    });
  });
});

describe('report options', () => {
  it('--project keeps responses whose cwd contains the text, case-insensitively', () => {
    const billing = home.json<JsonReport>(['daily', '--project', 'BILLING']);
    const rows = rowsOf(billing, 'daily');
    expect(rows.map((r) => r['date'])).toEqual(['2026-01-05', '2026-01-06']);
    expectRow(rows[0], [R3]);
    expectUsage(billing.totals, [R3, R4]);
    const sessions = rowsOf(home.json<JsonReport>(['session', '--project', 'webapp']), 'sessions');
    expect(sessions.map((r) => r['sessionId'])).toEqual([S1, S3]);
  });

  it('--model keeps matching models only, and an excluded unpriced model is not listed', () => {
    const haiku = home.json<JsonReport>(['daily', '--model', 'haiku']);
    const rows = rowsOf(haiku, 'daily');
    expect(rows.map((r) => r['date'])).toEqual(['2026-01-05', '2026-02-02']);
    expectRow(rows[0], [R2]);
    expectRow(rows[1], [R5]);
    expect(haiku.unpricedModels).toEqual([]);
    const text = home.run(['daily', '--model', 'haiku']).stdout;
    expect(text).not.toContain('unpriced');
    const both = home.json<JsonReport>(['session', '--model', 'sonnet', '--project', 'webapp']);
    const sessions = rowsOf(both, 'sessions');
    expect(sessions.map((r) => r['sessionId'])).toEqual([S1, S3]);
    expectRow(sessions[0], [R1]);
    expectRow(sessions[1], [R6]);
    // A row's activity span is that of the responses it counts (S1's haiku answer at 11:30 and
    // S3's at 08:15 are filtered out).
    expect(sessions[0]).toMatchObject({
      firstActivity: '2026-01-05T10:00:00.000Z',
      lastActivity: '2026-01-05T10:00:00.000Z',
    });
    expect(sessions[1]).toMatchObject({
      firstActivity: '2026-02-02T08:45:00.000Z',
      lastActivity: '2026-02-02T08:45:00.000Z',
    });
  });

  it('--breakdown adds a row per model under each row, in the table and the CSV', () => {
    const run = home.run(['daily', '--breakdown']);
    expect(run.status, run.stderr).toBe(0);
    const table = parseTable(run.stdout);
    expect(tableKeys(table)).toEqual([
      '2026-01-05',
      '└ sonnet-4-5',
      '└ haiku-4-5',
      '2026-01-06',
      '└ nova-7',
      '2026-02-02',
      '└ sonnet-4-5',
      '└ haiku-4-5',
      'Total',
    ]);
    const sub = table.rows[1] ?? [];
    const subRow = Object.fromEntries(table.headers.map((h, i) => [h, sub[i] ?? '']));
    // sonnet on 2026-01-05: R1 + R3 = 1300 input, 13,500 + 1000 tokens, $0.0228 + $0.0114
    expect(subRow['Input']).toBe('1,300');
    expect(subRow['Total Tokens']).toBe('14,500');
    expect(subRow['Cost (USD)']).toBe('$0.03');

    const csv = csvRecords(home.run(['daily', '--breakdown', '--csv']).stdout);
    expect(csv.header.slice(0, 2)).toEqual(['date', 'model']);
    const day = csv.records.filter((r) => r['date'] === '2026-01-05');
    expect(day.map((r) => r['model'])).toEqual(['', SONNET, HAIKU]);
    expect(day.map((r) => r['inputTokens'])).toEqual(['1500', '1300', '200']);
    const own = csv.records.filter((r) => r['model'] === '');
    expect(own.reduce((s, r) => s + Number(r['totalTokens']), 0)).toBe(41_000);
  });

  it('--order desc reverses period rows and asc reverses the cost order of groups', () => {
    const desc = rowsOf(home.json<JsonReport>(['daily', '--order', 'desc']), 'daily');
    expect(desc.map((r) => r['date'])).toEqual(['2026-02-02', '2026-01-06', '2026-01-05']);
    const sessions = rowsOf(home.json<JsonReport>(['session', '--order', 'desc']), 'sessions');
    expect(sessions.map((r) => r['sessionId'])).toEqual([S3, S2, S1]);
    const projects = rowsOf(home.json<JsonReport>(['project', '--order', 'asc']), 'projects');
    expect(projects.map((r) => r['projectPath'])).toEqual([BILLING.cwd, WEBAPP.cwd]);
    const table = parseTable(home.run(['monthly', '--order', 'desc']).stdout);
    expect(tableKeys(table)).toEqual(['2026-02', '2026-01', 'Total']);
    const blocks = home.json<JsonReport>(['blocks', '--order', 'desc'])['blocks'] as JsonBlock[];
    expect(blocks[0]?.id).toBe('2026-02-02T08:00:00.000Z');
  });

  it('--mode auto uses a logged costUSD, calculate prices the tokens, display only logs', () => {
    const day = (args: string[]): JsonRow[] =>
      rowsOf(home.json<JsonReport>(['daily', ...args]), 'daily');
    const auto = day([]);
    expect(auto[2]?.totalCost).toBeCloseTo(0.025 + 0.5, 10);
    const calculate = day(['--mode', 'calculate']);
    // R6 priced from its tokens: (100×3 + 100×15) / 1e6 = 0.0018
    expect(calculate[2]?.totalCost).toBeCloseTo(0.025 + R6_CALCULATED, 10);
    expect(calculate[0]?.totalCost).toBeCloseTo(0.0554, 10);
    expect(calculate[1]?.totalCost).toBeNull();
    const alias = day(['--cost-mode', 'calculate']);
    expect(alias[2]?.totalCost).toBeCloseTo(0.0268, 10);
    // display: costUSD where logged, else 0 (RULES §4)
    const display = home.json<JsonReport>(['daily', '--mode', 'display']);
    const displayRows = rowsOf(display, 'daily');
    expect(displayRows.map((r) => r.totalCost)).toEqual([0, 0, 0.5]);
    expect(display.totals.totalCost).toBe(0.5);
    const calculated = rowsOf(home.json<JsonReport>(['model', '--mode', 'calculate']), 'models');
    // haiku ($0.0462) now costs more than sonnet
    expect(calculated.map((r) => r['model'])).toEqual([HAIKU, SONNET, NOVA]);
    const sonnet = by(calculated, 'model', SONNET);
    // sonnet calculated: $0.0228 + $0.0114 + $0.0018 = $0.036
    expect(sonnet?.totalCost).toBeCloseTo(0.036, 10);
  });

  it('--offline is accepted and changes nothing', () => {
    const online = home.run(['daily', '--json']);
    const offline = home.run(['daily', '--json', '--offline']);
    expect(offline.status, offline.stderr).toBe(0);
    expect(offline.stdout).toBe(online.stdout);
  });

  it('--tz before the command name works like after it', () => {
    const before = home.run(['--tz', 'Asia/Kolkata', 'hourly', '--json']);
    const after = home.run(['hourly', '--json', '--tz', 'Asia/Kolkata']);
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toBe(after.stdout);
    // 2026-01-05T10:00Z is 15:30 in Kolkata
    const hours = rowsOf(JSON.parse(before.stdout) as JsonReport, 'hourly');
    expect(hours[0]?.['hour']).toBe('2026-01-05T15');
  });

  it('fits a 60-column terminal and still names the unpriced model and its tokens', () => {
    for (const report of ['daily', 'session', 'project', 'model', 'blocks']) {
      const run = home.run([report, '--breakdown'], { columns: 60 });
      expect(run.status, run.stderr).toBe(0);
      for (const line of run.stdout.split('\n')) {
        expect(Array.from(line).length, `${report}: ${line}`).toBeLessThanOrEqual(60);
      }
      expect(oneLine(run.stdout), report).toContain('claude-nova-7 — 5,000 tokens');
    }
    const daily = parseTable(home.run(['daily'], { columns: 60 }).stdout);
    expect(tableKeys(daily)).toEqual(['2026-01-05', '2026-01-06', '2026-02-02', 'Total']);
    expect(tableRow(daily, 'Total')['Cost (USD)']).toBe('$0.58');
  });
});

describe('ledger states', () => {
  it('--no-sync answers from the ledger as it is; a plain report catches up first', () => {
    const own = makeReportHome();
    try {
      const session = {
        ...WEBAPP,
        sessionId: S1,
        responses: [
          {
            messageId: 'msg_one',
            timestamp: '2026-01-05T10:00:00.000Z',
            model: SONNET,
            tokens: { input: 10, output: 20 },
          },
        ],
      };
      const path = own.writeSession(session);
      const first = own.json<JsonReport>(['daily']);
      expect(first.totals.responses).toBe(1);
      own.append(
        path,
        `${JSON.stringify({
          type: 'assistant',
          sessionId: S1,
          cwd: WEBAPP.cwd,
          timestamp: '2026-01-05T11:00:00.000Z',
          requestId: 'req_two',
          message: { id: 'msg_two', model: SONNET, usage: { input_tokens: 5, output_tokens: 7 } },
        })}\n`,
      );
      const stale = own.json<JsonReport>(['daily', '--no-sync']);
      expect(stale.totals).toMatchObject({ responses: 1, totalTokens: 30 });
      const fresh = own.json<JsonReport>(['daily']);
      expect(fresh.totals).toMatchObject({ responses: 2, totalTokens: 30 + 12 });
    } finally {
      own.cleanup();
    }
  });

  it('an empty ledger prints a friendly line and valid empty JSON, exit 0', () => {
    const empty = makeReportHome('ctt-empty-');
    try {
      for (const report of [
        'daily',
        'weekly',
        'monthly',
        'hourly',
        'session',
        'project',
        'model',
      ]) {
        const text = empty.run([report]);
        expect(text.status, text.stderr).toBe(0);
        expect(text.stdout).toContain('No usage recorded');
        const list = {
          daily: 'daily',
          weekly: 'weekly',
          monthly: 'monthly',
          hourly: 'hourly',
          session: 'sessions',
          project: 'projects',
          model: 'models',
        }[report];
        const json = empty.json<JsonReport>([report]);
        expect(json[list ?? '']).toEqual([]);
        expect(json.totals).toMatchObject({ totalTokens: 0, totalCost: 0, responses: 0 });
        expect(json.unpricedModels).toEqual([]);
        const csv = empty.run([report, '--csv']);
        expect(csv.status).toBe(0);
        expect(csvRecords(csv.stdout).records).toEqual([]);
      }
      expect(empty.json<JsonReport>(['blocks'])).toEqual({ blocks: [], unpricedModels: [] });
      expect(empty.run(['blocks']).stdout).toContain('No usage recorded');
      const instances = empty.json<JsonReport>(['daily', '--instances']);
      expect(instances['projects']).toEqual({});
    } finally {
      empty.cleanup();
    }
  });
});

describe('bad usage', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown option', ['daily', '--bogus'], /unknown option '--bogus'/],
    [
      'an impossible date',
      ['daily', '--since', '2026-02-30'],
      /--since "2026-02-30" is not a valid/,
    ],
    ['a malformed date', ['weekly', '--until', '2026/03/01'], /--until "2026\/03\/01"/],
    ['both --json and --csv', ['daily', '--json', '--csv'], /choose one of --json and --csv/],
    ['an unknown mode', ['model', '--mode', 'bogus'], /'bogus' is invalid/],
    ['an unknown zone', ['daily', '--tz', 'Mars/Base'], /unknown time zone "Mars\/Base"/],
    ['an unknown zone in ctt report', ['report', '--timezone', 'Mars/Base'], /Mars\/Base/],
    [
      'since after until',
      ['session', '--since', '2026-03-02', '--until', '20260301'],
      /--since 2026-03-02 is after --until 2026-03-01/,
    ],
    ['an unknown order', ['daily', '--order', 'up'], /'up' is invalid/],
  ];
  it.each(cases)(
    'exits 2 with a one-line reason and the help hint for %s',
    (_name, args, reason) => {
      const run = home.run(args);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^ctt: /);
      expect(lines[0]).toMatch(reason);
      expect(lines[1]).toContain('ctt --help');
    },
  );
});
