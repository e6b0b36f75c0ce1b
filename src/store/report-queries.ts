/**
 * Read-only aggregate queries behind every report. Sums are computed by SQLite; time buckets are
 * quarter-hours (every zone offset in use is a multiple of 15 minutes), which the report layer
 * maps to local days, weeks, months and hours, so a report never reads individual responses.
 */
import type { Ledger } from './database.js';

export type CostMode = 'auto' | 'calculate' | 'display';

export const QUARTER_HOUR_MS = 900_000;

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

function sums(mode: CostMode): string {
  const cost = costExpression(mode);
  return `model,
    sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
    sum(cache_creation_tokens) AS cacheCreationTokens,
    sum(cache_creation_1h_tokens) AS cacheCreation1hTokens,
    sum(cache_read_tokens) AS cacheReadTokens, sum(web_search_requests) AS webSearchRequests,
    count(*) AS responses, sum(${cost}) AS costUsd,
    sum(CASE WHEN ${cost} IS NULL
      THEN input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens ELSE 0 END) AS unpricedTokens,
    sum(${cost} IS NULL) AS unpricedResponses`;
}

interface Where {
  readonly sql: string;
  readonly params: (string | number)[];
}

/** Responses without a timestamp cannot be placed in time and are left out of timed reports. */
function where(filter: ReportFilter, timed: boolean): Where {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (timed || filter.fromMs !== null || filter.toMsExclusive !== null)
    clauses.push('ts_ms IS NOT NULL');
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
  return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

export function periodSql(filter: ReportFilter, byProject: boolean): Where {
  const w = where(filter, true);
  const group = byProject ? ', cwd' : '';
  return {
    sql: `SELECT ts_ms / ${QUARTER_HOUR_MS} AS quarter${byProject ? ', cwd AS groupKey' : ''}, ${sums(filter.costMode)}
      FROM response INDEXED BY response_ts ${w.sql}
      GROUP BY quarter, model${group}`,
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

export function sessionSql(filter: ReportFilter): Where {
  const w = where(filter, false);
  return {
    sql: `SELECT session_id AS sessionId, min(cwd) AS cwd, min(project_dir) AS projectDir,
        min(ts_ms) AS firstMs, max(ts_ms) AS lastMs, ${sums(filter.costMode)}
      FROM response INDEXED BY response_session ${w.sql}
      GROUP BY session_id, model`,
    params: w.params,
  };
}

export function querySessions(db: Ledger, filter: ReportFilter): SessionAggregateRow[] {
  const { sql, params } = sessionSql(filter);
  return db.prepare(sql).all(...params) as SessionAggregateRow[];
}

export function groupSql(filter: ReportFilter, column: 'cwd' | 'model'): Where {
  const w = where(filter, false);
  const index = column === 'cwd' ? 'response_cwd' : 'response_model';
  return {
    sql: `SELECT ${column} AS groupKey, ${sums(filter.costMode)}
      FROM response INDEXED BY ${index} ${w.sql}
      GROUP BY ${column === 'cwd' ? 'cwd, model' : 'model'}`,
    params: w.params,
  };
}

/** Sums per project path (`cwd`) × model, or per model. */
export function queryGroups(db: Ledger, filter: ReportFilter, column: 'cwd' | 'model'): KeyedRow[] {
  const { sql, params } = groupSql(filter, column);
  return db.prepare(sql).all(...params) as KeyedRow[];
}

export function entriesSql(filter: ReportFilter): Where {
  const w = where(filter, true);
  return {
    sql: `SELECT ts_ms AS tsMs, model, input_tokens AS inputTokens, output_tokens AS outputTokens,
        cache_creation_tokens AS cacheCreationTokens, cache_read_tokens AS cacheReadTokens,
        ${costExpression(filter.costMode)} AS costUsd
      FROM response INDEXED BY response_ts ${w.sql} ORDER BY ts_ms`,
    params: w.params,
  };
}

/** Every response in time order, for 5-hour blocks (which need exact entry times). */
export function queryEntries(db: Ledger, filter: ReportFilter): EntryRow[] {
  const { sql, params } = entriesSql(filter);
  return db.prepare(sql).all(...params) as EntryRow[];
}
