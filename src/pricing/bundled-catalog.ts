/**
 * The price facts baked into Claude Code 2.1.332 (its model catalogue), as a dated snapshot.
 *
 * Every price is USD per million tokens, except `webSearch`, which is USD per request. These are
 * facts only: how they become a lookup table is `price-table.ts`, how a usage is priced is
 * `compute-cost.ts`. The catalogue's unknown-model fallback prices and its `opus`/`sonnet`
 * aliases are deliberately left out: an unknown id is unpriced, and transcripts carry the
 * concrete served id.
 */

export interface CatalogPrices {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite5m: number;
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
}

export interface CatalogLongPrompt extends CatalogPrices {
  /** The tier applies when input + cache read + cache write tokens exceed this. */
  readonly abovePromptTokens: number;
}

export interface CatalogTier extends CatalogPrices {
  readonly webSearch: number;
  readonly longPrompt?: CatalogLongPrompt;
}

export interface CatalogModel {
  /** The catalogue's canonical id. */
  readonly id: string;
  readonly displayName: string;
  /** The id the Anthropic API serves (`message.model`). */
  readonly firstPartyId: string;
  /** Bedrock id as the catalogue lists it (US cross-region form), or null when not offered. */
  readonly bedrock: string | null;
  /** Vertex AI id, or null when not offered. */
  readonly vertex: string | null;
  readonly tier: string;
}

// prettier-ignore
const PRICING_TIERS = {
  tier_2_10: { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2, webSearch: 0.01 },
  tier_2_10_cache_read_0_10: { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.1, webSearch: 0.01 },
  tier_3_15: { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3, webSearch: 0.01 },
  tier_5_25: { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, webSearch: 0.01 },
  tier_15_75: { input: 15, output: 75, cacheWrite5m: 18.75, cacheWrite1h: 30, cacheRead: 1.5, webSearch: 0.01 },
  tier_10_50: { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1, webSearch: 0.01 },
  tier_10_50_cache_read_0_25: { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 0.25, webSearch: 0.01 },
  tier_4_20_cache_read_0_20: { input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.2, webSearch: 0.01 },
  tier_8_40_cache_read_0_20: { input: 8, output: 40, cacheWrite5m: 10, cacheWrite1h: 16, cacheRead: 0.2, webSearch: 0.01 },
  haiku_35: { input: 0.8, output: 4, cacheWrite5m: 1, cacheWrite1h: 1.6, cacheRead: 0.08, webSearch: 0.01 },
  haiku_45: { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1, webSearch: 0.01 },
  haiku_55: { input: 0.1, output: 0.5, cacheWrite5m: 0.125, cacheWrite1h: 0.2, cacheRead: 0.01, webSearch: 0.01, longPrompt: { abovePromptTokens: 100000, input: 0.5, output: 2.5, cacheWrite5m: 0.625, cacheWrite1h: 1, cacheRead: 0.05 } },
} as const satisfies Record<string, CatalogTier>;

// prettier-ignore
const MODELS = [
  { id: 'claude-3-5-haiku', displayName: 'Haiku 3.5', firstPartyId: 'claude-3-5-haiku-20241022', bedrock: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', vertex: 'claude-3-5-haiku@20241022', tier: 'haiku_35' },
  { id: 'claude-haiku-4-5', displayName: 'Haiku 4.5', firstPartyId: 'claude-haiku-4-5-20251001', bedrock: 'us.anthropic.claude-haiku-4-5-20251001-v1:0', vertex: 'claude-haiku-4-5@20251001', tier: 'haiku_45' },
  { id: 'claude-haiku-5-5', displayName: 'Haiku 5.5', firstPartyId: 'claude-haiku-5-5', bedrock: 'us.anthropic.claude-haiku-5-5', vertex: 'claude-haiku-5-5', tier: 'haiku_55' },
  { id: 'claude-3-5-sonnet', displayName: 'Sonnet 3.5', firstPartyId: 'claude-3-5-sonnet-20241022', bedrock: 'us.anthropic.claude-3-5-sonnet-20241022-v2:0', vertex: 'claude-3-5-sonnet-v2@20241022', tier: 'tier_3_15' },
  { id: 'claude-3-7-sonnet', displayName: 'Sonnet 3.7', firstPartyId: 'claude-3-7-sonnet-20250219', bedrock: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', vertex: 'claude-3-7-sonnet@20250219', tier: 'tier_3_15' },
  { id: 'claude-sonnet-4-0', displayName: 'Sonnet 4', firstPartyId: 'claude-sonnet-4-20250514', bedrock: 'us.anthropic.claude-sonnet-4-20250514-v1:0', vertex: 'claude-sonnet-4@20250514', tier: 'tier_3_15' },
  { id: 'claude-sonnet-4-5', displayName: 'Sonnet 4.5', firstPartyId: 'claude-sonnet-4-5-20250929', bedrock: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', vertex: 'claude-sonnet-4-5@20250929', tier: 'tier_3_15' },
  { id: 'claude-sonnet-4-6', displayName: 'Sonnet 4.6', firstPartyId: 'claude-sonnet-4-6', bedrock: 'us.anthropic.claude-sonnet-4-6', vertex: 'claude-sonnet-4-6', tier: 'tier_3_15' },
  { id: 'claude-sonnet-5', displayName: 'Sonnet 5', firstPartyId: 'claude-sonnet-5', bedrock: 'us.anthropic.claude-sonnet-5', vertex: 'claude-sonnet-5', tier: 'tier_2_10' },
  { id: 'claude-sonnet-5-5', displayName: 'Sonnet 5.5', firstPartyId: 'claude-sonnet-5-5', bedrock: 'us.anthropic.claude-sonnet-5-5', vertex: 'claude-sonnet-5-5', tier: 'tier_2_10_cache_read_0_10' },
  { id: 'claude-opus-4-0', displayName: 'Opus 4', firstPartyId: 'claude-opus-4-20250514', bedrock: 'us.anthropic.claude-opus-4-20250514-v1:0', vertex: 'claude-opus-4@20250514', tier: 'tier_15_75' },
  { id: 'claude-opus-4-1', displayName: 'Opus 4.1', firstPartyId: 'claude-opus-4-1-20250805', bedrock: 'us.anthropic.claude-opus-4-1-20250805-v1:0', vertex: 'claude-opus-4-1@20250805', tier: 'tier_15_75' },
  { id: 'claude-opus-4-5', displayName: 'Opus 4.5', firstPartyId: 'claude-opus-4-5-20251101', bedrock: 'us.anthropic.claude-opus-4-5-20251101-v1:0', vertex: 'claude-opus-4-5@20251101', tier: 'tier_5_25' },
  { id: 'claude-opus-4-6', displayName: 'Opus 4.6', firstPartyId: 'claude-opus-4-6', bedrock: 'us.anthropic.claude-opus-4-6-v1', vertex: 'claude-opus-4-6', tier: 'tier_5_25' },
  { id: 'claude-opus-4-7', displayName: 'Opus 4.7', firstPartyId: 'claude-opus-4-7', bedrock: 'us.anthropic.claude-opus-4-7', vertex: 'claude-opus-4-7', tier: 'tier_5_25' },
  { id: 'claude-opus-4-8', displayName: 'Opus 4.8', firstPartyId: 'claude-opus-4-8', bedrock: 'us.anthropic.claude-opus-4-8', vertex: 'claude-opus-4-8', tier: 'tier_5_25' },
  { id: 'claude-opus-5', displayName: 'Opus 5', firstPartyId: 'claude-opus-5', bedrock: 'us.anthropic.claude-opus-5', vertex: 'claude-opus-5', tier: 'tier_5_25' },
  { id: 'claude-opus-5-5', displayName: 'Opus 5.5', firstPartyId: 'claude-opus-5-5', bedrock: 'us.anthropic.claude-opus-5-5', vertex: 'claude-opus-5-5', tier: 'tier_4_20_cache_read_0_20' },
  { id: 'claude-fable-5', displayName: 'Fable 5', firstPartyId: 'claude-fable-5', bedrock: 'us.anthropic.claude-fable-5', vertex: 'claude-fable-5', tier: 'tier_10_50' },
  { id: 'claude-fable-5-1', displayName: 'Fable 5.1', firstPartyId: 'claude-fable-5-1', bedrock: 'us.anthropic.claude-fable-5-1', vertex: 'claude-fable-5-1', tier: 'tier_10_50_cache_read_0_25' },
  { id: 'claude-fable-5-2', displayName: 'Fable 5.2', firstPartyId: 'claude-fable-5-2', bedrock: 'us.anthropic.claude-fable-5-2', vertex: 'claude-fable-5-2', tier: 'tier_8_40_cache_read_0_20' },
  { id: 'claude-mythos-5', displayName: 'Mythos 5', firstPartyId: 'claude-mythos-5', bedrock: null, vertex: null, tier: 'tier_10_50' },
  { id: 'claude-mythos-5-1', displayName: 'Mythos 5.1', firstPartyId: 'claude-mythos-5-1', bedrock: null, vertex: null, tier: 'tier_10_50_cache_read_0_25' },
  { id: 'claude-mythos-5-2', displayName: 'Mythos 5.2', firstPartyId: 'claude-mythos-5-2', bedrock: null, vertex: null, tier: 'tier_8_40_cache_read_0_20' },
] as const satisfies readonly CatalogModel[];

// prettier-ignore
const FAST_MODE_OVERRIDES = {
  'claude-opus-4-6': { input: 30, output: 150, cacheWrite5m: 37.5, cacheWrite1h: 60, cacheRead: 3 },
  'claude-opus-4-7': { input: 30, output: 150, cacheWrite5m: 37.5, cacheWrite1h: 60, cacheRead: 3 },
  'claude-opus-4-8': { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1 },
  'claude-opus-5': { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1 },
  'claude-opus-5-5': { input: 8, output: 40, cacheWrite5m: 10, cacheWrite1h: 16, cacheRead: 0.4 },
  'claude-fable-5-2': { input: 16, output: 80, cacheWrite5m: 20, cacheWrite1h: 32, cacheRead: 0.4 },
  'claude-mythos-5-2': { input: 16, output: 80, cacheWrite5m: 20, cacheWrite1h: 32, cacheRead: 0.4 },
} as const satisfies Record<string, CatalogPrices>;

/**
 * Long-context tier for Sonnet 4 and 4.5 (prompt > 200k tokens): Claude Code 2.0.76's cost table
 * and Anthropic's pricing documentation (1-hour writes at 2x input). The 2.1.332 catalogue has no
 * such tier for them.
 */
const SONNET_4_LONG_CONTEXT: CatalogLongPrompt = {
  abovePromptTokens: 200_000,
  input: 6,
  output: 22.5,
  cacheWrite5m: 7.5,
  cacheWrite1h: 12,
  cacheRead: 0.6,
};

export interface BundledCatalog {
  /** The Claude Code release the facts were read from. */
  readonly claudeCodeVersion: string;
  /** Human-readable origin of the bundled prices. */
  readonly source: string;
  /** The day this snapshot was taken (YYYY-MM-DD). */
  readonly snapshotDate: string;
  /** Token cost multiplier for `usage.inference_geo == "us"`. */
  readonly usInferenceGeoMultiplier: number;
  readonly tiers: Readonly<Record<string, CatalogTier>>;
  readonly models: readonly CatalogModel[];
  /** Fast-mode (`usage.speed == "fast"`) price sets, by catalogue id. */
  readonly fastModeOverrides: Readonly<Record<string, CatalogPrices>>;
  /** Long-context tiers not in the catalogue itself, by catalogue id. */
  readonly longContextSupplement: Readonly<Record<string, CatalogLongPrompt>>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value != null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const BUNDLED_CATALOG: BundledCatalog = deepFreeze({
  claudeCodeVersion: '2.1.332',
  source: 'Claude Code 2.1.332',
  snapshotDate: '2026-11-24',
  usInferenceGeoMultiplier: 1.1,
  tiers: PRICING_TIERS,
  models: MODELS,
  fastModeOverrides: FAST_MODE_OVERRIDES,
  longContextSupplement: {
    'claude-sonnet-4-0': SONNET_4_LONG_CONTEXT,
    'claude-sonnet-4-5': SONNET_4_LONG_CONTEXT,
  },
});
