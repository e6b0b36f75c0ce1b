/**
 * `usage_rollup`: sums of responses per quarter-hour × model × session × project, kept in step
 * with `response` inside the same transaction. Reports read these few rows instead of every
 * response. A response that changes (a later final copy, an earlier original) moves its old
 * contribution out and its new one in, so the rollup always equals a GROUP BY over `response`.
 */
import type { Ledger } from './database.js';

export const QUARTER_MS = 900_000;
/** Quarter of responses without a timestamp: left out of timed reports, kept in the others. */
export const UNDATED_QUARTER = -1;

export interface RollupSource {
  readonly tsMs: number | null;
  readonly model: string;
  readonly sessionId: string | null;
  readonly cwd: string | null;
  readonly projectDir: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationTokens: number;
  readonly cacheCreation1hTokens: number;
  readonly cacheReadTokens: number;
  readonly webSearchRequests: number;
  /** Calculated cost (null: unpriced). */
  readonly costUsd: number | null;
  /** Claude Code's own `costUSD` (≤ 1.0.9). */
  readonly costUsdLogged: number | null;
}

/** Summed columns in the order of `SUM_COLUMNS`. */
type Sums = number[];

export const SUM_COLUMNS = [
  'responses',
  'input_tokens',
  'output_tokens',
  'cache_creation_tokens',
  'cache_creation_1h_tokens',
  'cache_read_tokens',
  'web_search_requests',
  'cost_calc',
  'calc_unpriced_responses',
  'calc_unpriced_tokens',
  'cost_auto',
  'auto_unpriced_responses',
  'auto_unpriced_tokens',
  'cost_display',
] as const;

function sumsOf(source: RollupSource): Sums {
  const tokens =
    source.inputTokens + source.outputTokens + source.cacheCreationTokens + source.cacheReadTokens;
  const auto = source.costUsdLogged ?? source.costUsd;
  return [
    1,
    source.inputTokens,
    source.outputTokens,
    source.cacheCreationTokens,
    source.cacheCreation1hTokens,
    source.cacheReadTokens,
    source.webSearchRequests,
    source.costUsd ?? 0,
    source.costUsd === null ? 1 : 0,
    source.costUsd === null ? tokens : 0,
    auto ?? 0,
    auto === null ? 1 : 0,
    auto === null ? tokens : 0,
    source.costUsdLogged ?? 0,
  ];
}

export interface KeyParts {
  readonly quarter: number;
  readonly model: string;
  readonly sessionId: string;
  readonly cwd: string;
  readonly projectDir: string;
}

/** One key's folded contributions in the current transaction. */
export interface PendingContribution {
  readonly key: KeyParts;
  /** Net sums in the order of `SUM_COLUMNS`. */
  readonly sums: readonly number[];
  /** Contributions moved out (responses updated or re-priced). */
  readonly removed: number;
}

interface Entry extends PendingContribution {
  readonly sums: Sums;
  removed: number;
}

/** Contributions of one transaction, folded per rollup key before they are written. */
export class RollupDelta {
  private readonly deltas = new Map<string, Entry>();

  add(source: RollupSource, sign: 1 | -1): void {
    const key: KeyParts = {
      quarter: source.tsMs === null ? UNDATED_QUARTER : Math.floor(source.tsMs / QUARTER_MS),
      model: source.model,
      sessionId: source.sessionId ?? '',
      cwd: source.cwd ?? '',
      projectDir: source.projectDir ?? '',
    };
    const id = `${key.quarter}\u0000${key.model}\u0000${key.sessionId}\u0000${key.cwd}\u0000${key.projectDir}`;
    let entry = this.deltas.get(id);
    if (entry === undefined) {
      entry = { key, sums: new Array<number>(SUM_COLUMNS.length).fill(0), removed: 0 };
      this.deltas.set(id, entry);
    }
    if (sign === -1) entry.removed++;
    const sums = sumsOf(source);
    for (let i = 0; i < sums.length; i++)
      entry.sums[i] = (entry.sums[i] ?? 0) + sign * (sums[i] ?? 0);
  }

  get size(): number {
    return this.deltas.size;
  }

  /** The contributions folded so far (read them before `flush`, which clears them). */
  pending(): Iterable<PendingContribution> {
    return this.deltas.values();
  }

  /** Writes the folded deltas (call inside the transaction that changed `response`). */
  flush(db: Ledger): void {
    if (this.deltas.size === 0) return;
    const upsert = db.prepare(
      `INSERT INTO usage_rollup (quarter, model, session_id, cwd, project_dir, ${SUM_COLUMNS.join(', ')})
       VALUES (?, ?, ?, ?, ?, ${SUM_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (quarter, model, session_id, cwd, project_dir) DO UPDATE SET
       ${SUM_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
    );
    for (const { key, sums } of this.deltas.values()) {
      if (sums.every((value) => value === 0)) continue;
      upsert.run(key.quarter, key.model, key.sessionId, key.cwd, key.projectDir, ...sums);
    }
    this.deltas.clear();
  }
}

/** The rollup rebuilt from `response` (migration backfill, and the consistency check in tests). */
export const ROLLUP_FROM_RESPONSES = `
  SELECT CASE WHEN ts_ms IS NULL THEN ${UNDATED_QUARTER} ELSE ts_ms / ${QUARTER_MS} END AS quarter,
    model, coalesce(session_id, '') AS session_id, coalesce(cwd, '') AS cwd,
    coalesce(project_dir, '') AS project_dir,
    count(*) AS responses, sum(input_tokens), sum(output_tokens), sum(cache_creation_tokens),
    sum(cache_creation_1h_tokens), sum(cache_read_tokens), sum(web_search_requests),
    total(cost_usd), sum(cost_usd IS NULL),
    sum(CASE WHEN cost_usd IS NULL THEN input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens ELSE 0 END),
    total(coalesce(cost_usd_logged, cost_usd)), sum(coalesce(cost_usd_logged, cost_usd) IS NULL),
    sum(CASE WHEN coalesce(cost_usd_logged, cost_usd) IS NULL THEN input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens ELSE 0 END),
    total(coalesce(cost_usd_logged, 0))
  FROM response GROUP BY 1, 2, 3, 4, 5`;
