/**
 * One transcript record (a JSON object on a line) → a usage copy, or nothing. Only top-level
 * `type:"assistant"` records with an object `message.usage` carry usage (claude-code-data §3.2):
 * `progress` lines embed assistant messages one level deeper and never match here, tool results
 * are `user` records, and `<synthetic>` error lines have no cost.
 */
import type { TokenUsage } from '../../core/usage.js';
import { keyEquals, readBoolean, readNumber, readString, scanObject } from '../json-scan.js';

export interface UsageCopy {
  /** File offset of the record's opening brace: unique per copy within a file generation. */
  readonly byteOffset: number;
  readonly messageId: string;
  readonly requestId: string;
  /** True when the line had no `message.id`: the key was derived from its content. */
  readonly weakKey: boolean;
  readonly model: string;
  readonly sessionId: string | null;
  readonly cwd: string | null;
  readonly timestampMs: number | null;
  readonly isSidechain: boolean;
  readonly agentId: string | null;
  readonly forked: boolean;
  readonly version: string | null;
  /** `costUSD` written by Claude Code ≤ 1.0.9. */
  readonly costUsdLogged: number | null;
  readonly usage: TokenUsage;
}

export type RecordOutcome = 'usage' | 'synthetic' | 'other';

interface Spans {
  type: [number, number] | null;
  message: [number, number] | null;
  requestId: [number, number] | null;
  timestamp: [number, number] | null;
  sessionId: [number, number] | null;
  cwd: [number, number] | null;
  isSidechain: [number, number] | null;
  agentId: [number, number] | null;
  version: [number, number] | null;
  costUSD: [number, number] | null;
  forkedFrom: [number, number] | null;
}

const TOP_KEYS = [
  'type',
  'message',
  'requestId',
  'timestamp',
  'sessionId',
  'cwd',
  'isSidechain',
  'agentId',
  'version',
  'costUSD',
  'forkedFrom',
] as const;

type TopKey = (typeof TOP_KEYS)[number];

/** Keys grouped by length: most keys of a record are rejected by one array lookup. */
const KEYS_BY_LENGTH: (TopKey[] | undefined)[] = [];
for (const key of TOP_KEYS) (KEYS_BY_LENGTH[key.length] ??= []).push(key);

function emptySpans(): Spans {
  return {
    type: null,
    message: null,
    requestId: null,
    timestamp: null,
    sessionId: null,
    cwd: null,
    isSidechain: null,
    agentId: null,
    version: null,
    costUSD: null,
    forkedFrom: null,
  };
}

export interface ScannedRecord {
  /** Index after the record's closing brace, or -1 when the bytes are not one valid object. */
  readonly end: number;
  readonly spans: Spans;
}

/** Validates the object at `start` and notes where the keys we need are. */
export function scanRecord(buf: Buffer, start: number, end: number): ScannedRecord {
  const spans = emptySpans();
  const recordEnd = scanObject(buf, start, end, (b, ks, ke, vs, ve) => {
    const candidates = KEYS_BY_LENGTH[ke - ks - 2];
    if (candidates === undefined) return;
    for (const key of candidates) {
      if (keyEquals(b, ks, ke, key)) {
        spans[key] = [vs, ve];
        return;
      }
    }
  });
  return { end: recordEnd, spans };
}

function str(buf: Buffer, span: [number, number] | null): string | null {
  return span === null ? null : readString(buf, span[0], span[1]);
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Reads `message.usage` (a small object) into defaulted facts. */
export function toTokenUsage(raw: Record<string, unknown>): TokenUsage {
  const cacheCreationTokens = num(raw['cache_creation_input_tokens']);
  const split = raw['cache_creation'];
  const oneHour =
    typeof split === 'object' && split !== null
      ? num((split as Record<string, unknown>)['ephemeral_1h_input_tokens'])
      : 0;
  const serverTools = raw['server_tool_use'];
  const tools =
    typeof serverTools === 'object' && serverTools !== null
      ? (serverTools as Record<string, unknown>)
      : {};
  return {
    inputTokens: num(raw['input_tokens']),
    outputTokens: num(raw['output_tokens']),
    cacheCreationTokens,
    cacheCreation1hTokens: Math.min(oneHour, cacheCreationTokens),
    cacheReadTokens: num(raw['cache_read_input_tokens']),
    webSearchRequests: num(tools['web_search_requests']),
    webFetchRequests: num(tools['web_fetch_requests']),
    speed: optionalText(raw['speed']),
    inferenceGeo: optionalText(raw['inference_geo']),
    serviceTier: optionalText(raw['service_tier']),
  };
}

interface MessageFields {
  id: string | null;
  model: string | null;
  usage: [number, number] | null;
}

function scanMessage(buf: Buffer, span: [number, number]): MessageFields {
  const fields: MessageFields = { id: null, model: null, usage: null };
  scanObject(buf, span[0], span[1], (b, ks, ke, vs, ve) => {
    if (keyEquals(b, ks, ke, 'usage')) fields.usage = [vs, ve];
    else if (keyEquals(b, ks, ke, 'id')) fields.id = readString(b, vs, ve);
    else if (keyEquals(b, ks, ke, 'model')) fields.model = readString(b, vs, ve);
  });
  return fields;
}

function isAssistant(buf: Buffer, span: [number, number] | null): boolean {
  return (
    span !== null && span[1] - span[0] === 11 && readString(buf, span[0], span[1]) === 'assistant'
  );
}

/** A stable content key for the rare usage line without `message.id`. */
function weakKeyOf(sessionId: string | null, timestamp: string | null, rawUsage: string): string {
  return `weak:${sessionId ?? ''}|${timestamp ?? ''}|${rawUsage}`;
}

/** Turns a valid record into a usage copy, or says why it carries none. */
export function toUsageCopy(
  buf: Buffer,
  start: number,
  fileOffset: number,
  scanned: ScannedRecord,
): UsageCopy | RecordOutcome {
  const { spans } = scanned;
  if (!isAssistant(buf, spans.type) || spans.message === null) return 'other';
  if (buf[spans.message[0]] !== 0x7b) return 'other';
  const message = scanMessage(buf, spans.message);
  if (message.usage === null || buf[message.usage[0]] !== 0x7b) return 'other';
  if (message.model === '<synthetic>') return 'synthetic';
  const rawUsage = buf.toString('utf8', message.usage[0], message.usage[1]);
  const usage = toTokenUsage(JSON.parse(rawUsage) as Record<string, unknown>);
  const sessionId = str(buf, spans.sessionId);
  const timestamp = str(buf, spans.timestamp);
  const parsedMs = timestamp === null ? NaN : Date.parse(timestamp);
  return {
    byteOffset: fileOffset,
    messageId: message.id ?? weakKeyOf(sessionId, timestamp, rawUsage),
    requestId: str(buf, spans.requestId) ?? '',
    weakKey: message.id === null,
    model: message.model ?? 'unknown',
    sessionId,
    cwd: str(buf, spans.cwd),
    timestampMs: Number.isFinite(parsedMs) ? parsedMs : null,
    isSidechain:
      spans.isSidechain !== null &&
      readBoolean(buf, spans.isSidechain[0], spans.isSidechain[1]) === true,
    agentId: str(buf, spans.agentId),
    forked: spans.forkedFrom !== null && buf[spans.forkedFrom[0]] === 0x7b,
    version: str(buf, spans.version),
    costUsdLogged:
      spans.costUSD === null ? null : readNumber(buf, spans.costUSD[0], spans.costUSD[1]),
    usage,
  };
}
