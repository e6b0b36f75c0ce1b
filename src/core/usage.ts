/**
 * One API response's usage, as the ledger keeps it: facts read from a transcript line's
 * `message.usage`, with missing fields already defaulted to 0 / null.
 */
export interface TokenUsage {
  /** `usage.input_tokens`: uncached input only. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** `usage.cache_creation_input_tokens`: all cache writes (5-minute + 1-hour). */
  readonly cacheCreationTokens: number;
  /** The 1-hour share of `cacheCreationTokens`, clamped to [0, cacheCreationTokens]. */
  readonly cacheCreation1hTokens: number;
  readonly cacheReadTokens: number;
  /** `usage.server_tool_use.web_search_requests` (priced per request). */
  readonly webSearchRequests: number;
  /** `usage.server_tool_use.web_fetch_requests` (free). */
  readonly webFetchRequests: number;
  /** `usage.speed`: "fast" selects a model's fast price set. */
  readonly speed: string | null;
  /** `usage.inference_geo`: "us" costs 1.1x. */
  readonly inferenceGeo: string | null;
  readonly serviceTier: string | null;
}

export const ZERO_USAGE: TokenUsage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationTokens: 0,
  cacheCreation1hTokens: 0,
  cacheReadTokens: 0,
  webSearchRequests: 0,
  webFetchRequests: 0,
  speed: null,
  inferenceGeo: null,
  serviceTier: null,
});

/** input + output + cache writes + cache reads: the "size" that decides which copy is final. */
export function totalTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheCreationTokens + usage.cacheReadTokens;
}
