/**
 * The transcript side of the audit trail: one `usage` change per session and project whose totals
 * moved in a commit. The movement is the net of the rollup contributions that commit already
 * folded (a new response in, an updated one's old contribution out and new one in), so the trail
 * costs one pass over those few keys, and it commits with the responses: summed over the trail,
 * a session's deltas equal its totals in `response`, crashes and re-reads included.
 */
import { ChangeLog, type ChangeRecord, type ChangeSource } from './change-log.js';
import type { Ledger } from './database.js';
import { SUM_COLUMNS, type PendingContribution, type RollupDelta } from './usage-rollup.js';

const column = (name: (typeof SUM_COLUMNS)[number]): number => SUM_COLUMNS.indexOf(name);
const RESPONSES = column('responses');
const INPUT = column('input_tokens');
const OUTPUT = column('output_tokens');
const CACHE_CREATION = column('cache_creation_tokens');
const CACHE_CREATION_1H = column('cache_creation_1h_tokens');
const CACHE_READ = column('cache_read_tokens');
const WEB_SEARCH = column('web_search_requests');
/** ccusage "auto": Claude Code's logged cost, else the calculated one; unpriced counts 0. */
const COST_AUTO = column('cost_auto');

/** Columns the trail records (integers, then the cost, compared with `COST_EPSILON_USD`). */
const RECORDED = [
  RESPONSES,
  INPUT,
  OUTPUT,
  CACHE_CREATION,
  CACHE_CREATION_1H,
  CACHE_READ,
  WEB_SEARCH,
  COST_AUTO,
];
/** Below this a net cost is float noise of contributions that cancelled out, not a change. */
const COST_EPSILON_USD = 1e-9;

function moved(sums: readonly number[]): boolean {
  for (const index of RECORDED) {
    const value = sums[index] ?? 0;
    if (index === COST_AUTO ? Math.abs(value) >= COST_EPSILON_USD : value !== 0) return true;
  }
  return false;
}

interface Group {
  readonly sessionId: string;
  readonly project: string;
  /** Indexed like `SUM_COLUMNS`; only the recorded columns are summed. */
  readonly sums: number[];
  removed: number;
  readonly models: Set<string>;
}

/** Folds the contributions per session and project (cwd, else the project folder). */
function groupBySession(pending: Iterable<PendingContribution>): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const { key, sums, removed } of pending) {
    const project = key.cwd === '' ? key.projectDir : key.cwd;
    const id = `${key.sessionId}\u0000${project}`;
    let group = groups.get(id);
    if (group === undefined) {
      const zero = new Array<number>(SUM_COLUMNS.length).fill(0);
      group = { sessionId: key.sessionId, project, sums: zero, removed: 0, models: new Set() };
      groups.set(id, group);
    }
    for (const index of RECORDED) group.sums[index] = (group.sums[index] ?? 0) + (sums[index] ?? 0);
    group.removed += removed;
    if (moved(sums)) group.models.add(key.model);
  }
  return groups;
}

/** What the changes are recorded as: transcript usage, unless another writer moves the rollup. */
export interface UsageChangeLabel {
  readonly source: ChangeSource;
  readonly kind: string;
}

const TRANSCRIPT_USAGE: UsageChangeLabel = { source: 'transcript', kind: 'usage' };

/**
 * The changes of the contributions `rollup` holds, in first-touched order; a session whose
 * totals did not move gets none. Read before `rollup.flush`, which clears them. Another writer
 * of the rollup (a re-pricing) can record its movements under its own label the same way.
 */
export function usageChanges(
  rollup: RollupDelta,
  nowMs: number,
  label: UsageChangeLabel = TRANSCRIPT_USAGE,
): ChangeRecord[] {
  const changes: ChangeRecord[] = [];
  for (const group of groupBySession(rollup.pending()).values()) {
    const { sums } = group;
    if (!moved(sums)) continue;
    const at = (index: number): number => sums[index] ?? 0;
    changes.push({
      timeMs: nowMs,
      source: label.source,
      kind: label.kind,
      project: group.project === '' ? null : group.project,
      sessionId: group.sessionId === '' ? null : group.sessionId,
      delta: {
        inputTokens: at(INPUT),
        outputTokens: at(OUTPUT),
        cacheCreationTokens: at(CACHE_CREATION),
        cacheReadTokens: at(CACHE_READ),
        costUsd: at(COST_AUTO),
        webSearchRequests: at(WEB_SEARCH),
      },
      detail: {
        responses: at(RESPONSES),
        updatedResponses: group.removed,
        cacheCreation1hTokens: at(CACHE_CREATION_1H),
        models: [...group.models].sort(),
      },
    });
  }
  return changes;
}

/** Records the changes of a commit; call inside its transaction, before the rollup's flush. */
export class UsageChangeRecorder {
  private readonly log: ChangeLog;

  constructor(db: Ledger) {
    this.log = new ChangeLog(db);
  }

  record(rollup: RollupDelta, nowMs: number, label: UsageChangeLabel = TRANSCRIPT_USAGE): number {
    const changes = usageChanges(rollup, nowMs, label);
    for (const change of changes) this.log.insert(change);
    return changes.length;
  }
}
