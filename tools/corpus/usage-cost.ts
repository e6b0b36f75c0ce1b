import { pricesForModel, WEB_SEARCH_MILLI_USD_PER_REQUEST } from './model-prices.js';
import type { NormalizedUsage } from './usage-copy.js';

/**
 * Cost of one usage object per shared/pricing/RULES.md §2, as an integer number of
 * 1e-10 USD ("cost units"): token rates are integer milli-USD per million tokens, so
 * tokens × rate × 10 is exact, and the `inference_geo: "us"` ×1.1 becomes × 11.
 */
export const COST_UNITS_PER_USD = 10_000_000_000;

/** Cost units of one response, or `null` when the model is unpriced. */
export function costUnitsOf(modelId: string, usage: NormalizedUsage): number | null {
  const model = pricesForModel(modelId);
  if (model === undefined) return null;
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
  let prices = model.base;
  if (model.longContext !== null && promptTokens > model.longContext.abovePromptTokens) {
    prices = model.longContext.prices;
  }
  if (usage.speed === 'fast' && model.fast !== null) prices = model.fast;
  const write1h = usage.cacheCreation1hTokens;
  const write5m = usage.cacheCreationTokens - write1h;
  const tokenMilli =
    usage.inputTokens * prices.inputMilliUsdPerMTok +
    usage.outputTokens * prices.outputMilliUsdPerMTok +
    usage.cacheReadTokens * prices.cacheReadMilliUsdPerMTok +
    write5m * prices.cacheWrite5mMilliUsdPerMTok +
    write1h * prices.cacheWrite1hMilliUsdPerMTok;
  // milli-USD per million tokens → USD: × 1e-9; in 1e-10 USD units: × 10 (× 11 with geo 1.1).
  const geoFactor = usage.inferenceGeo === 'us' ? 11 : 10;
  const webSearchUnits = usage.webSearchRequests * WEB_SEARCH_MILLI_USD_PER_REQUEST * 10_000_000;
  return tokenMilli * geoFactor + webSearchUnits;
}

/** A line's own `costUSD` in cost units (it has at most a few decimals, so rounding is exact). */
export function usdToCostUnits(usd: number): number {
  return Math.round(usd * COST_UNITS_PER_USD);
}
