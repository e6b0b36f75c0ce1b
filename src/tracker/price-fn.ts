/** Binds a price table to the ledger's `PriceFn`: unpriced models get null, never $0. */
import { computeCost } from '../pricing/compute-cost.js';
import { lookupPrice, type PriceTable } from '../pricing/price-table.js';
import type { PriceFn } from '../store/responses.js';

export function priceFnOf(table: PriceTable): PriceFn {
  return (model, usage) => {
    const entry = lookupPrice(table, model);
    if (entry === undefined) return null;
    const result = computeCost(usage, entry);
    return { costUsd: result.costUsd, tier: result.fastUnpriced ? 'fast-unpriced' : result.tier };
  };
}
