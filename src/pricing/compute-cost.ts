import type { TokenUsage } from '../core/usage.js';
import { BUNDLED_CATALOG } from './bundled-catalog.js';
import type { ModelPrices, PriceEntry } from './price-table.js';

/** Which price set a response was charged at. */
export type CostTier = 'standard' | 'long-context' | 'fast';

export interface CostResult {
  readonly costUsd: number;
  readonly tier: CostTier;
  /**
   * A fast-mode response of a model without fast prices: charged at its normal prices, so the
   * cost is probably understated. Reports should say so.
   */
  readonly fastUnpriced: boolean;
}

const TOKENS_PER_MTOK = 1_000_000;

/** input + cache read + cache write tokens: what decides the long-context tier. */
export function promptTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
}

/**
 * The list-price cost of one API response (pricing rules §2):
 * - the whole request switches to the long-context tier when its prompt exceeds the threshold;
 * - `speed == "fast"` uses the model's fast set, or its tier prices flagged `fastUnpriced`;
 * - cache writes without a 1-hour share are all 5-minute writes;
 * - `inference_geo == "us"` multiplies the token cost (not web search) by 1.1;
 * - each web search request costs the model's per-request price; web fetches are free.
 */
export function computeCost(usage: TokenUsage, entry: PriceEntry): CostResult {
  const longContext =
    entry.longContext !== undefined && promptTokens(usage) > entry.longContext.abovePromptTokens
      ? entry.longContext
      : undefined;
  const wantsFast = usage.speed === 'fast';
  const fast = wantsFast ? entry.fast : undefined;
  const prices = fast ?? longContext ?? entry.standard;
  const tier: CostTier =
    fast !== undefined ? 'fast' : longContext !== undefined ? 'long-context' : 'standard';

  const geoMultiplier = usage.inferenceGeo === 'us' ? BUNDLED_CATALOG.usInferenceGeoMultiplier : 1;
  const tokensCostUsd = tokenCostUsd(usage, prices) * geoMultiplier;
  const webSearchCostUsd = usage.webSearchRequests * entry.webSearchUsdPerRequest;
  return {
    costUsd: tokensCostUsd + webSearchCostUsd,
    tier,
    fastUnpriced: wantsFast && entry.fast === undefined,
  };
}

/** Token cost at one price set: the sum of tokens × USD/MTok, divided once by a million. */
function tokenCostUsd(usage: TokenUsage, prices: ModelPrices): number {
  const write1hTokens = clamp(usage.cacheCreation1hTokens, 0, usage.cacheCreationTokens);
  const write5mTokens = usage.cacheCreationTokens - write1hTokens;
  const usdTimesMillion =
    usage.inputTokens * prices.inputUsdPerMTok +
    usage.outputTokens * prices.outputUsdPerMTok +
    usage.cacheReadTokens * prices.cacheReadUsdPerMTok +
    write5mTokens * prices.cacheWrite5mUsdPerMTok +
    write1hTokens * prices.cacheWrite1hUsdPerMTok;
  return usdTimesMillion / TOKENS_PER_MTOK;
}

/** `value` within [low, high]; a non-finite value counts as `low`. */
function clamp(value: number, low: number, high: number): number {
  if (!Number.isFinite(value)) return low;
  return Math.min(Math.max(value, low), high);
}
