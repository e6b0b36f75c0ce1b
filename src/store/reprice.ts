/**
 * Re-pricing history (pricing RULES §5): an explicit command, never a side effect. Every
 * response's stored facts are priced again with the table in force; changed costs are written
 * with the new table version, and their rollup contributions and a `repriced` trail row per
 * session move in the same transaction.
 */
import type { Ledger } from './database.js';
import { rollupSource, rowToDraft, type PriceFn, type ResponseRow } from './responses.js';
import { RollupDelta } from './usage-rollup.js';
import { UsageChangeRecorder } from './usage-changes.js';

export interface RepriceResult {
  readonly examined: number;
  readonly changed: number;
  /** Responses that had no price and now have one. */
  readonly newlyPriced: number;
  /** Responses whose model has no price in the new table (and still counted). */
  readonly unpriced: number;
}

const BATCH = 5_000;

export function repriceResponses(
  db: Ledger,
  price: PriceFn,
  priceVersion: string,
  dryRun = false,
  nowMs: () => number = Date.now,
): RepriceResult {
  // The trail moves with the costs, so its sums keep equal to the responses' (one row per session).
  const trail = new UsageChangeRecorder(db);
  const page = db.prepare(`SELECT * FROM response WHERE id > ? ORDER BY id LIMIT ${BATCH}`);
  const update = db.prepare(
    'UPDATE response SET cost_usd = ?, cost_tier = ?, price_version = ? WHERE id = ?',
  );
  let examined = 0;
  let changed = 0;
  let newlyPriced = 0;
  let unpriced = 0;
  let lastId = 0;
  for (;;) {
    const rows = page.all(lastId) as ResponseRow[];
    if (rows.length === 0) break;
    db.transaction(() => {
      const rollup = new RollupDelta();
      for (const row of rows) {
        examined++;
        const draft = rowToDraft(row);
        const priced = price(draft.final.model, draft.final.usage);
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
        rollup.add(rollupSource(draft, row.cost_usd), -1);
        rollup.add(rollupSource(draft, costUsd), 1);
      }
      trail.record(rollup, nowMs(), { source: 'tracker', kind: 'repriced' });
      rollup.flush(db);
    }).immediate();
    lastId = rows[rows.length - 1]?.id ?? lastId;
  }
  return { examined, changed, newlyPriced, unpriced };
}
