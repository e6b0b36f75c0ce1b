import { isJsonObject } from './json.js';

/** The token facts of one usage object, missing fields read as 0 / null. */
export interface NormalizedUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationTokens: number;
  /** `cache_creation.ephemeral_1h_input_tokens`, clamped to [0, cacheCreationTokens]. */
  readonly cacheCreation1hTokens: number;
  readonly cacheReadTokens: number;
  readonly webSearchRequests: number;
  readonly speed: string | null;
  readonly inferenceGeo: string | null;
}

/** One counted usage line: a copy of an API response as some transcript line carries it. */
export interface UsageCopy {
  readonly messageId: string;
  /** `requestId`, or "" when the line has none. */
  readonly requestId: string;
  readonly isSidechain: boolean;
  /** The line carries `forkedFrom` (a /branch or --fork-session copy). */
  readonly forked: boolean;
  readonly timestampMs: number;
  readonly sessionId: string;
  readonly cwd: string;
  readonly model: string;
  readonly usage: NormalizedUsage;
  /** The line's own `costUSD` (Claude Code ≤1.0.9), else null. */
  readonly costUsd: number | null;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function totalTokensOf(usage: NormalizedUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheCreationTokens + usage.cacheReadTokens;
}

/**
 * The oracle's definition of a usage line: a top-level `type: "assistant"` record whose
 * `message.usage` is an object and whose `message.model` is not `<synthetic>`. Anything else
 * (progress, user tool results, cost-state, api-request, …) returns null.
 */
export function readUsageCopy(record: unknown): UsageCopy | null {
  if (!isJsonObject(record) || record.type !== 'assistant') return null;
  const message = record.message;
  if (!isJsonObject(message)) return null;
  const usage = message.usage;
  if (!isJsonObject(usage) || message.model === '<synthetic>') return null;
  const cacheCreationTokens = count(usage.cache_creation_input_tokens);
  const breakdown = isJsonObject(usage.cache_creation) ? usage.cache_creation : {};
  const oneHour = count(breakdown.ephemeral_1h_input_tokens);
  const serverTools = isJsonObject(usage.server_tool_use) ? usage.server_tool_use : {};
  const timestampMs = Date.parse(text(record.timestamp));
  return {
    messageId: text(message.id),
    requestId: text(record.requestId),
    isSidechain: record.isSidechain === true,
    forked: isJsonObject(record.forkedFrom),
    timestampMs: Number.isNaN(timestampMs) ? 0 : timestampMs,
    sessionId: text(record.sessionId),
    cwd: text(record.cwd),
    model: text(message.model),
    usage: {
      inputTokens: count(usage.input_tokens),
      outputTokens: count(usage.output_tokens),
      cacheCreationTokens,
      cacheCreation1hTokens: Math.min(Math.max(oneHour, 0), cacheCreationTokens),
      cacheReadTokens: count(usage.cache_read_input_tokens),
      webSearchRequests: count(serverTools.web_search_requests),
      speed: optionalText(usage.speed),
      inferenceGeo: optionalText(usage.inference_geo),
    },
    costUsd: typeof record.costUSD === 'number' ? record.costUSD : null,
  };
}
