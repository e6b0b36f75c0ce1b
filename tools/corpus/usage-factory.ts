import { versionAtLeast } from './eras.js';
import type { JsonObject } from './json.js';
import { pricesForModel } from './model-prices.js';
import type { Thread } from './thread.js';
import type { NormalizedUsage } from './usage-copy.js';

/** The final usage of one API response, before it is written in an era's shape. */
export interface UsageFacts {
  readonly input: number;
  readonly output: number;
  readonly cacheCreation: number;
  /** 1-hour cache writes; null = no `cache_creation` breakdown on the line. */
  readonly cacheCreation1h: number | null;
  readonly cacheRead: number;
  readonly webSearch: number;
  readonly webFetch: number;
  readonly speed: string | null;
  readonly geo: string | null;
  readonly serviceTier: string | null;
}

const NO_USAGE: UsageFacts = {
  input: 0,
  output: 0,
  cacheCreation: 0,
  cacheCreation1h: null,
  cacheRead: 0,
  webSearch: 0,
  webFetch: 0,
  speed: null,
  geo: null,
  serviceTier: null,
};

export function makeFacts(facts: Partial<UsageFacts>): UsageFacts {
  return { ...NO_USAGE, ...facts };
}

export function factsTotal(facts: UsageFacts): number {
  return facts.input + facts.output + facts.cacheCreation + facts.cacheRead;
}

export function normalizeFacts(facts: UsageFacts): NormalizedUsage {
  return {
    inputTokens: facts.input,
    outputTokens: facts.output,
    cacheCreationTokens: facts.cacheCreation,
    cacheCreation1hTokens: Math.min(Math.max(facts.cacheCreation1h ?? 0, 0), facts.cacheCreation),
    cacheReadTokens: facts.cacheRead,
    webSearchRequests: facts.webSearch,
    speed: facts.speed,
    inferenceGeo: facts.geo,
  };
}

/**
 * Realistic usage for the next request of a conversation: the context so far is read from cache
 * (now and then it missed and is written again), the new material is written to cache. Grows
 * the thread's context.
 */
export function nextFacts(
  thread: Thread,
  model: string,
  newTokens: number,
  extra: { output?: number; webSearch?: number; webFetch?: number } = {},
): UsageFacts {
  const { rng } = thread.ctx;
  const hit = thread.contextTokens > 0 && !rng.chance(0.05);
  const cacheRead = hit ? thread.contextTokens : 0;
  const cacheCreation = hit ? newTokens : thread.contextTokens + newTokens;
  const input = thread.era.linePerResponse ? rng.int(4, 40) : rng.int(1, 12);
  const output = extra.output ?? Math.round(rng.logUniform(8, 2500));
  const breakdown = thread.era.cacheBreakdown && thread.provider !== 'bedrock';
  let oneHour: number | null = null;
  if (breakdown) {
    oneHour = thread.cache1h
      ? rng.chance(0.1)
        ? Math.floor(cacheCreation / 2)
        : cacheCreation
      : 0;
  }
  const fast = thread.fastMode && pricesForModel(model)?.fast != null;
  const speed = fast ? 'fast' : versionAtLeast(thread.version, '2.1.150') ? 'standard' : null;
  thread.contextTokens = cacheRead + cacheCreation + input + output;
  return {
    input,
    output,
    cacheCreation,
    cacheCreation1h: oneHour,
    cacheRead,
    webSearch: extra.webSearch ?? 0,
    webFetch: extra.webFetch ?? 0,
    speed,
    geo: thread.geo,
    serviceTier: versionAtLeast(thread.version, '1.0.60') ? 'standard' : null,
  };
}

/** `message.usage` as the thread's era writes it, with `output_tokens` = `outputTokens`. */
export function usageJson(thread: Thread, facts: UsageFacts, outputTokens: number): JsonObject {
  const usage: JsonObject = {
    input_tokens: facts.input,
    cache_creation_input_tokens: facts.cacheCreation,
    cache_read_input_tokens: facts.cacheRead,
  };
  if (facts.cacheCreation1h !== null) {
    usage.cache_creation = {
      ephemeral_5m_input_tokens: Math.max(0, facts.cacheCreation - facts.cacheCreation1h),
      ephemeral_1h_input_tokens: facts.cacheCreation1h,
    };
  }
  usage.output_tokens = outputTokens;
  if (thread.era.cacheBreakdown) {
    usage.server_tool_use = {
      web_search_requests: facts.webSearch,
      web_fetch_requests: facts.webFetch,
    };
  }
  if (facts.serviceTier !== null) usage.service_tier = facts.serviceTier;
  if (facts.geo !== null) usage.inference_geo = facts.geo;
  if (facts.speed !== null) usage.speed = facts.speed;
  return usage;
}
