/**
 * The audit trail as `ctt start` prints it, one line group per change: local time, project,
 * session and source on the first line, then the deltas that moved (input, output, cache
 * creation, cache read, cost; lines and web searches when they change). Session starts and ends
 * are one line each; an end shows the ledger's totals beside Claude Code's own. Pure.
 */
import pc from 'picocolors';
import type { ChangeDelta, StoredChange } from '../store/change-log.js';
import { formatCount, shortSessionId } from './format-cells.js';
import { formatChangeCost, formatLocalSecond } from './render-changes-table.js';

export interface TrailStyle {
  readonly timeZone: string;
  readonly color: boolean;
}

const DELTA_LABELS: readonly [keyof ChangeDelta, string][] = [
  ['inputTokens', 'input'],
  ['outputTokens', 'output'],
  ['cacheCreationTokens', 'cache write'],
  ['cacheReadTokens', 'cache read'],
  ['costUsd', 'cost'],
  ['linesAdded', 'lines added'],
  ['linesRemoved', 'lines removed'],
  ['webSearchRequests', 'web searches'],
];

function signed(value: number, text: string): string {
  return value < 0 ? `-${text.replace(/^-/, '')}` : `+${text}`;
}

/** `input +1,234  output +56  cost +$0.0123`: only what moved. */
export function formatDeltas(delta: ChangeDelta): string {
  const parts: string[] = [];
  for (const [key, label] of DELTA_LABELS) {
    const value = delta[key];
    if (value === 0) continue;
    const text =
      key === 'costUsd' ? formatChangeCost(Math.abs(value)) : formatCount(Math.abs(value));
    parts.push(`${label} ${signed(value, text)}`);
  }
  return parts.join('  ');
}

function numberIn(record: unknown, key: string): number | null {
  if (typeof record !== 'object' || record === null) return null;
  const value = (record as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : null;
}

function costText(value: number | null): string {
  return value === null ? '—' : `$${value.toFixed(4)}`;
}

function endSummary(detail: Readonly<Record<string, unknown>> | undefined): string {
  const reason = typeof detail?.['reason'] === 'string' ? detail['reason'] : 'ended';
  const ledger = detail?.['ledger'];
  const claudeCode = detail?.['claudeCode'];
  const tokens = (totals: unknown): number =>
    (numberIn(totals, 'inputTokens') ?? 0) +
    (numberIn(totals, 'outputTokens') ?? 0) +
    (numberIn(totals, 'cacheCreationTokens') ?? 0) +
    (numberIn(totals, 'cacheReadTokens') ?? 0);
  let text = `(${reason}): ledger ${formatCount(tokens(ledger))} tokens ${costText(numberIn(ledger, 'costUsd'))}`;
  if (claudeCode === null || claudeCode === undefined)
    return `${text}; Claude Code saved no totals`;
  const theirs = numberIn(claudeCode, 'costUsd');
  text += ` · Claude Code ${formatCount(tokens(claudeCode))} tokens ${costText(theirs)}`;
  const ours = numberIn(ledger, 'costUsd');
  if (theirs !== null && ours !== null)
    text += ` · difference ${signed(ours - theirs, costText(Math.abs(ours - theirs)))}`;
  return text;
}

/** One change as its printed line group (no trailing newline). */
export function formatTrailChange(change: StoredChange, style: TrailStyle): string {
  const time = formatLocalSecond(change.timeMs, style.timeZone).slice(11);
  const dim = (text: string): string => (style.color ? pc.dim(text) : text);
  const session = change.sessionId === null ? '' : ` session ${shortSessionId(change.sessionId)}`;
  const project = change.project ?? '(no project)';
  if (change.kind === 'session-start') {
    const pid = numberIn(change.detail, 'pid');
    const run = numberIn(change.detail, 'run') ?? 1;
    const how = `${change.source}${pid === null ? '' : ` pid ${pid}`}${run > 1 ? `, run ${run}` : ''}`;
    return `${time} ${project}${session} ${style.color ? pc.green('started') : 'started'} ${dim(`(${how})`)}`;
  }
  if (change.kind === 'session-end') {
    const ended = style.color ? pc.yellow('ended') : 'ended';
    return `${time} ${project}${session} ${ended} ${endSummary(change.detail)}`;
  }
  const header = `${time} ${project}${session} ${dim(`${change.source} ${change.kind}`)}`;
  const deltas = formatDeltas(change.delta);
  return deltas === '' ? header : `${header}\n         ${deltas}`;
}
