/**
 * Re-pricing history (pricing RULES §5): an explicit command, never a side effect. Every
 * response's stored facts are priced again with the table in force; changed costs are written
 * with the new table version, and their rollup contributions move in the same transaction.
 */
import type { Ledger } from './database.js';
import type { PriceFn } from './responses.js';
import { RollupDelta, type RollupSource } from './usage-rollup.js';

export interface RepriceResult {
  readonly examined: number;
  readonly changed: number;
  /** Responses that had no price and now have one. */
  readonly newlyPriced: number;
  /** Responses whose model has no price in the new table (and still counted). */
  readonly unpriced: number;
}

interface PricedRow {
  id: number;
  model: string;
  ts_ms: number | null;
  session_id: string | null;
  cwd: string | null;
  project_dir: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_creation_tokens: number;
  cache_creation_1h_tokens: number;
  cache_read_tokens: number;
  web_search_requests: number;
  web_fetch_requests: number;
  speed: string | null;
  inference_geo: string | null;
  service_tier: string | null;
  cost_usd: number | null;
  cost_usd_logged: number | null;
}

const BATCH = 5_000;

function source(row: PricedRow, costUsd: number | null): RollupSource {
  return {
    tsMs: row.ts_ms,
    model: row.model,
    sessionId: row.session_id,
    cwd: row.cwd,
    projectDir: row.project_dir,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cacheCreationTokens: row.cache_creation_tokens,
    cacheCreation1hTokens: row.cache_creation_1h_tokens,
    cacheReadTokens: row.cache_read_tokens,
    webSearchRequests: row.web_search_requests,
    costUsd,
    costUsdLogged: row.cost_usd_logged,
  };
}

export function repriceResponses(
  db: Ledger,
  price: PriceFn,
  priceVersion: string,
  dryRun = false,
): RepriceResult {
  const page = db.prepare(
    `SELECT id, model, ts_ms, session_id, cwd, project_dir, input_tokens, output_tokens,
       cache_creation_tokens, cache_creation_1h_tokens, cache_read_tokens, web_search_requests,
       web_fetch_requests, speed, inference_geo, service_tier, cost_usd, cost_usd_logged
     FROM response WHERE id > ? ORDER BY id LIMIT ${BATCH}`,
  );
  const update = db.prepare(
    'UPDATE response SET cost_usd = ?, cost_tier = ?, price_version = ? WHERE id = ?',
  );
  let examined = 0;
  let changed = 0;
  let newlyPriced = 0;
  let unpriced = 0;
  let lastId = 0;
  for (;;) {
    const rows = page.all(lastId) as PricedRow[];
    if (rows.length === 0) break;
    db.transaction(() => {
      const rollup = new RollupDelta();
      for (const row of rows) {
        examined++;
        const priced = price(row.model, {
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
          cacheCreationTokens: row.cache_creation_tokens,
          cacheCreation1hTokens: row.cache_creation_1h_tokens,
          cacheReadTokens: row.cache_read_tokens,
          webSearchRequests: row.web_search_requests,
          webFetchRequests: row.web_fetch_requests,
          speed: row.speed,
          inferenceGeo: row.inference_geo,
          serviceTier: row.service_tier,
        });
        const costUsd = priced?.costUsd ?? null;
        if (costUsd === null) unpriced++;
        const same =
          costUsd === row.cost_usd ||
          (costUsd !== null && row.cost_usd !== null && Math.abs(costUsd - row.cost_usd) < 1e-12);
        if (same) continue;
        changed++;
        if (row.cost_usd === null) newlyPriced++;
        if (dryRun) continue;
        update.run(costUsd, priced?.tier ?? null, priceVersion, row.id);
        rollup.add(source(row, row.cost_usd), -1);
        rollup.add(source(row, costUsd), 1);
      }
      rollup.flush(db);
    }).immediate();
    lastId = rows[rows.length - 1]?.id ?? lastId;
  }
  return { examined, changed, newlyPriced, unpriced };
}
