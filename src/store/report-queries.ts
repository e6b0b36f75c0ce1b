/**
 * Read-only aggregate queries behind every report. Sums come from `usage_rollup` (quarter-hour ×
 * model × session × project, kept in step with `response`); the report layer maps quarter-hours
 * (every zone offset in use is a multiple of 15 minutes) to local days, weeks, months and hours.
 * Only blocks read individual responses, in time order, from the `ts_ms` index.
 */
import type { Ledger } from './database.js';
import { QUARTER_MS, UNDATED_QUARTER } from './usage-rollup.js';

export type CostMode = 'auto' | 'calculate' | 'display';

export const QUARTER_HOUR_MS = QUARTER_MS;
const HOUR_MS = 3_600_000;

export interface ReportFilter {
  readonly fromMs: number | null;
  /** Exclusive upper bound. */
  readonly toMsExclusive: number | null;
  /** Case-insensitive substring of the project path (`cwd`). */
  readonly project?: string;
  /** Case-insensitive substring of the model id. */
  readonly model?: string;
  readonly costMode: CostMode;
}

/** Sums over a group of responses of one model. */
export interface AggregateRow {
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationTokens: number;
  readonly cacheCreation1hTokens: number;
  readonly cacheReadTokens: number;
  readonly webSearchRequests: number;
  readonly responses: number;
  /** Sum of known costs in the cost mode; null when none is known. */
  readonly costUsd: number | null;
  readonly unpricedTokens: number;
  readonly unpricedResponses: number;
}

export interface QuarterRow extends AggregateRow {
  readonly quarter: number;
}

export interface KeyedRow extends AggregateRow {
  readonly groupKey: string | null;
}

export interface SessionAggregateRow extends AggregateRow {
  readonly sessionId: string | null;
  readonly cwd: string | null;
  readonly projectDir: string | null;
  readonly firstMs: number | null;
  readonly lastMs: number | null;
}

export interface EntryRow {
  readonly tsMs: number;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationTokens: number;
  readonly cacheReadTokens: number;
  readonly costUsd: number | null;
}

/** The cost of one response in a mode (pricing RULES §4). */
export function costExpression(mode: CostMode): string {
  switch (mode) {
    case 'auto':
      return 'coalesce(cost_usd_logged, cost_usd)';
    case 'calculate':
      return 'cost_usd';
    case 'display':
      return 'coalesce(cost_usd_logged, 0)';
  }
}

/** Sums over rollup rows in a cost mode; a cost is null when every response in it is unpriced. */
function sums(mode: CostMode): string {
  const [cost, unpricedResponses, unpricedTokens] =
    mode === 'calculate'
      ? ['cost_calc', 'calc_unpriced_responses', 'calc_unpriced_tokens']
      : mode === 'auto'
        ? ['cost_auto', 'auto_unpriced_responses', 'auto_unpriced_tokens']
        : ['cost_display', '0', '0'];
  return `model,
    sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
    sum(cache_creation_tokens) AS cacheCreationTokens,
    sum(cache_creation_1h_tokens) AS cacheCreation1hTokens,
    sum(cache_read_tokens) AS cacheReadTokens, sum(web_search_requests) AS webSearchRequests,
    sum(responses) AS responses,
    CASE WHEN sum(responses) > sum(${unpricedResponses}) THEN sum(${cost}) END AS costUsd,
    sum(${unpricedTokens}) AS unpricedTokens, sum(${unpricedResponses}) AS unpricedResponses`;
}

interface Where {
  readonly sql: string;
  readonly params: (string | number)[];
}

/**
 * Filters on the rollup. Range bounds are local-day starts, which fall on quarter-hours in every
 * zone in use; undated responses (quarter -1) only appear in untimed reports.
 */
function where(filter: ReportFilter, timed: boolean): Where {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (timed || filter.fromMs !== null || filter.toMsExclusive !== null)
    clauses.push(`quarter > ${UNDATED_QUARTER}`);
  if (filter.fromMs !== null) {
    clauses.push('quarter >= ?');
    params.push(Math.floor(filter.fromMs / QUARTER_HOUR_MS));
  }
  if (filter.toMsExclusive !== null) {
    clauses.push('quarter < ?');
    params.push(Math.ceil(filter.toMsExclusive / QUARTER_HOUR_MS));
  }
  if (filter.project !== undefined) {
    clauses.push('instr(lower(cwd), ?) > 0');
    params.push(filter.project.toLowerCase());
  }
  if (filter.model !== undefined) {
    clauses.push('instr(lower(model), ?) > 0');
    params.push(filter.model.toLowerCase());
  }
  return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

export function periodSql(filter: ReportFilter, byProject: boolean): Where {
  const w = where(filter, true);
  return {
    sql: `SELECT quarter${byProject ? ", nullif(cwd, '') AS groupKey" : ''}, ${sums(filter.costMode)}
      FROM usage_rollup ${w.sql}
      GROUP BY quarter, model${byProject ? ', cwd' : ''} HAVING sum(responses) > 0`,
    params: w.params,
  };
}

/** Quarter-hour × model sums (× project path with `byProject`), for period reports. */
export function queryQuarters(
  db: Ledger,
  filter: ReportFilter,
  byProject = false,
): (QuarterRow & { groupKey?: string | null })[] {
  const { sql, params } = periodSql(filter, byProject);
  return db.prepare(sql).all(...params) as (QuarterRow & { groupKey?: string | null })[];
}

/**
 * How a grouping reads the rollup: with a time range, a slice of its primary key (quarter first;
 * the `+` keeps SQLite from walking a grouping index instead); without one, the grouping
 * column's index streams the groups in order.
 */
function rollupGrouping(
  filter: ReportFilter,
  groupIndex: string,
  columns: readonly string[],
): { from: string; groupBy: string } {
  const timed = filter.fromMs !== null || filter.toMsExclusive !== null;
  return timed
    ? { from: 'usage_rollup', groupBy: columns.map((c) => `+${c}`).join(', ') }
    : { from: `usage_rollup INDEXED BY ${groupIndex}`, groupBy: columns.join(', ') };
}

export function sessionSql(filter: ReportFilter): Where {
  const w = where(filter, false);
  const read = rollupGrouping(filter, 'usage_rollup_session', ['session_id', 'model']);
  return {
    sql: `SELECT nullif(session_id, '') AS sessionId, nullif(min(cwd), '') AS cwd,
        nullif(min(project_dir), '') AS projectDir, ${sums(filter.costMode)}
      FROM ${read.from} ${w.sql}
      GROUP BY ${read.groupBy} HAVING sum(responses) > 0`,
    params: w.params,
  };
}

/**
 * Exact first and last activity per session, from the ledger's index: of the responses the
 * report counts (within the range, and matching --project/--model).
 */
export function sessionSpanSql(filter: ReportFilter): Where {
  const w = responseWhere(filter);
  return {
    sql: `SELECT session_id AS sessionId, min(ts_ms) AS firstMs, max(ts_ms) AS lastMs
      FROM response INDEXED BY response_session_ts ${w.sql} GROUP BY session_id`,
    params: w.params,
  };
}

/**
 * First and last activity of one session within the range: two seeks on the `(session_id, ts_ms)`
 * index (SQLite answers a lone min() or max() from the index edge), instead of a scan of every
 * response, which dominated the session report on large ledgers.
 */
export function sessionEdgeSql(filter: ReportFilter, edge: 'min' | 'max'): Where {
  const clauses = ['session_id IS ?', 'ts_ms IS NOT NULL'];
  const params: number[] = [];
  if (filter.fromMs !== null) {
    clauses.push('ts_ms >= ?');
    params.push(filter.fromMs);
  }
  if (filter.toMsExclusive !== null) {
    clauses.push('ts_ms < ?');
    params.push(filter.toMsExclusive);
  }
  return {
    sql: `SELECT ${edge}(ts_ms) FROM response INDEXED BY response_session_ts WHERE ${clauses.join(' AND ')}`,
    params,
  };
}

function sessionEdgesFn(
  db: Ledger,
  filter: ReportFilter,
): (sessionId: string | null) => { firstMs: number | null; lastMs: number | null } {
  const min = sessionEdgeSql(filter, 'min');
  const max = sessionEdgeSql(filter, 'max');
  const first = db.prepare(min.sql).pluck();
  const last = db.prepare(max.sql).pluck();
  return (sessionId) => ({
    firstMs: first.get(sessionId, ...min.params) as number | null,
    lastMs: last.get(sessionId, ...max.params) as number | null,
  });
}

export function querySessions(db: Ledger, filter: ReportFilter): SessionAggregateRow[] {
  const { sql, params } = sessionSql(filter);
  const rows = db.prepare(sql).all(...params) as Omit<SessionAggregateRow, 'firstMs' | 'lastMs'>[];
  if (filter.project !== undefined || filter.model !== undefined) {
    // Filtered: the activity of the responses the row counts, from one filtered pass.
    const span = sessionSpanSql(filter);
    const spans = new Map(
      (
        db.prepare(span.sql).all(...span.params) as {
          sessionId: string | null;
          firstMs: number;
          lastMs: number;
        }[]
      ).map((row) => [row.sessionId, row]),
    );
    return rows.map((row) => {
      const s = spans.get(row.sessionId);
      return { ...row, firstMs: s?.firstMs ?? null, lastMs: s?.lastMs ?? null };
    });
  }
  const edges = sessionEdgesFn(db, filter);
  const bySession = new Map<string | null, { firstMs: number | null; lastMs: number | null }>();
  return rows.map((row) => {
    let span = bySession.get(row.sessionId);
    if (span === undefined) {
      span = edges(row.sessionId);
      bySession.set(row.sessionId, span);
    }
    return { ...row, ...span };
  });
}

export function groupSql(filter: ReportFilter, column: 'cwd' | 'model'): Where {
  const w = where(filter, false);
  const index = column === 'cwd' ? 'usage_rollup_cwd' : 'usage_rollup_model';
  const read = rollupGrouping(filter, index, column === 'cwd' ? ['cwd', 'model'] : ['model']);
  return {
    sql: `SELECT ${column === 'cwd' ? "nullif(cwd, '')" : 'model'} AS groupKey, ${sums(filter.costMode)}
      FROM ${read.from} ${w.sql}
      GROUP BY ${read.groupBy} HAVING sum(responses) > 0`,
    params: w.params,
  };
}

/** Sums per project path (`cwd`) × model, or per model. */
export function queryGroups(db: Ledger, filter: ReportFilter, column: 'cwd' | 'model'): KeyedRow[] {
  const { sql, params } = groupSql(filter, column);
  return db.prepare(sql).all(...params) as KeyedRow[];
}

/** Filters on `response` itself (blocks need exact entry times). */
function responseWhere(filter: ReportFilter): Where {
  const clauses = ['ts_ms IS NOT NULL'];
  const params: (string | number)[] = [];
  if (filter.fromMs !== null) {
    clauses.push('ts_ms >= ?');
    params.push(filter.fromMs);
  }
  if (filter.toMsExclusive !== null) {
    clauses.push('ts_ms < ?');
    params.push(filter.toMsExclusive);
  }
  if (filter.project !== undefined) {
    clauses.push("instr(lower(coalesce(cwd, '')), ?) > 0");
    params.push(filter.project.toLowerCase());
  }
  if (filter.model !== undefined) {
    clauses.push('instr(lower(model), ?) > 0');
    params.push(filter.model.toLowerCase());
  }
  return { sql: `WHERE ${clauses.join(' AND ')}`, params };
}

/**
 * Responses summed per model and right-closed hour `((k−1) h, k h]`, in time order, for 5-hour
 * blocks: such a group never straddles a block edge (see core/blocks.ts), so blocks stay exact
 * while SQLite sums a few thousand groups instead of JavaScript reading every response.
 */
export function blockGroupsSql(filter: ReportFilter): Where {
  const w = responseWhere(filter);
  const cost = costExpression(filter.costMode);
  return {
    sql: `SELECT min(ts_ms) AS tsMs, max(ts_ms) AS lastMs, count(*) AS count, model,
        sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
        sum(cache_creation_tokens) AS cacheCreationTokens, sum(cache_read_tokens) AS cacheReadTokens,
        sum(${cost}) AS costUsd, sum(${cost} IS NOT NULL) AS pricedCount
      FROM response INDEXED BY response_ts ${w.sql}
      GROUP BY (ts_ms + ${HOUR_MS - 1}) / ${HOUR_MS}, model ORDER BY tsMs`,
    params: w.params,
  };
}

export interface BlockGroupRow extends EntryRow {
  readonly lastMs: number;
  readonly count: number;
  readonly pricedCount: number;
}

export function queryBlockGroups(db: Ledger, filter: ReportFilter): BlockGroupRow[] {
  const { sql, params } = blockGroupsSql(filter);
  return db.prepare(sql).all(...params) as BlockGroupRow[];
}
