import { describe, expect, it } from 'vitest';
import { renderJson, reportToJson } from './render-json.js';
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
  const u = { ...emptyTotals(), totalCost: 0, ...parts };
  u.totalTokens = u.inputTokens + u.outputTokens + u.cacheCreationTokens + u.cacheReadTokens;
  return u;
}

const rowUsage = usage({
  inputTokens: 1000,
  outputTokens: 200,
  cacheCreationTokens: 3000,
  cacheCreation1hTokens: 1000,
  cacheReadTokens: 40000,
  webSearchRequests: 2,
  totalCost: 1.234567,
  unpricedTokens: 500,
  responses: 5,
});

function row(key: string): ReportRow {
  return {
    key,
    ...rowUsage,
    modelsUsed: ['claude-opus-4-1', 'claude-nova-7'],
    modelBreakdowns: [
      {
        modelName: 'claude-opus-4-1',
        ...usage({
          inputTokens: 600,
          outputTokens: 100,
          cacheCreationTokens: 3000,
          cacheCreation1hTokens: 1000,
          cacheReadTokens: 40000,
          webSearchRequests: 2,
          totalCost: 1.234567,
          responses: 4,
        }),
      },
      {
        modelName: 'claude-nova-7',
        ...usage({
          inputTokens: 400,
          outputTokens: 100,
          totalCost: null,
          unpricedTokens: 500,
          responses: 1,
        }),
      },
    ],
  };
}

const unpricedModels = [{ model: 'claude-nova-7', responses: 1, totalTokens: 500 }];

function report(kind: Report['kind'], rows: ReportRow[]): Report {
  return { kind, rows, totals: rowUsage, unpricedModels, timeZone: 'UTC' };
}

// Hand-written expected shapes.
const usageJson = {
  inputTokens: 1000,
  outputTokens: 200,
  cacheCreationTokens: 3000,
  cacheReadTokens: 40000,
  totalTokens: 44200,
  totalCost: 1.234567,
  cacheCreation1hTokens: 1000,
  webSearchRequests: 2,
  unpricedTokens: 500,
  responses: 5,
};
const rowTail = {
  ...usageJson,
  modelsUsed: ['claude-opus-4-1', 'claude-nova-7'],
  modelBreakdowns: [
    {
      modelName: 'claude-opus-4-1',
      inputTokens: 600,
      outputTokens: 100,
      cacheCreationTokens: 3000,
      cacheReadTokens: 40000,
      cost: 1.234567,
      cacheCreation1hTokens: 1000,
      webSearchRequests: 2,
      totalTokens: 43700,
      unpricedTokens: 0,
      responses: 4,
    },
    {
      modelName: 'claude-nova-7',
      inputTokens: 400,
      outputTokens: 100,
      cacheCreationTokens: 0,
      cacheReadTokens: 0,
      cost: null,
      cacheCreation1hTokens: 0,
      webSearchRequests: 0,
      totalTokens: 500,
      unpricedTokens: 500,
      responses: 1,
    },
  ],
};
const unpricedJson = [{ model: 'claude-nova-7', responses: 1, totalTokens: 500 }];

describe('reportToJson: period and group reports', () => {
  it('daily: rows keyed "date", totals, unpricedModels', () => {
    expect(reportToJson(report('daily', [row('2026-11-30')]))).toEqual({
      daily: [{ date: '2026-11-30', ...rowTail }],
      totals: usageJson,
      unpricedModels: unpricedJson,
    });
  });

  it.each([
    ['weekly', 'weekly', 'week', '2026-11-30'],
    ['monthly', 'monthly', 'month', '2026-11'],
    ['hourly', 'hourly', 'hour', '2026-11-30T14'],
    ['project', 'projects', 'projectPath', '/home/a/app'],
    ['model', 'models', 'model', 'claude-opus-4-1'],
  ] as const)('%s: rows under "%s" keyed "%s"', (kind, list, key, value) => {
    expect(reportToJson(report(kind, [row(value)]))).toEqual({
      [list]: [{ [key]: value, ...rowTail }],
      totals: usageJson,
      unpricedModels: unpricedJson,
    });
  });

  it('session: ids, paths and ISO-8601 UTC activity times (null when unknown)', () => {
    const full: SessionRow = {
      ...row('s-1'),
      sessionId: 's-1',
      projectPath: '/home/a/app',
      projectDir: '-home-a-app',
      firstActivityMs: Date.UTC(2026, 10, 30, 9, 0, 0),
      lastActivityMs: Date.UTC(2026, 10, 30, 9, 45, 30, 250),
    };
    const bare: SessionRow = {
      ...row('s-2'),
      sessionId: 's-2',
      projectPath: null,
      projectDir: null,
      firstActivityMs: null,
      lastActivityMs: null,
    };
    const sessions: Report<SessionRow> = { ...report('session', []), rows: [full, bare] };
    expect(reportToJson(sessions)).toEqual({
      sessions: [
        {
          sessionId: 's-1',
          projectPath: '/home/a/app',
          projectDir: '-home-a-app',
          firstActivity: '2026-11-30T09:00:00.000Z',
          lastActivity: '2026-11-30T09:45:30.250Z',
          ...rowTail,
        },
        {
          sessionId: 's-2',
          projectPath: null,
          projectDir: null,
          firstActivity: null,
          lastActivity: null,
          ...rowTail,
        },
      ],
      totals: usageJson,
      unpricedModels: unpricedJson,
    });
  });

  it('an empty report has empty rows and zero totals with a $0 cost', () => {
    const empty: Report = { ...report('daily', []), totals: emptyTotals(), unpricedModels: [] };
    expect(reportToJson(empty)).toEqual({
      daily: [],
      totals: {
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        totalTokens: 0,
        totalCost: 0,
        cacheCreation1hTokens: 0,
        webSearchRequests: 0,
        unpricedTokens: 0,
        responses: 0,
      },
      unpricedModels: [],
    });
  });

  it('keeps null for a cost where every token is unpriced', () => {
    const unpriced = usage({ inputTokens: 10, totalCost: null, unpricedTokens: 10, responses: 1 });
    const json = reportToJson({ ...report('daily', []), totals: unpriced });
    expect(json['totals']).toMatchObject({ totalTokens: 10, totalCost: null, unpricedTokens: 10 });
  });
});

describe('reportToJson: daily --instances', () => {
  it('groups daily rows under each project path', () => {
    const instances: InstancesReport = {
      kind: 'daily-instances',
      projects: [
        { projectPath: '/home/a/app', rows: [row('2026-11-29'), row('2026-11-30')] },
        { projectPath: '/home/a/lib, "v2"', rows: [row('2026-11-30')] },
      ],
      totals: rowUsage,
      unpricedModels,
      timeZone: 'UTC',
    };
    expect(reportToJson(instances)).toEqual({
      projects: {
        '/home/a/app': [
          { date: '2026-11-29', ...rowTail },
          { date: '2026-11-30', ...rowTail },
        ],
        '/home/a/lib, "v2"': [{ date: '2026-11-30', ...rowTail }],
      },
      totals: usageJson,
      unpricedModels: unpricedJson,
    });
  });
});

describe('reportToJson: blocks', () => {
  const active: Block = {
    id: '2026-11-30T10:00:00.000Z',
    startMs: Date.UTC(2026, 10, 30, 10),
    endMs: Date.UTC(2026, 10, 30, 15),
    actualEndMs: Date.UTC(2026, 10, 30, 12, 30),
    isActive: true,
    isGap: false,
    entries: 12,
    tokenCounts: {
      inputTokens: 100,
      outputTokens: 200,
      cacheCreationInputTokens: 300,
      cacheReadInputTokens: 400,
    },
    totalTokens: 1000,
    costUsd: 0.5,
    models: ['claude-opus-4-1'],
    burnRate: { tokensPerHour: 600, costUsdPerHour: 0.2 },
    projection: { totalTokens: 2500, costUsd: 1, remainingMinutes: 150 },
  };
  const gap: Block = {
    ...active,
    id: 'gap-2026-11-30T04:00:00.000Z',
    startMs: Date.UTC(2026, 10, 30, 4),
    endMs: Date.UTC(2026, 10, 30, 10),
    actualEndMs: null,
    isActive: false,
    isGap: true,
    entries: 0,
    tokenCounts: {
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    },
    totalTokens: 0,
    costUsd: 0,
    models: [],
    burnRate: null,
    projection: null,
  };

  it('writes ISO times, token counts, burn rate and projection', () => {
    const blocks: BlocksReport = {
      kind: 'blocks',
      blocks: [gap, active],
      unpricedModels,
      timeZone: 'Europe/Berlin',
    };
    expect(reportToJson(blocks)).toEqual({
      blocks: [
        {
          id: 'gap-2026-11-30T04:00:00.000Z',
          startTime: '2026-11-30T04:00:00.000Z',
          endTime: '2026-11-30T10:00:00.000Z',
          actualEndTime: null,
          isActive: false,
          isGap: true,
          entries: 0,
          tokenCounts: {
            inputTokens: 0,
            outputTokens: 0,
            cacheCreationInputTokens: 0,
            cacheReadInputTokens: 0,
          },
          totalTokens: 0,
          costUSD: 0,
          models: [],
          burnRate: null,
          projection: null,
        },
        {
          id: '2026-11-30T10:00:00.000Z',
          startTime: '2026-11-30T10:00:00.000Z',
          endTime: '2026-11-30T15:00:00.000Z',
          actualEndTime: '2026-11-30T12:30:00.000Z',
          isActive: true,
          isGap: false,
          entries: 12,
          tokenCounts: {
            inputTokens: 100,
            outputTokens: 200,
            cacheCreationInputTokens: 300,
            cacheReadInputTokens: 400,
          },
          totalTokens: 1000,
          costUSD: 0.5,
          models: ['claude-opus-4-1'],
          burnRate: { tokensPerMinute: 10, tokensPerHour: 600, costPerHour: 0.2 },
          projection: { totalTokens: 2500, totalCost: 1, remainingMinutes: 150 },
        },
      ],
      unpricedModels: unpricedJson,
    });
  });

  it('an empty blocks report is an empty array', () => {
    expect(
      reportToJson({ kind: 'blocks', blocks: [], unpricedModels: [], timeZone: 'UTC' }),
    ).toEqual({ blocks: [], unpricedModels: [] });
  });
});

describe('renderJson', () => {
  it('is indented JSON with a final newline that parses back to the object', () => {
    const r = report('daily', [row('2026-11-30')]);
    const text = renderJson(r);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(reportToJson(r));
  });
});
