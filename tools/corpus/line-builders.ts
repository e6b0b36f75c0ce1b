import { versionAtLeast } from './eras.js';
import type { JsonObject, JsonValue } from './json.js';
import type { Thread } from './thread.js';
import { isoTime } from './thread.js';
import { COST_UNITS_PER_USD } from './usage-cost.js';

/**
 * A transcript line in the envelope Claude Code writes (`insertMessageChain`): chain and
 * session fields, then the type and body, then uuid and timestamp. Advances the uuid chain.
 */
export function stamp(thread: Thread, type: string, body: JsonObject, timeMs: number): JsonObject {
  const uuid = thread.ctx.ids.uuid();
  const line: JsonObject = {
    parentUuid: thread.lastUuid,
    isSidechain: thread.isSidechain,
    userType: 'external',
  };
  if (versionAtLeast(thread.version, '2.1.0')) line.entrypoint = 'cli';
  line.cwd = thread.cwd;
  line.sessionId = thread.sessionId;
  line.version = thread.version;
  line.gitBranch = thread.gitBranch;
  if (thread.agentId !== null) line.agentId = thread.agentId;
  line.type = type;
  Object.assign(line, body);
  line.uuid = uuid;
  line.timestamp = isoTime(timeMs);
  thread.lastUuid = uuid;
  thread.file.noteEventTime(timeMs);
  return line;
}

export function userPromptLine(thread: Thread, text: string, timeMs: number): JsonObject {
  const body: JsonObject = { message: { role: 'user', content: text } };
  if (versionAtLeast(thread.version, '2.1.150')) body.promptId = thread.ctx.ids.uuid();
  return stamp(thread, 'user', body, timeMs);
}

export function toolResultLine(
  thread: Thread,
  toolUseId: string,
  content: string | JsonValue[],
  timeMs: number,
  toolUseResult: JsonObject | null,
): JsonObject {
  const body: JsonObject = {
    message: { role: 'user', content: [{ tool_use_id: toolUseId, type: 'tool_result', content }] },
  };
  if (toolUseResult !== null) body.toolUseResult = toolUseResult;
  return stamp(thread, 'user', body, timeMs);
}

export function systemLine(
  thread: Thread,
  subtype: string,
  content: string,
  timeMs: number,
  extra: JsonObject = {},
): JsonObject {
  return stamp(thread, 'system', { subtype, content, level: 'info', ...extra }, timeMs);
}

export function summaryLine(summary: string, leafUuid: string): JsonObject {
  return { type: 'summary', summary, leafUuid };
}

export function snapshotLine(thread: Thread, timeMs: number): JsonObject {
  const messageId = thread.ctx.ids.uuid();
  thread.file.noteEventTime(timeMs);
  return {
    type: 'file-history-snapshot',
    messageId,
    snapshot: { messageId, trackedFileBackups: {}, timestamp: isoTime(timeMs) },
    isSnapshotUpdate: false,
  };
}

/** A subagent's assistant line embedded in a `progress` line: has usage, must not count. */
export function progressLine(
  thread: Thread,
  embedded: JsonObject,
  toolUseId: string,
  agentId: string,
  timeMs: number,
): JsonObject {
  return stamp(
    thread,
    'progress',
    {
      data: {
        type: 'agent_progress',
        message: embedded,
        normalizedMessages: [],
        prompt: '',
        agentId,
      },
      toolUseID: `agent_msg_${thread.ctx.ids.opaque(20)}`,
      parentToolUseID: toolUseId,
    },
    timeMs,
  );
}

/** An `api-request` replay record: request parameters, never usage. */
export function apiRequestLine(thread: Thread, model: string, timeMs: number): JsonObject {
  const { rng } = thread.ctx;
  return stamp(
    thread,
    'api-request',
    {
      request: {
        model,
        max_tokens: 32_000,
        thinking: { type: 'enabled', budget_tokens: rng.int(1, 31) * 1024 },
        messageCount: rng.int(1, 400),
        tools: rng.int(8, 40),
      },
    },
    timeMs,
  );
}

/** `<synthetic>` API error line (§3.5): zero usage, no requestId, not a response. */
export function syntheticErrorLine(thread: Thread, timeMs: number): JsonObject {
  return stamp(
    thread,
    'assistant',
    {
      message: {
        id: thread.ctx.ids.uuid(),
        container: null,
        model: '<synthetic>',
        role: 'assistant',
        stop_reason: 'stop_sequence',
        stop_sequence: '',
        type: 'message',
        usage: {
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
          service_tier: null,
          cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
        },
        content: [{ type: 'text', text: 'API Error: Rate limit reached' }],
      },
      error: 'rate_limit',
      isApiErrorMessage: true,
    },
    timeMs,
  );
}

/** `cost-state` (≥2.1.246): the session's cumulative cost ledger; never counted as usage. */
export function costStateLine(thread: Thread, startMs: number): JsonObject {
  const modelUsage: JsonObject = {};
  let totalUnits = 0;
  for (const [model, tally] of thread.tally) {
    totalUnits += tally.costUnits;
    modelUsage[model] = {
      inputTokens: tally.inputTokens,
      outputTokens: tally.outputTokens,
      thinkingTokens: Math.floor(tally.outputTokens / 3),
      cacheReadInputTokens: tally.cacheReadInputTokens,
      cacheCreationInputTokens: tally.cacheCreationInputTokens,
      cacheCreationEphemeral5mInputTokens: tally.cacheCreation5mTokens,
      cacheCreationEphemeral1hInputTokens: tally.cacheCreation1hTokens,
      webSearchRequests: tally.webSearchRequests,
      costUSD: tally.costUnits / COST_UNITS_PER_USD,
    };
  }
  const durationMs = Math.max(0, thread.clockMs - startMs);
  const { rng } = thread.ctx;
  return {
    type: 'cost-state',
    sessionId: thread.sessionId,
    totalCostUSD: totalUnits / COST_UNITS_PER_USD,
    totalAPIDuration: Math.floor(durationMs * 0.4),
    totalAPIDurationWithoutRetries: Math.floor(durationMs * 0.38),
    totalToolDuration: Math.floor(durationMs * 0.1),
    totalLinesAdded: rng.int(0, 900),
    totalLinesRemoved: rng.int(0, 300),
    totalDuration: durationMs,
    startTime: startMs,
    modelUsage,
    hasUnknownModelCost: false,
    modelCallCostUSD: 0,
  };
}

export function relocatedLine(thread: Thread, relocatedCwd: string): JsonObject {
  return { type: 'relocated', sessionId: thread.sessionId, relocatedCwd };
}

/** Record types a reader must ignore (titles, queue operations, last prompt). */
export function bookkeepingLine(thread: Thread, timeMs: number): JsonObject {
  const { rng, pool } = thread.ctx;
  const kind = rng.int(0, 2);
  if (kind === 0)
    return { type: 'ai-title', sessionId: thread.sessionId, aiTitle: pool.sentence(rng) };
  if (kind === 1)
    return { type: 'last-prompt', sessionId: thread.sessionId, lastPrompt: pool.sentence(rng) };
  return {
    type: 'queue-operation',
    operation: 'enqueue',
    timestamp: isoTime(timeMs),
    sessionId: thread.sessionId,
    content: pool.sentence(rng),
  };
}
