/**
 * The one shape every report takes before rendering (table, JSON, CSV): built by the pure
 * builders in this folder from aggregate rows the store returns. Field names follow the JSON
 * contract in spec/cli.md (ccusage-compatible), so the JSON renderer is a plain mapping.
 */

/** Token and cost sums of a set of responses. */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  /** The 1-hour share of `cacheCreationTokens`. */
  cacheCreation1hTokens: number;
  cacheReadTokens: number;
  webSearchRequests: number;
  /** input + output + cache creation + cache read. */
  totalTokens: number;
  /** USD in the report's cost mode; null only when every token is unpriced. */
  totalCost: number | null;
  /** Tokens of responses whose model has no price (their cost is unknown, not 0). */
  unpricedTokens: number;
  responses: number;
}

export interface ModelBreakdown extends UsageTotals {
  readonly modelName: string;
}

/** One row of a period report (daily, weekly, monthly, hourly) or a grouping report. */
export interface ReportRow extends UsageTotals {
  /** The row's key: `2026-11-30`, `2026-W…` first day, `2026-11`, `2026-11-30T14`, a session id, a path, a model. */
  readonly key: string;
  readonly modelsUsed: string[];
  readonly modelBreakdowns: ModelBreakdown[];
}

export interface SessionRow extends ReportRow {
  readonly sessionId: string;
  readonly projectPath: string | null;
  readonly projectDir: string | null;
  readonly firstActivityMs: number | null;
  readonly lastActivityMs: number | null;
}

export interface UnpricedModel {
  readonly model: string;
  readonly responses: number;
  readonly totalTokens: number;
}

export type PeriodKind = 'daily' | 'weekly' | 'monthly' | 'hourly';
export type GroupKind = 'session' | 'project' | 'model';
export type ReportKind = PeriodKind | GroupKind;

export interface Report<Row extends ReportRow = ReportRow> {
  readonly kind: ReportKind;
  readonly rows: Row[];
  readonly totals: UsageTotals;
  readonly unpricedModels: UnpricedModel[];
  readonly timeZone: string;
}

/** `daily --instances`: daily rows per project path. */
export interface InstancesReport {
  readonly kind: 'daily-instances';
  readonly projects: { readonly projectPath: string; readonly rows: ReportRow[] }[];
  readonly totals: UsageTotals;
  readonly unpricedModels: UnpricedModel[];
  readonly timeZone: string;
}

// Blocks are computed in core (a pure rule over entries); reports only carry them.
export type { Block, BlockTokenCounts } from '../core/blocks.js';
import type { Block } from '../core/blocks.js';

export interface BlocksReport {
  readonly kind: 'blocks';
  readonly blocks: Block[];
  readonly unpricedModels: UnpricedModel[];
  readonly timeZone: string;
}

export function emptyTotals(): UsageTotals {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
    webSearchRequests: 0,
    totalTokens: 0,
    totalCost: null,
    unpricedTokens: 0,
    responses: 0,
  };
}

/** Adds `from` into `into` (a null cost stays null only while nothing priced was added). */
export function addTotals(into: UsageTotals, from: UsageTotals): void {
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cacheCreationTokens += from.cacheCreationTokens;
  into.cacheCreation1hTokens += from.cacheCreation1hTokens;
  into.cacheReadTokens += from.cacheReadTokens;
  into.webSearchRequests += from.webSearchRequests;
  into.totalTokens += from.totalTokens;
  into.unpricedTokens += from.unpricedTokens;
  into.responses += from.responses;
  if (from.totalCost !== null) into.totalCost = (into.totalCost ?? 0) + from.totalCost;
}
