/**
 * A tiny writer of Claude Code transcript lines, field order as Claude Code 2.1.x writes them
 * (claude-code-data §3.3–3.6). Each builder returns one JSON line without its newline; `jsonl`
 * joins lines into file content.
 */

/** `message.usage` as the Messages API returns it. */
export interface ApiUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null;
    ephemeral_1h_input_tokens?: number | null;
  } | null;
  server_tool_use?: { web_search_requests?: number; web_fetch_requests?: number } | null;
  service_tier?: string | null;
  speed?: string | null;
  inference_geo?: string | null;
}

/** Token counts in the ledger's vocabulary, turned into an `ApiUsage`. */
export interface Tokens {
  readonly input?: number;
  readonly output?: number;
  readonly cacheWrite?: number;
  readonly cacheWrite1h?: number;
  readonly cacheRead?: number;
  readonly webSearch?: number;
}

export function apiUsage(tokens: Tokens): ApiUsage {
  const cacheWrite = tokens.cacheWrite ?? 0;
  const oneHour = tokens.cacheWrite1h ?? 0;
  return {
    input_tokens: tokens.input ?? 0,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: tokens.cacheRead ?? 0,
    cache_creation: {
      ephemeral_5m_input_tokens: cacheWrite - oneHour,
      ephemeral_1h_input_tokens: oneHour,
    },
    output_tokens: tokens.output ?? 0,
    server_tool_use: { web_search_requests: tokens.webSearch ?? 0, web_fetch_requests: 0 },
    service_tier: 'standard',
    inference_geo: 'global',
  };
}

export const DEFAULT_SESSION = '5b0e6c1a-3d7e-4c55-9b1e-6f2f0d1b9a77';
export const DEFAULT_CWD = '/home/alice/src/webapp';
export const DEFAULT_MODEL = 'claude-sonnet-4-5-20250929';

export interface AssistantLineOptions {
  readonly messageId?: string | null;
  /** `null` leaves the field out (synthetic lines, CC ≤ 1.0.0). */
  readonly requestId?: string | null;
  readonly model?: string | null;
  readonly usage?: ApiUsage | Tokens | null;
  readonly sessionId?: string;
  readonly cwd?: string;
  readonly timestamp?: string;
  readonly isSidechain?: boolean;
  /** `true` writes a `forkedFrom` pointing at another session. */
  readonly forkedFrom?: { sessionId: string; messageUuid: string } | boolean;
  readonly agentId?: string;
  readonly uuid?: string;
  readonly parentUuid?: string | null;
  readonly version?: string;
  readonly content?: unknown[];
  readonly stopReason?: string | null;
  readonly costUSD?: number;
  /** Extra top-level fields, written after the envelope. */
  readonly extra?: Record<string, unknown>;
}

let uuidCounter = 0;

/** A fresh uuid-shaped id (deterministic within a test file). */
export function nextUuid(): string {
  uuidCounter++;
  const hex = uuidCounter.toString(16).padStart(12, '0');
  return `0b7e0c1a-3d7e-4c55-9b1e-${hex}`;
}

function isTokens(usage: ApiUsage | Tokens): usage is Tokens {
  return (
    'input' in usage ||
    'output' in usage ||
    'cacheWrite' in usage ||
    'cacheRead' in usage ||
    'webSearch' in usage
  );
}

export function assistantRecord(options: AssistantLineOptions = {}): Record<string, unknown> {
  const usage = options.usage === undefined ? apiUsage({ input: 10, output: 20 }) : options.usage;
  const message: Record<string, unknown> = {
    model: options.model === undefined ? DEFAULT_MODEL : options.model,
    id: options.messageId === undefined ? 'msg_01Default' : options.messageId,
    type: 'message',
    role: 'assistant',
    content: options.content ?? [{ type: 'text', text: 'Done.' }],
    stop_reason: options.stopReason === undefined ? 'end_turn' : options.stopReason,
    stop_sequence: null,
  };
  if (usage !== null) message['usage'] = isTokens(usage) ? apiUsage(usage) : usage;
  const record: Record<string, unknown> = {
    parentUuid: options.parentUuid === undefined ? null : options.parentUuid,
    isSidechain: options.isSidechain ?? false,
  };
  if (options.agentId !== undefined) record['agentId'] = options.agentId;
  record['type'] = 'assistant';
  record['message'] = message;
  if (options.requestId !== null) record['requestId'] = options.requestId ?? 'req_01Default';
  record['uuid'] = options.uuid ?? nextUuid();
  record['timestamp'] = options.timestamp ?? '2026-11-30T14:02:09.118Z';
  if (options.costUSD !== undefined) record['costUSD'] = options.costUSD;
  record['userType'] = 'external';
  record['entrypoint'] = 'cli';
  record['cwd'] = options.cwd ?? DEFAULT_CWD;
  record['sessionId'] = options.sessionId ?? DEFAULT_SESSION;
  record['version'] = options.version ?? '2.1.332';
  record['gitBranch'] = 'main';
  if (options.forkedFrom !== undefined && options.forkedFrom !== false) {
    record['forkedFrom'] =
      options.forkedFrom === true
        ? { sessionId: 'aaaaaaaa-0000-4000-8000-000000000001', messageUuid: nextUuid() }
        : options.forkedFrom;
  }
  return { ...record, ...options.extra };
}

/** A top-level `type:"assistant"` line with `message.usage`: the only billable shape. */
export function assistantLine(options: AssistantLineOptions = {}): string {
  return JSON.stringify(assistantRecord(options));
}

export interface UserLineOptions {
  readonly sessionId?: string;
  readonly cwd?: string;
  readonly timestamp?: string;
  readonly content?: unknown;
  readonly toolUseResult?: unknown;
  readonly uuid?: string;
}

export function userLine(options: UserLineOptions = {}): string {
  const record: Record<string, unknown> = {
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd: options.cwd ?? DEFAULT_CWD,
    sessionId: options.sessionId ?? DEFAULT_SESSION,
    version: '2.1.332',
    gitBranch: 'main',
    type: 'user',
    message: { role: 'user', content: options.content ?? 'run the tests' },
    uuid: options.uuid ?? nextUuid(),
    timestamp: options.timestamp ?? '2026-11-30T14:02:01.004Z',
  };
  if (options.toolUseResult !== undefined) record['toolUseResult'] = options.toolUseResult;
  return JSON.stringify(record);
}

/** A subagent tool result: `toolUseResult` carries the subagent's totals, never billable. */
export function toolResultLine(usage: ApiUsage, options: UserLineOptions = {}): string {
  return userLine({
    ...options,
    content: [{ type: 'tool_result', tool_use_id: 'toolu_01Xa', content: 'agent finished' }],
    toolUseResult: { status: 'completed', totalTokens: 12345, totalDurationMs: 9000, usage },
  });
}

/** A `progress` line embedding a subagent's assistant message WITH usage (not billable here). */
export function progressLine(embedded: AssistantLineOptions = {}): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd: DEFAULT_CWD,
    sessionId: DEFAULT_SESSION,
    version: '2.1.332',
    type: 'progress',
    data: {
      type: 'agent_progress',
      message: assistantRecord({ isSidechain: true, ...embedded }),
      prompt: 'look around',
    },
    toolUseID: 'toolu_01Xa',
    parentToolUseID: 'toolu_01Xa',
    uuid: nextUuid(),
    timestamp: '2026-11-30T14:02:05.000Z',
  });
}

export function costStateLine(sessionId = DEFAULT_SESSION): string {
  return JSON.stringify({
    type: 'cost-state',
    sessionId,
    totalCostUSD: 4.18237,
    totalAPIDuration: 412233,
    startTime: 1764849611000,
    modelUsage: {
      'claude-opus-5-5': {
        inputTokens: 16011,
        outputTokens: 58110,
        cacheReadInputTokens: 6001200,
        cacheCreationInputTokens: 398004,
        costUSD: 4.1102,
      },
    },
    hasUnknownModelCost: false,
  });
}

/** A synthetic API-error line: model `<synthetic>`, zero usage, no requestId. */
export function syntheticLine(messageId = 'f0e1d2c3-0000-4000-8000-000000000000'): string {
  return assistantLine({
    messageId,
    requestId: null,
    model: '<synthetic>',
    stopReason: 'stop_sequence',
    content: [{ type: 'text', text: 'API Error: Rate limit reached' }],
    usage: {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      service_tier: null,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
    },
    extra: { error: 'rate_limit', isApiErrorMessage: true },
  });
}

/** An `api-request` replay record: request params, no usage. */
export function apiRequestLine(): string {
  return JSON.stringify({
    type: 'api-request',
    sessionId: DEFAULT_SESSION,
    uuid: nextUuid(),
    timestamp: '2026-11-30T14:02:08.000Z',
    request: {
      model: 'claude-opus-5-5',
      max_tokens: 32000,
      messages: [{ role: 'user', content: 'hi' }],
      usage: { input_tokens: 99, output_tokens: 99 },
    },
  });
}

export function summaryLine(): string {
  return JSON.stringify({ type: 'summary', summary: 'Fix flaky npm tests', leafUuid: nextUuid() });
}

/** Joins lines into file content: every line ends with `\n`. */
export function jsonl(...lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}
