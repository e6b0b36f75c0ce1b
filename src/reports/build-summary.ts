/**
 * `ctt report`: the first screen a person wants. Pure: it takes what the store returned and the
 * clock, and returns one object that the text and JSON renderers share.
 */
import type { Block } from '../core/blocks.js';
import type { KeyedRow } from '../store/report-queries.js';
import { RowAccumulator } from './aggregate.js';
import type { ReportRow, UnpricedModel, UsageTotals } from './report-model.js';

export interface PeriodSummary {
  readonly label: 'today' | 'this week' | 'this month' | 'all time';
  /** First local day of the period (YYYY-MM-DD), or null for all time. */
  readonly since: string | null;
  readonly totals: UsageTotals;
}

export interface CleanupRisk {
  readonly cleanupPeriodDays: number;
  readonly settingsFile: string | null;
  /** Transcripts Claude Code will delete within `withinDays` (by their mtime). */
  readonly dueSoon: number;
  /** …of which the ledger has not read every byte yet. */
  readonly dueSoonNotInLedger: number;
  readonly withinDays: number;
}

export interface DataHealth {
  readonly lastIngestMs: number | null;
  readonly responses: number;
  readonly firstResponseMs: number | null;
  readonly lastResponseMs: number | null;
  readonly quarantinedLines: number;
  readonly unpricedModels: UnpricedModel[];
  readonly cleanup: CleanupRisk;
}

export interface SummaryReport {
  readonly kind: 'summary';
  readonly timeZone: string;
  readonly nowMs: number;
  readonly periods: PeriodSummary[];
  readonly topProjects: ReportRow[];
  readonly topModels: ReportRow[];
  readonly currentBlock: Block | null;
  readonly health: DataHealth;
}

export const TOP_ROWS = 5;

/** Totals of per-model rows (a period's query result). */
export function totalsOfRows(rows: readonly KeyedRow[]): {
  totals: UsageTotals;
  unpriced: UnpricedModel[];
} {
  const acc = new RowAccumulator();
  for (const row of rows) acc.add('all', row);
  return { totals: acc.totals, unpriced: acc.unpricedModels() };
}

/** The most expensive groups (then the most tokens), at most `TOP_ROWS`. */
export function topRows(rows: readonly KeyedRow[]): ReportRow[] {
  const acc = new RowAccumulator();
  for (const row of rows) acc.add(row.groupKey ?? '(unknown)', row);
  return acc
    .keys()
    .map((key) => acc.row(key))
    .sort((a, b) => (b.totalCost ?? -1) - (a.totalCost ?? -1) || b.totalTokens - a.totalTokens)
    .slice(0, TOP_ROWS);
}

/** The block that is running now, if any. */
export function activeBlock(blocks: readonly Block[]): Block | null {
  return blocks.find((block) => block.isActive && !block.isGap) ?? null;
}
