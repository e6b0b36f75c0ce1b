import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { AnyReport } from './render-json.js';
import { EMPTY_TEXT, reportToTable } from './render-table.js';
import type {
  Block,
  BlocksReport,
  InstancesReport,
  Report,
  ReportRow,
  SessionRow,
  UsageTotals,
} from './report-model.js';
import { emptyTotals } from './report-model.js';

function usage(parts: Partial<UsageTotals>): UsageTotals {
  const u = { ...emptyTotals(), totalCost: 0, responses: 1, ...parts };
  u.totalTokens = u.inputTokens + u.outputTokens + u.cacheCreationTokens + u.cacheReadTokens;
  return u;
}

const opus = usage({
  inputTokens: 1200,
  outputTokens: 3400,
  cacheCreationTokens: 10000,
  cacheReadTokens: 250000,
  totalCost: 1.5,
});
const nova = usage({
  inputTokens: 3663,
  outputTokens: 40000,
  totalCost: null,
  unpricedTokens: 43663,
});
const totals = usage({
  inputTokens: 4863,
  outputTokens: 43400,
  cacheCreationTokens: 10000,
  cacheReadTokens: 250000,
  totalCost: 1.5,
  unpricedTokens: 43663,
});
const unpricedModels = [{ model: 'claude-nova-7', responses: 3, totalTokens: 43663 }];

function row(key: string, model: string, u: UsageTotals): ReportRow {
  return { key, ...u, modelsUsed: [model], modelBreakdowns: [{ modelName: model, ...u }] };
}

const rows = [
  row('2026-11-29', 'claude-opus-4-1-20250805', opus),
  row('2026-11-30', 'claude-nova-7', nova),
];
const daily: Report = { kind: 'daily', rows, totals, unpricedModels, timeZone: 'UTC' };

const LONG_PATH = '/home/alice/code/acme-platform/services/billing-api';
const sessions: Report<SessionRow> = {
  ...daily,
  kind: 'session',
  rows: rows.map((r, i) => ({
    ...r,
    key: `3f2a9c1e-1111-2222-3333-44444444444${i}`,
    sessionId: `3f2a9c1e-1111-2222-3333-44444444444${i}`,
    projectPath: LONG_PATH,
    projectDir: '-home-alice-code-acme-platform-services-billing-api',
    firstActivityMs: Date.UTC(2026, 10, 30, 22, 0),
    lastActivityMs: Date.UTC(2026, 10, 30, 23, 5),
  })),
};
const projects: Report = {
  ...daily,
  kind: 'project',
  rows: rows.map((r) => ({ ...r, key: LONG_PATH })),
};
const models: Report = {
  ...daily,
  kind: 'model',
  rows: [row('claude-opus-4-1-20250805', 'claude-opus-4-1-20250805', opus)],
};
const instances: InstancesReport = {
  kind: 'daily-instances',
  projects: [
    { projectPath: '/home/a/app', rows: [rows[0]!] },
    { projectPath: LONG_PATH, rows: [rows[1]!] },
  ],
  totals,
  unpricedModels,
  timeZone: 'UTC',
};

const active: Block = {
  id: '2026-11-30T10:00:00.000Z',
  startMs: Date.UTC(2026, 10, 30, 10),
  endMs: Date.UTC(2026, 10, 30, 15),
  actualEndMs: Date.UTC(2026, 10, 30, 12, 30),
  isActive: true,
  isGap: false,
  entries: 12,
  tokenCounts: {
    inputTokens: 1,
    outputTokens: 2,
    cacheCreationInputTokens: 3,
    cacheReadInputTokens: 4,
  },
  totalTokens: 1000,
  costUsd: 0.5,
  models: ['claude-opus-4-1-20250805', 'claude-sonnet-4-5-20250929'],
  burnRate: { tokensPerHour: 600, costUsdPerHour: 0.2 },
  projection: { totalTokens: 2500, costUsd: 1, remainingMinutes: 150 },
};
const gap: Block = {
  ...active,
  id: 'gap',
  startMs: Date.UTC(2026, 10, 30, 4),
  endMs: Date.UTC(2026, 10, 30, 10),
  actualEndMs: null,
  isActive: false,
  isGap: true,
  totalTokens: 0,
  costUsd: 0,
  models: [],
  burnRate: null,
  projection: null,
};
const blocks: BlocksReport = {
  kind: 'blocks',
  blocks: [gap, active],
  unpricedModels: [],
  timeZone: 'Europe/Berlin',
};

const plain = { color: false } as const;
const FOOTER =
  'unpriced: claude-nova-7 — 43,663 tokens in 3 responses; add its prices to the prices file';

describe('reportToTable: layout', () => {
  it('renders the full table when it fits (120 columns)', () => {
    expect(reportToTable(daily, { ...plain, columns: 120 })).toBe(
      [
        '┌────────────┬──────────┬───────┬────────┬──────────────┬────────────┬──────────────┬────────────┐',
        '│ Date       │ Models   │ Input │ Output │ Cache Create │ Cache Read │ Total Tokens │ Cost (USD) │',
        '├────────────┼──────────┼───────┼────────┼──────────────┼────────────┼──────────────┼────────────┤',
        '│ 2026-11-29 │ opus-4-1 │ 1,200 │  3,400 │       10,000 │    250,000 │      264,600 │      $1.50 │',
        '│ 2026-11-30 │ nova-7   │ 3,663 │ 40,000 │            0 │          0 │       43,663 │          — │',
        '├────────────┼──────────┼───────┼────────┼──────────────┼────────────┼──────────────┼────────────┤',
        '│ Total      │          │ 4,863 │ 43,400 │       10,000 │    250,000 │      308,263 │      $1.50 │',
        '└────────────┴──────────┴───────┴────────┴──────────────┴────────────┴──────────────┴────────────┘',
        FOOTER,
        '',
      ].join('\n'),
    );
  });

  it('switches to a compact layout and wraps the footer at 60 columns', () => {
    expect(reportToTable(daily, { ...plain, columns: 60 })).toBe(
      [
        '┌────────────┬──────────────┬────────────┐',
        '│ Date       │ Total Tokens │ Cost (USD) │',
        '├────────────┼──────────────┼────────────┤',
        '│ 2026-11-29 │      264,600 │      $1.50 │',
        '│ 2026-11-30 │       43,663 │          — │',
        '├────────────┼──────────────┼────────────┤',
        '│ Total      │      308,263 │      $1.50 │',
        '└────────────┴──────────────┴────────────┘',
        'unpriced: claude-nova-7 — 43,663 tokens in 3 responses; add',
        '  its prices to the prices file',
        '',
      ].join('\n'),
    );
  });

  it('merges the cache columns into one before dropping more (90 columns)', () => {
    const header = reportToTable(daily, { ...plain, columns: 90 }).split('\n')[1];
    expect(header).toBe(
      '│ Date       │ Models   │ Input │ Output │   Cache │ Total Tokens │ Cost (USD) │',
    );
  });

  const reports: [string, AnyReport][] = [
    ['daily', daily],
    ['session', sessions],
    ['project', projects],
    ['model', models],
    ['instances', instances],
    ['blocks', blocks],
  ];
  it.each(reports)('%s: no line is ever wider than the terminal', (_name, report) => {
    for (const columns of [200, 120, 100, 80, 70, 60, 50, 40, 30, 20, 12]) {
      for (const color of [false, true]) {
        const text = reportToTable(report, { columns, color, breakdown: true });
        for (const line of text.split('\n')) {
          expect(stringWidth(line), `${columns} columns: ${line}`).toBeLessThanOrEqual(columns);
        }
      }
    }
  });
});

describe('reportToTable: content', () => {
  it('adds indented per-model rows with breakdown', () => {
    const lines = reportToTable(daily, { ...plain, columns: 120, breakdown: true }).split('\n');
    expect(lines).toContain(
      '│  └ opus-4-1 │          │ 1,200 │  3,400 │       10,000 │    250,000 │      264,600 │      $1.50 │',
    );
    expect(lines).toContain(
      '│  └ nova-7   │          │ 3,663 │ 40,000 │            0 │          0 │       43,663 │          — │',
    );
    expect(lines[3]).toContain('│ 2026-11-29  │ opus-4-1 │');
  });

  it('colours only when asked: cyan header, bold totals, yellow unpriced footer', () => {
    expect(reportToTable(daily, { ...plain, columns: 120, breakdown: true })).not.toContain(
      '\u001b',
    );
    const text = reportToTable(daily, { color: true, columns: 120 });
    expect(text).toContain('\u001b[36mDate\u001b[39m');
    expect(text).toContain('\u001b[1mTotal\u001b[22m');
    expect(text).toContain(`\u001b[33m${FOOTER}\u001b[39m`);
  });

  it('sessions show a short id, a shortened path and the last activity in the zone', () => {
    const text = reportToTable(sessions, { ...plain, columns: 180, timeZone: 'Asia/Tokyo' });
    expect(text).toContain('│ 3f2a9c1e… │');
    expect(text).toContain('2026-12-01 08:05');
    expect(text).toContain(LONG_PATH);
    const narrow = reportToTable(sessions, { ...plain, columns: 120 });
    expect(narrow).toContain('2026-11-30 23:05');
    expect(narrow).not.toContain(LONG_PATH);
    expect(narrow).toMatch(/│ (\/)?…\/[a-z/-]*billing-api +│/);
  });

  it('project rows keep the last path segments; the model report has no Models column', () => {
    expect(reportToTable(projects, { ...plain, columns: 60 })).toContain(
      '│ /…/services/billing-api │',
    );
    const modelTable = reportToTable(models, { ...plain, columns: 120, breakdown: true });
    expect(modelTable.split('\n')[1]).toMatch(/^│ Model +│ Input │/);
    expect(modelTable).not.toContain(' └ ');
  });

  it('daily --instances puts each project on a line spanning the table', () => {
    const text = reportToTable(instances, { ...plain, columns: 120 });
    expect(text).toMatch(/^│ \/home\/a\/app +│$/m);
    expect(text).toMatch(new RegExp(`^│ ${LONG_PATH} +│$`, 'm'));
    expect(text).toContain('│ Total      │');
  });

  it('blocks show start in the zone, status, duration, and the active block rates', () => {
    const text = reportToTable(blocks, { ...plain, columns: 120 });
    expect(text).toContain(
      '│ 2026-11-30 05:00 │ gap    │   6h 00m │      — │          — │                      │',
    );
    expect(text).toContain(
      '│ 2026-11-30 11:00 │ ACTIVE │   2h 30m │  1,000 │      $0.50 │ opus-4-1, sonnet-4-5 │',
    );
    expect(text.split('\n').slice(-4)).toEqual([
      'Active block: ends 2026-11-30 16:00',
      'Burn rate: 600 tokens/h, $0.20/h',
      'Projected at block end: 2,500 tokens, $1.00 (2h 30m left)',
      '',
    ]);
  });

  it('labels the key column per kind and shows hours as local clock times', () => {
    const hourly: Report = { ...daily, kind: 'hourly', rows: [row('2026-11-30T14', 'm', opus)] };
    const text = reportToTable(hourly, { ...plain, columns: 120 });
    expect(text.split('\n')[1]).toMatch(/^│ Hour +│ Models/);
    expect(text).toContain('│ 2026-11-30 14:00 │');
    const weekly = reportToTable({ ...daily, kind: 'weekly' }, { ...plain, columns: 120 });
    expect(weekly.split('\n')[1]).toMatch(/^│ Week +│/);
  });

  it('treats columns 0 as no limit', () => {
    expect(reportToTable(daily, { ...plain, columns: 0 })).toBe(
      reportToTable(daily, { ...plain, columns: 1000 }),
    );
  });

  it('an empty report is a friendly line', () => {
    const empty: Report = { ...daily, rows: [], totals: emptyTotals(), unpricedModels: [] };
    expect(reportToTable(empty, { ...plain, columns: 80 })).toBe(`${EMPTY_TEXT}\n`);
    const noProjects: InstancesReport = { ...instances, projects: [], unpricedModels: [] };
    expect(reportToTable(noProjects, { ...plain, columns: 80 })).toBe(`${EMPTY_TEXT}\n`);
    const noBlocks: BlocksReport = { ...blocks, blocks: [] };
    expect(reportToTable(noBlocks, { ...plain, columns: 80 })).toBe(
      'No usage recorded for this period.\n',
    );
  });
});
