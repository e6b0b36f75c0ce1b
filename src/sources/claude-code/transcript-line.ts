/**
 * One physical line of a transcript → its records and, when it is not exactly one valid JSON
 * object, the damage. Damaged lines are quarantined, but every intact record inside them still
 * counts: Claude Code glues records (`}{` without a newline), splices a torn record with the next
 * one, and leaves NUL runs (claude-code-data §3.9). Losing the intact record would lose usage.
 */
import { skipWhitespace } from '../json-scan.js';
import { readCostState, type CostStateRecord } from './cost-state-record.js';
import { scanRecord, toUsageCopy, type UsageCopy } from './transcript-record.js';

export type DamageReason =
  | 'nul-bytes'
  | 'glued'
  | 'spliced'
  | 'torn'
  | 'not-an-object'
  | 'bad-usage'
  | 'bad-cost-state'
  | 'oversize';

export interface LineResult {
  readonly copies: UsageCopy[];
  /** Rare (one per session exit): a shared empty array until one is found. */
  costStates: readonly CostStateRecord[];
  /** Valid records found (usage or not). */
  records: number;
  synthetic: number;
  damage: DamageReason | null;
  /** Records recovered from a damaged line. */
  recovered: number;
}

const NUL = 0x00;
/** Shared until a line has a `cost-state` record: no array per line for a record this rare. */
const NO_COST_STATES: readonly CostStateRecord[] = Object.freeze([]);
/** Recovery may scan at most this many times the line's bytes (failed candidates included). */
const MAX_RECOVERY_WORK = 64;

/** Parses `buf[start, end)`; `fileOffset` is the file position of `buf[start]`. */
export function scanLine(
  buf: Buffer,
  start: number,
  end: number,
  fileOffset: number,
  nulAt: number,
): LineResult {
  const result: LineResult = {
    copies: [],
    costStates: NO_COST_STATES,
    records: 0,
    synthetic: 0,
    damage: null,
    recovered: 0,
  };
  if (nulAt >= 0 && nulAt < end) {
    result.damage = 'nul-bytes';
    let segment = start;
    while (segment < end) {
      let stop = buf.indexOf(NUL, segment);
      if (stop < 0 || stop > end) stop = end;
      if (stop > segment) scanSegment(buf, segment, stop, fileOffset - start, result, true);
      segment = stop + 1;
    }
    return result;
  }
  scanSegment(buf, start, end, fileOffset - start, result, false);
  return result;
}

/** Takes the record `scanRecord` just validated (it spans `buf[recordStart, recordEnd)`). */
function take(
  buf: Buffer,
  recordStart: number,
  recordEnd: number,
  bufToFile: number,
  result: LineResult,
): void {
  result.records++;
  let outcome;
  try {
    outcome = toUsageCopy(buf, recordStart + bufToFile);
  } catch {
    // A structurally valid record whose usage numbers do not parse: keep the line in quarantine.
    result.damage ??= 'bad-usage';
    return;
  }
  if (outcome === 'synthetic') result.synthetic++;
  else if (typeof outcome === 'object') result.copies.push(outcome);
  else if (outcome === 'cost-state') takeCostState(buf, recordStart, recordEnd, bufToFile, result);
}

function takeCostState(
  buf: Buffer,
  recordStart: number,
  recordEnd: number,
  bufToFile: number,
  result: LineResult,
): void {
  try {
    const record = readCostState(buf, recordStart, recordEnd, recordStart + bufToFile);
    result.costStates = [...result.costStates, record];
  } catch {
    result.damage ??= 'bad-cost-state';
  }
}

function scanSegment(
  buf: Buffer,
  start: number,
  end: number,
  bufToFile: number,
  result: LineResult,
  inDamagedLine: boolean,
): void {
  const pos = skipWhitespace(buf, start, end);
  if (pos >= end) return;
  if (buf[pos] === 0x7b) {
    const onlyEnd = scanRecord(buf, pos, end);
    if (onlyEnd >= 0 && skipWhitespace(buf, onlyEnd, end) >= end) {
      take(buf, pos, onlyEnd, bufToFile, result);
      if (inDamagedLine) result.recovered++;
      return;
    }
  }
  const { count, tiled } = recover(buf, pos, end, bufToFile, result);
  result.recovered += count;
  if (inDamagedLine) return;
  if (count === 0) result.damage = isJsonValue(buf, pos, end) ? 'not-an-object' : 'torn';
  else result.damage = tiled ? 'glued' : 'spliced';
}

function isJsonValue(buf: Buffer, start: number, end: number): boolean {
  try {
    JSON.parse(buf.toString('utf8', start, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds intact records in `buf[from, end)`: an object that starts at a `{"` and ends at the line
 * end or right where another record starts. A nested object of a torn record qualifies only if it
 * ends exactly at such a boundary, and then it has no top-level usage to count. A complete object
 * followed by anything else lies inside the torn record, so the search resumes after it: a torn
 * record with thousands of nested objects costs one pass, not one attempt each.
 * `tiled` is true when the records cover the bytes with nothing skipped (glued records).
 */
function recover(
  buf: Buffer,
  from: number,
  end: number,
  bufToFile: number,
  result: LineResult,
): { count: number; tiled: boolean } {
  let count = 0;
  let tiled = true;
  let pos = from;
  let work = MAX_RECOVERY_WORK * (end - from);
  while (pos < end && work > 0) {
    const candidate = buf.indexOf('{"', pos, 'latin1');
    if (candidate < 0 || candidate >= end - 1) break;
    if (candidate !== pos) tiled = false;
    const recordEnd = scanRecord(buf, candidate, end);
    const after = recordEnd < 0 ? -1 : skipWhitespace(buf, recordEnd, end);
    if (after < 0) {
      tiled = false;
      work -= end - candidate; // a failed scan may have read up to the line end
      pos = candidate + 1;
      continue;
    }
    if (after < end && buf[after] !== 0x7b) {
      tiled = false;
      work -= recordEnd - candidate;
      pos = recordEnd;
      continue;
    }
    take(buf, candidate, recordEnd, bufToFile, result);
    count++;
    pos = after;
  }
  if (pos < end) tiled = false;
  return { count, tiled };
}
