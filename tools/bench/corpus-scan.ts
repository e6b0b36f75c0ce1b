import { readFileSync } from 'node:fs';
import { isJsonObject } from '../corpus/json.js';
import type { JsonObject } from '../corpus/json.js';
import { readUsageCopy } from '../corpus/usage-copy.js';
import type { UsageCopy } from '../corpus/usage-copy.js';
import { listCorpusFiles } from './corpus-cache.js';

/**
 * A plain `JSON.parse` pass over a corpus (a benchmark tool, not the product's scanner): every
 * usage-bearing record with what ctt's rules and ccusage's parser would each make of its line.
 */

/** How the record's physical line looks to a strict whole-line JSON parser. */
export type LineKind =
  | 'clean'
  /** NUL bytes, then an intact record. */
  | 'nul-prefixed'
  /** Recovered from a glued (`}{`) or spliced line: no whole-line parser reads it. */
  | 'recovered'
  /** The first line of a file that starts with a UTF-8 byte order mark. */
  | 'bom-first'
  /** A complete record on a last line without its newline (ctt waits for the newline). */
  | 'unterminated';

export interface ScannedCopy {
  /** The oracle's view of the record (`<synthetic>` records included, flagged). */
  readonly copy: UsageCopy;
  readonly synthetic: boolean;
  /** Position in reading order: files sorted by path, then line order. */
  readonly order: number;
  readonly kind: LineKind;
  /**
   * Embedded in a `progress` line's `data.message` (a subagent's message): not a usage line for
   * ctt; ccusage counts it, under the progress line's own `sessionId`.
   */
  readonly progress: boolean;
  readonly hasRequestId: boolean;
  /** `cache_creation.ephemeral_5m + ephemeral_1h` when the split is present, else null. */
  readonly cacheSplitTokens: number | null;
  readonly hasSpeed: boolean;
  /** Why ccusage's schema rejects the record (§3.3: null field, empty id, …), or null. */
  readonly schemaIssue: string | null;
  /** The timestamp has the shape ccusage accepts. */
  readonly timestampOk: boolean;
}

export interface CorpusScan {
  readonly files: number;
  readonly copies: readonly ScannedCopy[];
}

const NULL_CHECKED_TOP = [
  'cwd',
  'costUSD',
  'version',
  'sessionId',
  'requestId',
  'isApiErrorMessage',
];
const NULL_CHECKED_USAGE = ['speed', 'cache_read_input_tokens', 'cache_creation_input_tokens'];
const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/;

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Intact records inside a damaged line: repeatedly the shortest parsable suffix at a `{`. */
function recoverRecords(text: string): unknown[] {
  const records: unknown[] = [];
  let rest = text;
  while (rest.length > 0) {
    let found = -1;
    for (let i = rest.indexOf('{'); i >= 0; i = rest.indexOf('{', i + 1)) {
      const value = tryParse(rest.slice(i));
      if (value !== undefined) {
        records.unshift(value);
        found = i;
        break;
      }
    }
    if (found < 0) break;
    rest = rest.slice(0, found);
  }
  return records;
}

function schemaIssueOf(record: JsonObject, message: JsonObject, usage: JsonObject): string | null {
  for (const key of NULL_CHECKED_TOP) if (record[key] === null) return `null ${key}`;
  if (message.id === null || message.model === null) return 'null message id/model';
  for (const key of NULL_CHECKED_USAGE) if (usage[key] === null) return `null usage.${key}`;
  const idFields: readonly (readonly [string, unknown])[] = [
    ['sessionId', record.sessionId],
    ['requestId', record.requestId],
    ['message.id', message.id],
    ['model', message.model],
  ];
  for (const [name, value] of idFields) if (value === '') return `empty ${name}`;
  if (typeof usage.input_tokens !== 'number' || typeof usage.output_tokens !== 'number')
    return 'non-numeric tokens';
  if (typeof record.version === 'string' && !/^\d+\.\d+\.\d+/.test(record.version))
    return 'version shape';
  return null;
}

function toScanned(
  record: unknown,
  kind: LineKind,
  order: number,
  progressSessionId: string | null,
): ScannedCopy | null {
  if (!isJsonObject(record) || !isJsonObject(record.message) || !isJsonObject(record.message.usage))
    return null;
  const message = record.message;
  const usage = record.message.usage;
  const synthetic = message.model === '<synthetic>';
  const base = readUsageCopy(
    synthetic ? { ...record, message: { ...message, model: '' } } : record,
  );
  if (base === null) return null;
  const split = isJsonObject(usage.cache_creation) ? usage.cache_creation : null;
  const part = (key: string): number => (typeof split?.[key] === 'number' ? split[key] : 0);
  const copy = synthetic ? { ...base, model: '<synthetic>' } : base;
  return {
    copy: progressSessionId === null ? copy : { ...copy, sessionId: progressSessionId },
    synthetic,
    order,
    kind,
    progress: progressSessionId !== null,
    hasRequestId: typeof record.requestId === 'string',
    cacheSplitTokens:
      split === null ? null : part('ephemeral_5m_input_tokens') + part('ephemeral_1h_input_tokens'),
    hasSpeed: typeof usage.speed === 'string',
    schemaIssue: schemaIssueOf(record, message, usage),
    timestampOk: typeof record.timestamp === 'string' && TIMESTAMP_SHAPE.test(record.timestamp),
  };
}

function stripLeadingNuls(line: string): string {
  let start = 0;
  while (line.charCodeAt(start) === 0) start += 1;
  return line.slice(start);
}

/** The message a `progress` line embeds (`data.message`), with the line's `sessionId`. */
function embeddedMessage(record: unknown): { inner: JsonObject; sessionId: string } | null {
  if (!isJsonObject(record) || record.type !== 'progress' || !isJsonObject(record.data))
    return null;
  const inner = record.data.message;
  if (!isJsonObject(inner)) return null;
  return { inner, sessionId: typeof record.sessionId === 'string' ? record.sessionId : '' };
}

export function scanCorpus(configDirs: readonly string[]): CorpusScan {
  const copies: ScannedCopy[] = [];
  const files = listCorpusFiles(configDirs);
  const add = (record: unknown, kind: LineKind): void => {
    const embedded = embeddedMessage(record);
    const scanned =
      embedded === null
        ? toScanned(record, kind, copies.length, null)
        : toScanned(embedded.inner, kind, copies.length, embedded.sessionId);
    if (scanned !== null) copies.push(scanned);
  };
  for (const path of files) {
    let text = readFileSync(path, 'utf8');
    const bom = text.startsWith('\uFEFF');
    if (bom) text = text.slice(1);
    const lines = text.split('\n');
    const tail = lines.pop() ?? '';
    for (const [index, raw] of lines.entries()) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (!line.includes('"usage"')) continue;
      const whole = tryParse(line);
      if (whole !== undefined) {
        add(whole, bom && index === 0 ? 'bom-first' : 'clean');
        continue;
      }
      const withoutNuls = stripLeadingNuls(line);
      const afterNuls = withoutNuls !== line ? tryParse(withoutNuls) : undefined;
      if (afterNuls !== undefined) add(afterNuls, 'nul-prefixed');
      else for (const record of recoverRecords(withoutNuls)) add(record, 'recovered');
    }
    const tailRecord = tail.includes('"usage"') ? tryParse(tail.replace(/\r$/, '')) : undefined;
    if (tailRecord !== undefined) add(tailRecord, 'unterminated');
  }
  return { files: files.length, copies };
}
