/**
 * One transcript record (a JSON object on a line) → a usage copy, or nothing. Only top-level
 * `type:"assistant"` records with an object `message.usage` carry usage (claude-code-data §3.2):
 * `progress` lines embed assistant messages one level deeper and never match here, tool results
 * are `user` records, and `<synthetic>` error lines have no cost. A top-level `cost-state`
 * record is only named here; cost-state-record.ts reads it (it is rare, so usage lines pay nothing).
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

/** `cost-state`: Claude Code's own session totals (read by `readCostState`, never usage). */
export type RecordOutcome = 'usage' | 'synthetic' | 'cost-state' | 'other';

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

const TYPE = 0;
const MESSAGE = 1;
const REQUEST_ID = 2;
const TIMESTAMP = 3;
const SESSION_ID = 4;
const CWD = 5;
const IS_SIDECHAIN = 6;
const AGENT_ID = 7;
const VERSION = 8;
const COST_USD = 9;
const FORKED_FROM = 10;

/** Key indexes grouped by key length: most keys of a record are rejected by one lookup. */
const KEYS_BY_LENGTH: (number[] | undefined)[] = [];
TOP_KEYS.forEach((key, index) => (KEYS_BY_LENGTH[key.length] ??= []).push(index));

/**
 * Value spans of the keys above for the record scanned last: [start, end) pairs, -1 when absent.
 * One shared array instead of objects per line: the scan runs on every line of every file.
 */
const spans = new Int32Array(TOP_KEYS.length * 2);

function visitTopKey(buf: Buffer, ks: number, ke: number, vs: number, ve: number): void {
  const candidates = KEYS_BY_LENGTH[ke - ks - 2];
  if (candidates === undefined) return;
  for (const index of candidates) {
    if (keyEquals(buf, ks, ke, TOP_KEYS[index] as string)) {
      spans[index * 2] = vs;
      spans[index * 2 + 1] = ve;
      return;
    }
  }
}

/**
 * Validates the object at `start` and notes where the keys we need are. Returns the index after
 * the record, or -1 when the bytes are not one valid object. `toUsageCopy` reads what this found,
 * so call it before scanning the next record.
 */
export function scanRecord(buf: Buffer, start: number, end: number): number {
  spans.fill(-1);
  return scanObject(buf, start, end, visitTopKey);
}

function has(index: number): boolean {
  return (spans[index * 2] as number) >= 0;
}

function first(index: number): number {
  return spans[index * 2] as number;
}

function textOf(buf: Buffer, index: number): string | null {
  return has(index) ? readString(buf, first(index), spans[index * 2 + 1] as number) : null;
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

function scanMessage(buf: Buffer, start: number, end: number): MessageFields {
  const fields: MessageFields = { id: null, model: null, usage: null };
  scanObject(buf, start, end, (b, ks, ke, vs, ve) => {
    if (keyEquals(b, ks, ke, 'usage')) fields.usage = [vs, ve];
    else if (keyEquals(b, ks, ke, 'id')) fields.id = readString(b, vs, ve);
    else if (keyEquals(b, ks, ke, 'model')) fields.model = readString(b, vs, ve);
  });
  return fields;
}

function isAssistant(buf: Buffer): boolean {
  return (
    has(TYPE) && spans[TYPE * 2 + 1]! - first(TYPE) === 11 && textOf(buf, TYPE) === 'assistant'
  );
}

function isCostState(buf: Buffer): boolean {
  return (
    has(TYPE) && spans[TYPE * 2 + 1]! - first(TYPE) === 12 && textOf(buf, TYPE) === 'cost-state'
  );
}

/** A stable content key for the rare usage line without `message.id`. */
function weakKeyOf(sessionId: string | null, timestamp: string | null, rawUsage: string): string {
  return `weak:${sessionId ?? ''}|${timestamp ?? ''}|${rawUsage}`;
}

/** Turns the record just scanned into a usage copy, or says why it carries none. */
export function toUsageCopy(buf: Buffer, fileOffset: number): UsageCopy | RecordOutcome {
  if (!isAssistant(buf)) return isCostState(buf) ? 'cost-state' : 'other';
  if (!has(MESSAGE) || buf[first(MESSAGE)] !== 0x7b) return 'other';
  const message = scanMessage(buf, first(MESSAGE), spans[MESSAGE * 2 + 1] as number);
  if (message.usage === null || buf[message.usage[0]] !== 0x7b) return 'other';
  if (message.model === '<synthetic>') return 'synthetic';
  const rawUsage = buf.toString('utf8', message.usage[0], message.usage[1]);
  const usage = toTokenUsage(JSON.parse(rawUsage) as Record<string, unknown>);
  const sessionId = textOf(buf, SESSION_ID);
  const timestamp = textOf(buf, TIMESTAMP);
  const parsedMs = timestamp === null ? NaN : Date.parse(timestamp);
  return {
    byteOffset: fileOffset,
    messageId: message.id ?? weakKeyOf(sessionId, timestamp, rawUsage),
    requestId: textOf(buf, REQUEST_ID) ?? '',
    weakKey: message.id === null,
    model: message.model ?? 'unknown',
    sessionId,
    cwd: textOf(buf, CWD),
    timestampMs: Number.isFinite(parsedMs) ? parsedMs : null,
    isSidechain:
      has(IS_SIDECHAIN) &&
      readBoolean(buf, first(IS_SIDECHAIN), spans[IS_SIDECHAIN * 2 + 1] as number) === true,
    agentId: textOf(buf, AGENT_ID),
    forked: has(FORKED_FROM) && buf[first(FORKED_FROM)] === 0x7b,
    version: textOf(buf, VERSION),
    costUsdLogged: has(COST_USD)
      ? readNumber(buf, first(COST_USD), spans[COST_USD * 2 + 1] as number)
      : null,
    usage,
  };
}
