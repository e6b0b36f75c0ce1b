/**
 * Reports as JSON, in the shapes of spec/cli.md (ccusage-compatible). Numbers stay numbers and
 * costs are not rounded. Every row and the totals carry, after the contract's fields, the extras
 * `cacheCreation1hTokens`, `webSearchRequests`, `unpricedTokens` and `responses`; every report
 * (blocks too) carries `unpricedModels: [{model, responses, totalTokens}]` (models without a price,
 * whose tokens count in the token fields but not in any cost).
 *
 * Costs are `null` where they are unknown: a row's `totalCost` (and a block's `costUSD`) only when
 * every token in it is unpriced; a breakdown's `cost` when its model is unpriced. Nothing unpriced
 * means a number (an empty report's totals cost 0).
 */
import type {
  Block,
  BlocksReport,
  InstancesReport,
  ModelBreakdown,
  Report,
  ReportKind,
  ReportRow,
  SessionRow,
  UnpricedModel,
  UsageTotals,
} from './report-model.js';

/** Anything the renderers accept. */
export type AnyReport = Report | InstancesReport | BlocksReport;

export interface JsonUsage {
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

export interface JsonModelBreakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  /** USD; null when the model is unpriced. */
  cost: number | null;
  cacheCreation1hTokens: number;
  webSearchRequests: number;
  totalTokens: number;
  unpricedTokens: number;
  responses: number;
}

/** A report row: its key field(s) (`date`, `week`, …, or the session fields), then usage. */
export interface JsonRow extends JsonUsage {
  [field: string]: unknown;
  modelsUsed: string[];
  modelBreakdowns: JsonModelBreakdown[];
}

export interface JsonBlock {
  id: string;
  startTime: string;
  endTime: string;
  /** The last entry's time; null for a gap block. */
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
  /** Active block only: the rate over its first → last entry (`tokensPerMinute` = per hour / 60). */
  burnRate: { tokensPerMinute: number; tokensPerHour: number; costPerHour: number } | null;
  /** Active block only: totals at the block's end if the burn rate holds, and minutes until then. */
  projection: { totalTokens: number; totalCost: number; remainingMinutes: number } | null;
}

export interface JsonUnpricedModel {
  model: string;
  responses: number;
  totalTokens: number;
}

export interface JsonReport {
  [field: string]: unknown;
  unpricedModels: JsonUnpricedModel[];
}

/** Where each report kind puts its rows, and the name of the row key. */
export const ROW_NAMES: Readonly<
  Record<ReportKind, { readonly list: string; readonly key: string }>
> = {
  daily: { list: 'daily', key: 'date' },
  weekly: { list: 'weekly', key: 'week' },
  monthly: { list: 'monthly', key: 'month' },
  hourly: { list: 'hourly', key: 'hour' },
  session: { list: 'sessions', key: 'sessionId' },
  project: { list: 'projects', key: 'projectPath' },
  model: { list: 'models', key: 'model' },
};

const SESSION_FIELDS = ['sessionId', 'projectPath', 'projectDir', 'firstActivity', 'lastActivity'];

/** The usage fields of a row, in output order (CSV columns too). */
export const USAGE_FIELDS: readonly (keyof JsonUsage)[] = [
  'inputTokens',
  'outputTokens',
  'cacheCreationTokens',
  'cacheReadTokens',
  'totalTokens',
  'totalCost',
  'cacheCreation1hTokens',
  'webSearchRequests',
  'unpricedTokens',
  'responses',
];

/** The key field names a row of `kind` starts with. */
export function rowKeyFields(kind: ReportKind): string[] {
  return kind === 'session' ? [...SESSION_FIELDS] : [ROW_NAMES[kind].key];
}

/**
 * The cost to show: `totalCost`, except that a null cost with no unpriced tokens (an empty
 * report's totals) is a known $0, so `null` means "some tokens have no price and nothing else".
 */
export function knownCost(usage: UsageTotals): number | null {
  return usage.totalCost ?? (usage.unpricedTokens > 0 ? null : 0);
}

export function usageToJson(usage: UsageTotals): JsonUsage {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheCreationTokens: usage.cacheCreationTokens,
    cacheReadTokens: usage.cacheReadTokens,
    totalTokens: usage.totalTokens,
    totalCost: knownCost(usage),
    cacheCreation1hTokens: usage.cacheCreation1hTokens,
    webSearchRequests: usage.webSearchRequests,
    unpricedTokens: usage.unpricedTokens,
    responses: usage.responses,
  };
}

function breakdownToJson(b: ModelBreakdown): JsonModelBreakdown {
  return {
    modelName: b.modelName,
    inputTokens: b.inputTokens,
    outputTokens: b.outputTokens,
    cacheCreationTokens: b.cacheCreationTokens,
    cacheReadTokens: b.cacheReadTokens,
    cost: knownCost(b),
    cacheCreation1hTokens: b.cacheCreation1hTokens,
    webSearchRequests: b.webSearchRequests,
    totalTokens: b.totalTokens,
    unpricedTokens: b.unpricedTokens,
    responses: b.responses,
  };
}

export function isSessionRow(row: ReportRow): row is SessionRow {
  return 'sessionId' in row;
}

function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}

/** The key fields of a row (a session report's row without session details keeps its key as id). */
export function rowKeysToJson(kind: ReportKind, row: ReportRow): Record<string, string | null> {
  if (kind !== 'session') return { [ROW_NAMES[kind].key]: row.key };
  const s = isSessionRow(row) ? row : null;
  return {
    sessionId: s?.sessionId ?? row.key,
    projectPath: s?.projectPath ?? null,
    projectDir: s?.projectDir ?? null,
    firstActivity: isoOrNull(s?.firstActivityMs ?? null),
    lastActivity: isoOrNull(s?.lastActivityMs ?? null),
  };
}

export function rowToJson(kind: ReportKind, row: ReportRow): JsonRow {
  return {
    ...rowKeysToJson(kind, row),
    ...usageToJson(row),
    modelsUsed: [...row.modelsUsed],
    modelBreakdowns: row.modelBreakdowns.map(breakdownToJson),
  };
}

export function blockToJson(block: Block): JsonBlock {
  const { burnRate, projection } = block;
  return {
    id: block.id,
    startTime: new Date(block.startMs).toISOString(),
    endTime: new Date(block.endMs).toISOString(),
    actualEndTime: isoOrNull(block.actualEndMs),
    isActive: block.isActive,
    isGap: block.isGap,
    entries: block.entries,
    tokenCounts: { ...block.tokenCounts },
    totalTokens: block.totalTokens,
    costUSD: block.costUsd,
    models: [...block.models],
    burnRate:
      burnRate === null
        ? null
        : {
            tokensPerMinute: burnRate.tokensPerHour / 60,
            tokensPerHour: burnRate.tokensPerHour,
            costPerHour: burnRate.costUsdPerHour,
          },
    projection:
      projection === null
        ? null
        : {
            totalTokens: projection.totalTokens,
            totalCost: projection.costUsd,
            remainingMinutes: projection.remainingMinutes,
          },
  };
}

function unpricedToJson(models: readonly UnpricedModel[]): JsonUnpricedModel[] {
  return models.map((m) => ({
    model: m.model,
    responses: m.responses,
    totalTokens: m.totalTokens,
  }));
}

/** The report as a plain object, ready for `JSON.stringify`. */
export function reportToJson(report: AnyReport): JsonReport {
  const unpricedModels = unpricedToJson(report.unpricedModels);
  switch (report.kind) {
    case 'blocks':
      return { blocks: report.blocks.map(blockToJson), unpricedModels };
    case 'daily-instances': {
      const projects: Record<string, JsonRow[]> = {};
      for (const { projectPath, rows } of report.projects) {
        const json = rows.map((row) => rowToJson('daily', row));
        const earlier = Object.hasOwn(projects, projectPath) ? projects[projectPath] : undefined;
        // defineProperty: a path is data, even one spelled `__proto__`.
        Object.defineProperty(projects, projectPath, {
          value: earlier === undefined ? json : [...earlier, ...json],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return { projects, totals: usageToJson(report.totals), unpricedModels };
    }
    default: {
      const rows = report.rows.map((row) => rowToJson(report.kind, row));
      return {
        [ROW_NAMES[report.kind].list]: rows,
        totals: usageToJson(report.totals),
        unpricedModels,
      };
    }
  }
}

/** `reportToJson` as indented JSON text with a final newline. */
export function renderJson(report: AnyReport): string {
  return `${JSON.stringify(reportToJson(report), null, 2)}\n`;
}
