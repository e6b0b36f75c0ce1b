/**
 * Folds aggregate rows (one model each) into report rows: totals, per-model breakdowns, models
 * used, and the unpriced models. Shared by every report builder.
 */
import type { AggregateRow } from '../store/report-queries.js';
import {
  addTotals,
  emptyTotals,
  type ModelBreakdown,
  type ReportRow,
  type UnpricedModel,
  type UsageTotals,
} from './report-model.js';

export function totalsOf(row: AggregateRow): UsageTotals {
  return {
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheCreationTokens: row.cacheCreationTokens,
    cacheCreation1hTokens: row.cacheCreation1hTokens,
    cacheReadTokens: row.cacheReadTokens,
    webSearchRequests: row.webSearchRequests,
    totalTokens: row.inputTokens + row.outputTokens + row.cacheCreationTokens + row.cacheReadTokens,
    totalCost: row.costUsd,
    unpricedTokens: row.unpricedTokens,
    responses: row.responses,
  };
}

/** Accumulates rows under string keys, with a breakdown per model inside each key. */
export class RowAccumulator {
  private readonly groups = new Map<
    string,
    { totals: UsageTotals; models: Map<string, UsageTotals> }
  >();
  private readonly unpriced = new Map<string, { responses: number; totalTokens: number }>();
  readonly totals: UsageTotals = emptyTotals();

  add(key: string, row: AggregateRow): void {
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { totals: emptyTotals(), models: new Map() };
      this.groups.set(key, group);
    }
    const totals = totalsOf(row);
    addTotals(group.totals, totals);
    let model = group.models.get(row.model);
    if (model === undefined) {
      model = emptyTotals();
      group.models.set(row.model, model);
    }
    addTotals(model, totals);
    addTotals(this.totals, totals);
    if (row.unpricedResponses > 0) {
      const entry = this.unpriced.get(row.model) ?? { responses: 0, totalTokens: 0 };
      entry.responses += row.unpricedResponses;
      entry.totalTokens += row.unpricedTokens;
      this.unpriced.set(row.model, entry);
    }
  }

  keys(): string[] {
    return [...this.groups.keys()];
  }

  row(key: string): ReportRow {
    const group = this.groups.get(key);
    if (group === undefined) throw new Error(`no report row ${key}`);
    const modelBreakdowns: ModelBreakdown[] = [...group.models]
      .map(([modelName, totals]) => ({ modelName, ...totals }))
      .sort((a, b) => (b.totalCost ?? -1) - (a.totalCost ?? -1) || b.totalTokens - a.totalTokens);
    return {
      key,
      ...group.totals,
      modelsUsed: modelBreakdowns.map((m) => m.modelName),
      modelBreakdowns,
    };
  }

  unpricedModels(): UnpricedModel[] {
    return [...this.unpriced]
      .map(([model, u]) => ({ model, responses: u.responses, totalTokens: u.totalTokens }))
      .sort((a, b) => b.totalTokens - a.totalTokens);
  }
}

export type SortOrder = 'asc' | 'desc';

export function sortByKey<T extends { key: string }>(rows: T[], order: SortOrder): T[] {
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (order === 'desc') rows.reverse();
  return rows;
}
