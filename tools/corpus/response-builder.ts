import { versionAtLeast } from './eras.js';
import type { JsonObject, JsonValue } from './json.js';
import { stamp } from './line-builders.js';
import type { ModelTally, Thread } from './thread.js';
import { COST_UNITS_PER_USD, costUnitsOf } from './usage-cost.js';
import type { UsageFacts } from './usage-factory.js';
import { normalizeFacts, usageJson } from './usage-factory.js';

/** One API response to write as assistant lines. */
export interface ResponseSpec {
  readonly blocks: readonly JsonObject[];
  /** The final usage. */
  readonly facts: UsageFacts;
  readonly stopReason: string;
  /** Served model; default the thread's main model. */
  readonly model?: string;
  /** Time of each line (one per block, or one for ≤1.0.9); default: now, seconds apart. */
  readonly blockTimesMs?: readonly number[];
  /** Mid-stream fallback: from block `fromBlock` on, lines carry another model and usage. */
  readonly fallback?: {
    readonly model: string;
    readonly facts: UsageFacts;
    readonly fromBlock: number;
  };
  /** Placeholder eras only: the final usage never reached the transcript (interrupted). */
  readonly finalMissing?: boolean;
}

function messageOf(
  thread: Thread,
  id: string,
  model: string,
  content: JsonValue[],
  stopReason: string | null,
  usage: JsonObject,
): JsonObject {
  if (!versionAtLeast(thread.version, '2.0.0')) {
    return {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage,
    };
  }
  const message: JsonObject = {
    model,
    id,
    type: 'message',
    role: 'assistant',
    content,
    container: null,
    stop_reason: stopReason,
    stop_sequence: null,
  };
  if (versionAtLeast(thread.version, '2.1.200')) message.stop_details = null;
  message.usage = usage;
  message.context_management = null;
  return message;
}

function addToTally(thread: Thread, model: string, facts: UsageFacts): void {
  let tally: ModelTally | undefined = thread.tally.get(model);
  if (tally === undefined) {
    tally = {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheCreation5mTokens: 0,
      cacheCreation1hTokens: 0,
      webSearchRequests: 0,
      costUnits: 0,
    };
    thread.tally.set(model, tally);
  }
  const usage = normalizeFacts(facts);
  tally.inputTokens += usage.inputTokens;
  tally.outputTokens += usage.outputTokens;
  tally.cacheReadInputTokens += usage.cacheReadTokens;
  tally.cacheCreationInputTokens += usage.cacheCreationTokens;
  tally.cacheCreation1hTokens += usage.cacheCreation1hTokens;
  tally.cacheCreation5mTokens += usage.cacheCreationTokens - usage.cacheCreation1hTokens;
  tally.webSearchRequests += usage.webSearchRequests;
  tally.costUnits += costUnitsOf(model, usage) ?? 0;
}

function defaultTimes(thread: Thread, count: number): number[] {
  const { rng } = thread.ctx;
  const times = [thread.clockMs + rng.int(1500, 9000)];
  for (let i = 1; i < count; i++) times.push((times[i - 1] ?? 0) + rng.int(300, 4000));
  return times;
}

/**
 * The assistant lines of one response in the thread's era (§3.3, §3.7): ≤1.0.9 one line with
 * `costUSD`; later one line per content block sharing `message.id` + `requestId`, where
 * 1.0.10–2.1.96 early blocks carry the placeholder output (1–5) and `stop_reason: null`, and
 * ≥2.1.97 every block carries the final usage. Lines are returned, not written.
 */
export function buildResponse(thread: Thread, spec: ResponseSpec): JsonObject[] {
  const { ctx, era } = thread;
  const { rng, ids } = ctx;
  const model = spec.model ?? thread.mainModel;
  const messageId = ids.messageId(thread.provider);
  const requestId = era.requestId && thread.provider !== 'bedrock' ? ids.requestId() : null;
  const lineCount = era.linePerResponse ? 1 : spec.blocks.length;
  const times = spec.blockTimesMs ?? defaultTimes(thread, lineCount);
  const lastTime = times[times.length - 1] ?? thread.clockMs;
  if (lastTime > thread.clockMs) thread.clockMs = lastTime;
  const final = spec.fallback ?? { model, facts: spec.facts };
  addToTally(thread, final.model, final.facts);
  const body = (message: JsonObject): JsonObject =>
    requestId === null ? { message } : { message, requestId };

  if (era.linePerResponse) {
    const usage = usageJson(thread, spec.facts, spec.facts.output);
    const calculated = (costUnitsOf(model, normalizeFacts(spec.facts)) ?? 0) / COST_UNITS_PER_USD;
    // Claude Code's own estimate: close to, but not exactly, the list-price calculation.
    const costUsd = Math.round(calculated * (0.95 + rng.float() * 0.1) * 1e6) / 1e6;
    const message = messageOf(thread, messageId, model, [...spec.blocks], spec.stopReason, usage);
    const line = stamp(
      thread,
      'assistant',
      { ...body(message), costUSD: costUsd, durationMs: rng.int(1500, 60_000) },
      times[0] ?? thread.clockMs,
    );
    return [line];
  }

  return spec.blocks.map((block, index) => {
    const fallback =
      spec.fallback !== undefined && index >= spec.fallback.fromBlock ? spec.fallback : null;
    const lineModel = fallback?.model ?? model;
    const facts = fallback?.facts ?? spec.facts;
    const isLast = index === spec.blocks.length - 1;
    const placeholder = era.placeholderUsage && (!isLast || spec.finalMissing === true);
    const output = placeholder ? rng.int(1, 5) : facts.output;
    const usage = usageJson(thread, facts, output);
    const message = messageOf(
      thread,
      messageId,
      lineModel,
      [block],
      placeholder ? null : spec.stopReason,
      usage,
    );
    return stamp(thread, 'assistant', body(message), times[index] ?? lastTime);
  });
}
