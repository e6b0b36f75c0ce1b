/** daily / weekly / monthly / hourly reports from quarter-hour sums, bucketed in the report's zone. */
import { dayKey, hourKey, monthKey, weekKey } from '../core/time-zone.js';
import { QUARTER_HOUR_MS, type QuarterRow } from '../store/report-queries.js';
import { RowAccumulator, sortByKey, type SortOrder } from './aggregate.js';
import type { InstancesReport, PeriodKind, Report } from './report-model.js';

export interface PeriodOptions {
  readonly timeZone: string;
  /** 0 = Sunday … 6 = Saturday. */
  readonly startOfWeek: number;
  readonly order: SortOrder;
}

/** The bucket key of a quarter-hour; cached, since thousands of rows share few quarters. */
export function periodKeyFn(kind: PeriodKind, options: PeriodOptions): (quarter: number) => string {
  const cache = new Map<number, string>();
  const keyOf = (epochMs: number): string => {
    switch (kind) {
      case 'daily':
        return dayKey(epochMs, options.timeZone);
      case 'weekly':
        return weekKey(epochMs, options.timeZone, options.startOfWeek);
      case 'monthly':
        return monthKey(epochMs, options.timeZone);
      case 'hourly':
        return hourKey(epochMs, options.timeZone);
    }
  };
  return (quarter) => {
    let key = cache.get(quarter);
    if (key === undefined) {
      key = keyOf(quarter * QUARTER_HOUR_MS);
      cache.set(quarter, key);
    }
    return key;
  };
}

export function buildPeriodReport(
  kind: PeriodKind,
  rows: readonly QuarterRow[],
  options: PeriodOptions,
): Report {
  const keyOf = periodKeyFn(kind, options);
  const acc = new RowAccumulator();
  for (const row of rows) acc.add(keyOf(row.quarter), row);
  return {
    kind,
    rows: sortByKey(
      acc.keys().map((key) => acc.row(key)),
      options.order,
    ),
    totals: acc.totals,
    unpricedModels: acc.unpricedModels(),
    timeZone: options.timeZone,
  };
}

/** `daily --instances`: one daily report per project path. */
export function buildInstancesReport(
  rows: readonly (QuarterRow & { groupKey?: string | null })[],
  options: PeriodOptions,
): InstancesReport {
  const keyOf = periodKeyFn('daily', options);
  const all = new RowAccumulator();
  const byProject = new Map<string, RowAccumulator>();
  for (const row of rows) {
    const project = row.groupKey ?? '(unknown project)';
    let acc = byProject.get(project);
    if (acc === undefined) {
      acc = new RowAccumulator();
      byProject.set(project, acc);
    }
    const key = keyOf(row.quarter);
    acc.add(key, row);
    all.add(key, row);
  }
  const projects = [...byProject]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([projectPath, acc]) => ({
      projectPath,
      rows: sortByKey(
        acc.keys().map((key) => acc.row(key)),
        options.order,
      ),
    }));
  return {
    kind: 'daily-instances',
    projects,
    totals: all.totals,
    unpricedModels: all.unpricedModels(),
    timeZone: options.timeZone,
  };
}
