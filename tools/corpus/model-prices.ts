/**
 * Prices of the models this corpus uses, copied from the facts in
 * shared/pricing/claude-code-2.1.332-catalog.json and the long-context tiers in
 * shared/pricing/RULES.md §3. Unit: thousandths of a USD per million tokens ("milli"), so
 * every rate is an integer (3.75 USD/M = 3750) and costs can be summed exactly.
 */

export interface PriceSet {
  readonly inputMilliUsdPerMTok: number;
  readonly outputMilliUsdPerMTok: number;
  readonly cacheWrite5mMilliUsdPerMTok: number;
  readonly cacheWrite1hMilliUsdPerMTok: number;
  readonly cacheReadMilliUsdPerMTok: number;
}

export interface ModelPrices {
  readonly base: PriceSet;
  /** The whole request switches to `prices` when its prompt exceeds `abovePromptTokens`. */
  readonly longContext: { readonly abovePromptTokens: number; readonly prices: PriceSet } | null;
  /** `usage.speed == "fast"` price set (catalogue `fast_mode_overrides`). */
  readonly fast: PriceSet | null;
}

/** USD per web search request (0.01), in the same milli unit. */
export const WEB_SEARCH_MILLI_USD_PER_REQUEST = 10;

function rates(
  input: number,
  output: number,
  write5m: number,
  write1h: number,
  read: number,
): PriceSet {
  const milli = (usd: number): number => Math.round(usd * 1000);
  return {
    inputMilliUsdPerMTok: milli(input),
    outputMilliUsdPerMTok: milli(output),
    cacheWrite5mMilliUsdPerMTok: milli(write5m),
    cacheWrite1hMilliUsdPerMTok: milli(write1h),
    cacheReadMilliUsdPerMTok: milli(read),
  };
}

const SONNET_LONG_CONTEXT = { abovePromptTokens: 200_000, prices: rates(6, 22.5, 7.5, 12, 0.6) };

const SONNET_4: ModelPrices = {
  base: rates(3, 15, 3.75, 6, 0.3),
  longContext: SONNET_LONG_CONTEXT,
  fast: null,
};
const OPUS_4: ModelPrices = { base: rates(15, 75, 18.75, 30, 1.5), longContext: null, fast: null };
const HAIKU_3_5: ModelPrices = { base: rates(0.8, 4, 1, 1.6, 0.08), longContext: null, fast: null };
const HAIKU_4_5: ModelPrices = { base: rates(1, 5, 1.25, 2, 0.1), longContext: null, fast: null };
const OPUS_4_6: ModelPrices = {
  base: rates(5, 25, 6.25, 10, 0.5),
  longContext: null,
  fast: rates(30, 150, 37.5, 60, 3),
};
const OPUS_5_5: ModelPrices = {
  base: rates(4, 20, 5, 8, 0.2),
  longContext: null,
  fast: rates(8, 40, 10, 16, 0.4),
};
const SONNET_5_5: ModelPrices = { base: rates(2, 10, 2.5, 4, 0.1), longContext: null, fast: null };
const HAIKU_5_5: ModelPrices = {
  base: rates(0.1, 0.5, 0.125, 0.2, 0.01),
  longContext: { abovePromptTokens: 100_000, prices: rates(0.5, 2.5, 0.625, 1, 0.05) },
  fast: null,
};

/** Every id form that names each model: catalogue id, first-party id, Bedrock and Vertex ids. */
const PRICES_BY_MODEL_ID: ReadonlyMap<string, ModelPrices> = new Map([
  ...aliases(
    SONNET_4,
    'claude-sonnet-4-0',
    'claude-sonnet-4-20250514',
    'us.anthropic.claude-sonnet-4-20250514-v1:0',
    'claude-sonnet-4@20250514',
  ),
  ...aliases(
    SONNET_4,
    'claude-sonnet-4-5',
    'claude-sonnet-4-5-20250929',
    'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'claude-sonnet-4-5@20250929',
  ),
  ...aliases(
    OPUS_4,
    'claude-opus-4-0',
    'claude-opus-4-20250514',
    'us.anthropic.claude-opus-4-20250514-v1:0',
    'claude-opus-4@20250514',
  ),
  ...aliases(
    HAIKU_3_5,
    'claude-3-5-haiku',
    'claude-3-5-haiku-20241022',
    'us.anthropic.claude-3-5-haiku-20241022-v1:0',
    'claude-3-5-haiku@20241022',
  ),
  ...aliases(
    HAIKU_4_5,
    'claude-haiku-4-5',
    'claude-haiku-4-5-20251001',
    'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    'claude-haiku-4-5@20251001',
  ),
  ...aliases(
    OPUS_4_6,
    'claude-opus-4-6',
    'claude-opus-4-6',
    'us.anthropic.claude-opus-4-6-v1',
    'claude-opus-4-6',
  ),
  ...aliases(
    OPUS_5_5,
    'claude-opus-5-5',
    'claude-opus-5-5',
    'us.anthropic.claude-opus-5-5',
    'claude-opus-5-5',
  ),
  ...aliases(
    SONNET_5_5,
    'claude-sonnet-5-5',
    'claude-sonnet-5-5',
    'us.anthropic.claude-sonnet-5-5',
    'claude-sonnet-5-5',
  ),
  ...aliases(
    HAIKU_5_5,
    'claude-haiku-5-5',
    'claude-haiku-5-5',
    'us.anthropic.claude-haiku-5-5',
    'claude-haiku-5-5',
  ),
]);

function aliases(
  prices: ModelPrices,
  catalogueId: string,
  firstPartyId: string,
  bedrockId: string,
  vertexId: string,
): [string, ModelPrices][] {
  const ids = [catalogueId, firstPartyId, bedrockId, vertexId];
  // RULES.md §1: Bedrock ids also appear without the region prefix (`anthropic.claude-…`).
  if (bedrockId.startsWith('us.')) ids.push(bedrockId.slice(3));
  return ids.map((id) => [id, prices]);
}

/** Exact lookup by served model id; `undefined` means unpriced (no fuzzy matching). */
export function pricesForModel(modelId: string): ModelPrices | undefined {
  return PRICES_BY_MODEL_ID.get(modelId);
}
