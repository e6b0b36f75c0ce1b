/**
 * The audit trail (`ctt changes`) as JSON and CSV. The JSON shape is fixed by spec/cli.md:
 * `{"changes":[{"time", "source", "project", "sessionId", "kind", "delta":{…, "costUSD", …}}]}`
 * with `time` in ISO-8601 UTC; each change also carries its `id` (the trail's order) and, when
 * the change has one, its `detail` object. Numbers are never rounded.
 *
 * CSV (RFC 4180, see render-csv.ts): the same names flattened, one line per change, the delta
 * fields as their own columns and `detail` as compact JSON text (empty when absent).
 *
 * Both come as text pieces from an iterable too, so a trail of millions of changes is written
 * without holding it in memory.
 */
import type { ChangeDelta, StoredChange } from '../store/change-log.js';
import { csvField } from './render-csv.js';

export interface JsonChangeDelta {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  costUSD: number;
  linesAdded: number;
  linesRemoved: number;
  webSearchRequests: number;
}

export interface JsonChange {
  id: number;
  time: string;
  source: string;
  kind: string;
  project: string | null;
  sessionId: string | null;
  delta: JsonChangeDelta;
  detail?: Record<string, unknown>;
}

/** The delta fields in contract order (JSON names). */
export const DELTA_FIELDS: readonly (keyof JsonChangeDelta)[] = [
  'inputTokens',
  'outputTokens',
  'cacheCreationTokens',
  'cacheReadTokens',
  'costUSD',
  'linesAdded',
  'linesRemoved',
  'webSearchRequests',
];

export const CHANGE_CSV_COLUMNS: readonly string[] = [
  'id',
  'time',
  'source',
  'kind',
  'project',
  'sessionId',
  ...DELTA_FIELDS,
  'detail',
];

/** An instant as ISO-8601 UTC with milliseconds (`2026-11-30T14:03:07.120Z`). */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function deltaToJson(delta: ChangeDelta): JsonChangeDelta {
  return {
    inputTokens: delta.inputTokens,
    outputTokens: delta.outputTokens,
    cacheCreationTokens: delta.cacheCreationTokens,
    cacheReadTokens: delta.cacheReadTokens,
    costUSD: delta.costUsd,
    linesAdded: delta.linesAdded,
    linesRemoved: delta.linesRemoved,
    webSearchRequests: delta.webSearchRequests,
  };
}

export function changeToJson(change: StoredChange): JsonChange {
  return {
    id: change.id,
    time: isoTime(change.timeMs),
    source: change.source,
    kind: change.kind,
    project: change.project,
    sessionId: change.sessionId,
    delta: deltaToJson(change.delta),
    ...(change.detail === undefined ? {} : { detail: { ...change.detail } }),
  };
}

export function changesToJson(changes: readonly StoredChange[]): { changes: JsonChange[] } {
  return { changes: changes.map(changeToJson) };
}

/**
 * `JSON.stringify(changesToJson(changes), null, 2)` in pieces, one per change (raw newlines in
 * that output only come from indentation: newlines inside strings are escaped).
 */
export function* changesJsonPieces(changes: Iterable<StoredChange>): Generator<string> {
  let first = true;
  for (const change of changes) {
    const body = JSON.stringify(changeToJson(change), null, 2).replace(/\n/g, '\n    ');
    yield `${first ? '{\n  "changes": [\n' : ',\n'}    ${body}`;
    first = false;
  }
  yield first ? '{\n  "changes": []\n}' : '\n  ]\n}';
}

/** One CSV line (with its LF) of a change. */
export function changeToCsvLine(change: StoredChange): string {
  const json = changeToJson(change);
  const fields = [
    json.id,
    json.time,
    json.source,
    json.kind,
    json.project,
    json.sessionId,
    ...DELTA_FIELDS.map((name) => json.delta[name]),
    json.detail === undefined ? null : JSON.stringify(json.detail),
  ];
  return `${fields.map(csvField).join(',')}\n`;
}

export function changesCsvHeader(): string {
  return `${CHANGE_CSV_COLUMNS.join(',')}\n`;
}

/** The CSV in pieces: the header, then one line per change (every piece ends in LF). */
export function* changesCsvPieces(changes: Iterable<StoredChange>): Generator<string> {
  yield changesCsvHeader();
  for (const change of changes) yield changeToCsvLine(change);
}

/** The changes as CSV text. */
export function changesToCsv(changes: Iterable<StoredChange>): string {
  return [...changesCsvPieces(changes)].join('');
}
