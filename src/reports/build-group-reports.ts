/** session / project / model reports from grouped sums. */
import type { KeyedRow, SessionAggregateRow } from '../store/report-queries.js';
import { RowAccumulator, type SortOrder } from './aggregate.js';
import type { Report, SessionRow } from './report-model.js';

const UNKNOWN = '(unknown)';

/** Sessions ordered by last activity (the natural order to look at them), `order` flips it. */
export function buildSessionReport(
  rows: readonly SessionAggregateRow[],
  timeZone: string,
  order: SortOrder,
): Report<SessionRow> {
  const acc = new RowAccumulator();
  const meta = new Map<
    string,
    { cwd: string | null; projectDir: string | null; first: number | null; last: number | null }
  >();
  for (const row of rows) {
    const key = row.sessionId ?? UNKNOWN;
    acc.add(key, row);
    const seen = meta.get(key);
    meta.set(key, {
      cwd: seen?.cwd ?? row.cwd,
      projectDir: seen?.projectDir ?? row.projectDir,
      first: minOf(seen?.first ?? null, row.firstMs),
      last: maxOf(seen?.last ?? null, row.lastMs),
    });
  }
  const sessionRows: SessionRow[] = acc.keys().map((key) => {
    const m = meta.get(key);
    return {
      ...acc.row(key),
      sessionId: key,
      projectPath: m?.cwd ?? null,
      projectDir: m?.projectDir ?? null,
      firstActivityMs: m?.first ?? null,
      lastActivityMs: m?.last ?? null,
    };
  });
  sessionRows.sort(
    (a, b) => (a.lastActivityMs ?? 0) - (b.lastActivityMs ?? 0) || (a.key < b.key ? -1 : 1),
  );
  if (order === 'desc') sessionRows.reverse();
  return {
    kind: 'session',
    rows: sessionRows,
    totals: acc.totals,
    unpricedModels: acc.unpricedModels(),
    timeZone,
  };
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Projects (by the real working directory) or models, most expensive first; `asc` flips it. */
export function buildGroupReport(
  kind: 'project' | 'model',
  rows: readonly KeyedRow[],
  timeZone: string,
  order: SortOrder,
): Report {
  const acc = new RowAccumulator();
  for (const row of rows) acc.add(row.groupKey ?? UNKNOWN, row);
  const reportRows = acc.keys().map((key) => acc.row(key));
  reportRows.sort(
    (a, b) => (b.totalCost ?? -1) - (a.totalCost ?? -1) || b.totalTokens - a.totalTokens,
  );
  if (order === 'asc') reportRows.reverse();
  return {
    kind,
    rows: reportRows,
    totals: acc.totals,
    unpricedModels: acc.unpricedModels(),
    timeZone,
  };
}
