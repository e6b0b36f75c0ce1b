import { isBetterFinal, isBetterOriginal } from '../corpus/copy-ranking.js';
import { utcDay } from '../corpus/oracle.js';
import type { CauseId } from './ccusage-causes.js';
import type { ScannedCopy } from './corpus-scan.js';
import type { TokenFields } from './results.js';
import { addInto, zeroFields } from './token-fields.js';

/**
 * `simulate` counts a scanned corpus by the oracle's rules with any subset of the modelled
 * ccusage behaviours (ccusage-causes.ts) switched on: with none, it is the oracle; with all,
 * it is the model of ccusage. Tokens are attributed to the oracle's responses, so switching the
 * behaviours on one at a time shows which responses each one moves, and on which days.
 */

export type { CauseId } from './ccusage-causes.js';
export { CAUSES } from './ccusage-causes.js';

/** responseId → day → tokens counted for that response on that day. */
export type Attribution = Map<string, Map<string, TokenFields>>;

/** The oracle's response of every copy: `message.id` + `requestId`, sidechain replays merged. */
export function oracleResponseIds(copies: readonly ScannedCopy[]): string[] {
  const byMessage = new Map<string, { keys: Set<string>; sidechain: boolean }>();
  const keyOf = (c: ScannedCopy): string => `${c.copy.messageId}\n${c.copy.requestId}`;
  for (const c of copies) {
    if (c.progress) continue; // not a usage line for the oracle; joins its response by key
    const entry = byMessage.get(c.copy.messageId) ?? { keys: new Set<string>(), sidechain: false };
    entry.keys.add(keyOf(c));
    entry.sidechain ||= c.copy.isSidechain;
    byMessage.set(c.copy.messageId, entry);
  }
  return copies.map((c) => {
    const entry = byMessage.get(c.copy.messageId);
    const merged = entry !== undefined && entry.keys.size > 1 && entry.sidechain;
    return merged ? `${c.copy.messageId}\n*` : keyOf(c);
  });
}

function admitted(c: ScannedCopy, on: ReadonlySet<CauseId>): boolean {
  if (c.synthetic && !on.has('synthetic')) return false;
  if (c.progress && !on.has('progress-copy')) return false;
  if (c.kind === 'unterminated' && !on.has('unterminated-tail')) return false;
  if (c.kind === 'recovered' && on.has('recovered-record')) return false;
  if (c.kind === 'nul-prefixed' && on.has('nul-prefixed')) return false;
  if (c.kind === 'bom-first' && on.has('bom-line')) return false;
  if (c.schemaIssue !== null && on.has('schema')) return false;
  return c.timestampOk || !on.has('timestamp-format');
}

function tokensOf(c: ScannedCopy, on: ReadonlySet<CauseId>): TokenFields {
  const u = c.copy.usage;
  const split = on.has('cache-split') ? c.cacheSplitTokens : null;
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheCreationTokens: split ?? u.cacheCreationTokens,
    cacheReadTokens: u.cacheReadTokens,
  };
}

function totalOf(fields: TokenFields): number {
  return (
    fields.inputTokens + fields.outputTokens + fields.cacheCreationTokens + fields.cacheReadTokens
  );
}

/** ccusage's replacement rule (§3.8): main thread, then larger total, then has `speed`; else keep. */
function replaces(c: ScannedCopy, kept: ScannedCopy, on: ReadonlySet<CauseId>): boolean {
  if (c.copy.isSidechain !== kept.copy.isSidechain) return !c.copy.isSidechain;
  const diff = totalOf(tokensOf(c, on)) - totalOf(tokensOf(kept, on));
  return diff > 0 || (diff === 0 && c.hasSpeed && !kept.hasSpeed);
}

interface Group {
  readonly copies: ScannedCopy[];
  /** ccusage's kept copy so far (copies arrive in ccusage's reading order). */
  kept: ScannedCopy;
}

function addToGroup(group: Group, c: ScannedCopy, on: ReadonlySet<CauseId>): void {
  group.copies.push(c);
  if (replaces(c, group.kept, on)) group.kept = c;
}

/** The oracle's grouping: one group per oracle response. */
function oracleGroups(
  copies: readonly ScannedCopy[],
  responseIds: readonly string[],
  on: ReadonlySet<CauseId>,
): Group[] {
  const groups = new Map<string, Group>();
  for (const c of copies) {
    const responseId = responseIds[c.order] ?? '';
    const group = groups.get(responseId);
    if (group === undefined) groups.set(responseId, { copies: [c], kept: c });
    else addToGroup(group, c, on);
  }
  return [...groups.values()];
}

/**
 * ccusage's grouping, copy by copy in reading order: an exact `message.id:requestId` match
 * (lines without requestId have none), else an entry with the same `message.id` (and, with
 * `session-scope`, the same sessionId) where either side is a sidechain copy, else a new entry.
 * Lines without `message.id` are never merged.
 */
function ccusageGroups(copies: readonly ScannedCopy[], on: ReadonlySet<CauseId>): Group[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  const byMessage = new Map<string, Group[]>();
  for (const c of copies) {
    const { messageId, requestId, isSidechain, sessionId } = c.copy;
    const key = c.hasRequestId && requestId !== '' ? `${messageId}:${requestId}` : null;
    const sameMessage = messageId === '' ? [] : (byMessage.get(messageId) ?? []);
    const scoped = on.has('session-scope');
    const group =
      (key === null ? undefined : byKey.get(key)) ??
      sameMessage.find(
        (g) =>
          (isSidechain || g.kept.copy.isSidechain) &&
          (!scoped || g.kept.copy.sessionId === sessionId),
      );
    if (group !== undefined) {
      addToGroup(group, c, on);
      continue;
    }
    const created: Group = { copies: [c], kept: c };
    groups.push(created);
    if (key !== null) byKey.set(key, created);
    if (messageId !== '') byMessage.set(messageId, [...sameMessage, created]);
  }
  return groups;
}

function pick(group: Group, better: (a: ScannedCopy, b: ScannedCopy) => boolean): ScannedCopy {
  let best = group.kept;
  const [first, ...rest] = group.copies;
  if (first !== undefined) best = first;
  for (const c of rest) if (better(c, best)) best = c;
  return best;
}

/** What the oracle (nothing on) or the ccusage model (some behaviours on) counts per response and day. */
export function simulate(
  copies: readonly ScannedCopy[],
  responseIds: readonly string[],
  on: ReadonlySet<CauseId>,
): Attribution {
  const kept = copies.filter((c) => admitted(c, on));
  const groups = on.has('no-request-id')
    ? ccusageGroups(kept, on)
    : oracleGroups(kept, responseIds, on);
  const attribution: Attribution = new Map();
  for (const group of groups) {
    const first = group.copies[0];
    if (first === undefined) continue;
    const tokenCopy = on.has('kept-copy-tokens')
      ? group.kept
      : pick(group, (a, b) => isBetterFinal(a.copy, b.copy));
    const dayCopy = on.has('kept-copy-day')
      ? group.kept
      : pick(group, (a, b) => isBetterOriginal(a.copy, b.copy));
    const responseId = responseIds[first.order] ?? '';
    const day = utcDay(dayCopy.copy.timestampMs);
    const days = attribution.get(responseId) ?? new Map<string, TokenFields>();
    const fields = days.get(day) ?? zeroFields();
    addInto(fields, tokensOf(tokenCopy, on));
    days.set(day, fields);
    attribution.set(responseId, days);
  }
  return attribution;
}

/** Per-day sums of an attribution. */
export function dayTotals(attribution: Attribution): Map<string, TokenFields> {
  const totals = new Map<string, TokenFields>();
  for (const days of attribution.values()) {
    for (const [day, fields] of days) {
      const sum = totals.get(day) ?? zeroFields();
      addInto(sum, fields);
      totals.set(day, sum);
    }
  }
  return totals;
}
