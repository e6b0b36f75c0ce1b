/** One price set, USD per million tokens. */
export interface ModelPrices {
  readonly inputUsdPerMTok: number;
  readonly outputUsdPerMTok: number;
  readonly cacheWrite5mUsdPerMTok: number;
  readonly cacheWrite1hUsdPerMTok: number;
  readonly cacheReadUsdPerMTok: number;
}

/** A tier the WHOLE request switches to when its prompt exceeds `abovePromptTokens`. */
export interface LongContextPrices extends ModelPrices {
  readonly abovePromptTokens: number;
}

/** A price set as the catalogue and the user file write it (USD per million tokens). */
export interface PlainPriceSet {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite5m: number;
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
}

export function toModelPrices(prices: PlainPriceSet): ModelPrices {
  return Object.freeze({
    inputUsdPerMTok: prices.input,
    outputUsdPerMTok: prices.output,
    cacheWrite5mUsdPerMTok: prices.cacheWrite5m,
    cacheWrite1hUsdPerMTok: prices.cacheWrite1h,
    cacheReadUsdPerMTok: prices.cacheRead,
  });
}

export function toLongContextPrices(
  prices: PlainPriceSet & { readonly abovePromptTokens: number },
): LongContextPrices {
  return Object.freeze({ abovePromptTokens: prices.abovePromptTokens, ...toModelPrices(prices) });
}
