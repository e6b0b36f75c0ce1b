import { describe, expect, it } from 'vitest';
import { csvField, reportToCsv } from './render-csv.js';
import { reportToJson } from './render-json.js';
import type {
  Block,
  InstancesReport,
  Report,
  ReportKind,
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

const PATH = '/home/a/acme, "beta"/app';
const QUOTED = '"/home/a/acme, ""beta""/app"';
const TAIL =
  'inputTokens,outputTokens,cacheCreationTokens,cacheReadTokens,totalTokens,totalCost,' +
  'cacheCreation1hTokens,webSearchRequests,unpricedTokens,responses,modelsUsed';

function row(key: string): ReportRow {
  return {
    key,
    ...usage({
      inputTokens: 10,
      outputTokens: 20,
      cacheCreationTokens: 30,
      cacheCreation1hTokens: 5,
      cacheReadTokens: 40,
      totalCost: 0.0123,
      responses: 2,
    }),
    modelsUsed: ['claude-opus-4-1', 'claude-sonnet-4-5'],
    modelBreakdowns: [
      {
        modelName: 'claude-opus-4-1',
        ...usage({
          inputTokens: 6,
          outputTokens: 12,
          cacheCreationTokens: 30,
          cacheCreation1hTokens: 5,
          totalCost: 0.01,
          responses: 1,
        }),
      },
      {
        modelName: 'claude-sonnet-4-5',
        ...usage({
          inputTokens: 4,
          outputTokens: 8,
          cacheReadTokens: 40,
          totalCost: 0.0023,
          responses: 1,
        }),
      },
    ],
  };
}

function report(kind: ReportKind, rows: ReportRow[]): Report {
  return { kind, rows, totals: emptyTotals(), unpricedModels: [], timeZone: 'UTC' };
}

describe('csvField', () => {
  it('quotes fields with a comma, quote, CR or LF and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(PATH)).toBe(QUOTED);
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it('writes numbers with a dot and without an exponent', () => {
    expect(csvField(0.0123)).toBe('0.0123');
    expect(csvField(3e-7)).toBe('0.0000003');
    expect(csvField(1234567)).toBe('1234567');
  });
});

describe('reportToCsv', () => {
  it('writes one header and one LF-terminated line per row, no totals row', () => {
    expect(reportToCsv(report('project', [row(PATH)]))).toBe(
      `projectPath,${TAIL}\n` +
        `${QUOTED},10,20,30,40,100,0.0123,5,0,0,2,claude-opus-4-1;claude-sonnet-4-5\n`,
    );
  });

  it('adds a model column and one row per model with breakdown', () => {
    expect(reportToCsv(report('project', [row(PATH)]), { breakdown: true })).toBe(
      `projectPath,model,${TAIL}\n` +
        `${QUOTED},,10,20,30,40,100,0.0123,5,0,0,2,claude-opus-4-1;claude-sonnet-4-5\n` +
        `${QUOTED},claude-opus-4-1,6,12,30,0,48,0.01,5,0,0,1,claude-opus-4-1\n` +
        `${QUOTED},claude-sonnet-4-5,4,8,0,40,52,0.0023,0,0,0,1,claude-sonnet-4-5\n`,
    );
  });

  it('session rows carry the session fields; unknown values are empty', () => {
    const session: SessionRow = {
      ...row('s-1'),
      sessionId: 's-1',
      projectPath: null,
      projectDir: '-home-a',
      firstActivityMs: Date.UTC(2026, 10, 30, 9),
      lastActivityMs: null,
      totalCost: null,
      unpricedTokens: 100,
    };
    expect(reportToCsv({ ...report('session', []), rows: [session] })).toBe(
      `sessionId,projectPath,projectDir,firstActivity,lastActivity,${TAIL}\n` +
        's-1,,-home-a,2026-11-30T09:00:00.000Z,,10,20,30,40,100,,5,0,100,2,' +
        'claude-opus-4-1;claude-sonnet-4-5\n',
    );
  });

  it('has the JSON row field names as columns, in the same order, for every kind', () => {
    for (const kind of ['daily', 'weekly', 'monthly', 'hourly', 'project', 'model'] as const) {
      const json = reportToJson(report(kind, [row('k')]));
      const first = Object.values(json).find(Array.isArray) as Record<string, unknown>[];
      const names = Object.keys(first[0] ?? {}).filter((name) => name !== 'modelBreakdowns');
      expect(reportToCsv(report(kind, [row('k')])).split('\n')[0]).toBe(names.join(','));
    }
  });

  it('an empty report is the header alone', () => {
    expect(reportToCsv(report('daily', []))).toBe(`date,${TAIL}\n`);
  });

  it('daily --instances is flat, with the project path first', () => {
    const instances: InstancesReport = {
      kind: 'daily-instances',
      projects: [{ projectPath: PATH, rows: [row('2026-11-30')] }],
      totals: emptyTotals(),
      unpricedModels: [],
      timeZone: 'UTC',
    };
    expect(reportToCsv(instances)).toBe(
      `projectPath,date,${TAIL}\n` +
        `${QUOTED},2026-11-30,10,20,30,40,100,0.0123,5,0,0,2,claude-opus-4-1;claude-sonnet-4-5\n`,
    );
  });

  it('blocks are flat: token counts, burn rate and projection as columns', () => {
    const block: Block = {
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
      models: ['claude-opus-4-1', 'claude-sonnet-4-5'],
      burnRate: { tokensPerHour: 600, costUsdPerHour: 0.2 },
      projection: { totalTokens: 2500, costUsd: 1, remainingMinutes: 150 },
    };
    const gap: Block = { ...block, isActive: false, isGap: true, burnRate: null, projection: null };
    expect(
      reportToCsv({ kind: 'blocks', blocks: [block, gap], unpricedModels: [], timeZone: 'UTC' }),
    ).toBe(
      'id,startTime,endTime,actualEndTime,isActive,isGap,entries,inputTokens,outputTokens,' +
        'cacheCreationInputTokens,cacheReadInputTokens,totalTokens,costUSD,models,' +
        'burnRateTokensPerMinute,burnRateTokensPerHour,burnRateCostPerHour,' +
        'projectionTotalTokens,projectionTotalCost,projectionRemainingMinutes\n' +
        '2026-11-30T10:00:00.000Z,2026-11-30T10:00:00.000Z,2026-11-30T15:00:00.000Z,' +
        '2026-11-30T12:30:00.000Z,true,false,12,100,200,300,400,1000,0.5,' +
        'claude-opus-4-1;claude-sonnet-4-5,10,600,0.2,2500,1,150\n' +
        '2026-11-30T10:00:00.000Z,2026-11-30T10:00:00.000Z,2026-11-30T15:00:00.000Z,' +
        '2026-11-30T12:30:00.000Z,false,true,12,100,200,300,400,1000,0.5,' +
        'claude-opus-4-1;claude-sonnet-4-5,,,,,,\n',
    );
  });
});
