/**
 * The `~/.claude.json` step of the tracker (reliability §2.7): each `poll` reads the file stably,
 * turns a changed snapshot into counter changes against the high-water marks, and commits the
 * marks with their trail rows in one transaction. The marks and the file's fingerprint live in
 * memory between polls (loaded from the ledger at construction); both advance only after a
 * commit, so a failed commit or a crash is read again, never lost and never counted twice.
 * An unstable or unparsable read is retried at the next poll and never read as zero.
 */
import { performance } from 'node:perf_hooks';
import type { HighWater } from '../core/counter-marks.js';
import { trackCounters, type TrackResult } from '../core/counter-tracking.js';
import type { ProjectSnapshot } from '../core/counter-values.js';
import {
  fingerprintOf,
  readClaudeJsonStable,
  type ClaudeJsonFingerprint,
  type ClaudeJsonFs,
  type ClaudeJsonRead,
} from '../sources/claude-code/claude-json-read.js';
import type { StoredChange } from '../store/change-log.js';
import {
  loadClaudeJsonState,
  recordCounterTrack,
  recordFileAnomaly,
} from '../store/claude-json-marks.js';
import type { FileAnomaly } from '../store/claude-json-trail.js';
import type { Ledger } from '../store/database.js';

/** Health: no valid read for this long means the step is degraded (reliability §2.7). */
export const CLAUDE_JSON_DEGRADED_AFTER_MS = 10 * 60_000;

/** How often a commit found the ledger moved (another writer) before the poll gives up. */
const STALE_ATTEMPTS = 3;

export interface ClaudeJsonTrackerOptions {
  /** Extra read attempts within one poll when the file moves under the read (default 5). */
  readonly retries?: number;
  /** Pause between those attempts (default 50 ms). */
  readonly retryDelayMs?: number;
  readonly fs?: ClaudeJsonFs;
  /**
   * The clock compared with the file's mtime for the racy-stat guard: the real wall clock
   * (default `Date.now`), whatever clock stamps the trail.
   */
  readonly fileClockMs?: () => number;
  /** Runs inside each commit before it completes (fault tests throw here to simulate a crash). */
  readonly beforeCommit?: () => void;
}

/**
 * `changed`: a new snapshot was tracked (`changes` may still be empty when only other parts of
 * the file moved); `unstable`: the read or the parse failed (torn write, reset to `{}`), retried
 * next poll; `error`: the commit failed, the same snapshot is tracked again next poll.
 */
export type ClaudeJsonOutcome = 'unchanged' | 'changed' | 'unstable' | 'missing' | 'error';

export interface ClaudeJsonPollResult {
  readonly outcome: ClaudeJsonOutcome;
  /** The trail rows this poll wrote, with their ids, in trail order. */
  readonly changes: readonly StoredChange[];
  /** Reads this poll rejected (moved under the read, short, or unparsable). */
  readonly tornReads: number;
  /** Time spent reading, hashing and parsing the file (ms). */
  readonly parseMs: number;
  readonly reason?: string;
}

export class ClaudeJsonTracker {
  private highWater!: HighWater;
  private baselineDone!: boolean;
  private fileAnomaly!: FileAnomaly | null;
  private fingerprint: ClaudeJsonFingerprint | undefined;
  private inFlight: Promise<ClaudeJsonPollResult> | undefined;
  private goodReadMs: number | null = null;

  constructor(
    private readonly db: Ledger,
    private readonly claudeJsonPath: string,
    private readonly nowMs: () => number,
    private readonly options: ClaudeJsonTrackerOptions = {},
  ) {
    this.reload();
  }

  /** Wall clock of the last read that was stable and valid (`null`: none yet). */
  get lastGoodReadMs(): number | null {
    return this.goodReadMs;
  }

  /** True when no valid read succeeded for `CLAUDE_JSON_DEGRADED_AFTER_MS` since `sinceMs`. */
  isDegraded(sinceMs: number): boolean {
    return this.nowMs() - (this.goodReadMs ?? sinceMs) >= CLAUDE_JSON_DEGRADED_AFTER_MS;
  }

  /** The marks as this tracker holds them (for status and tests). */
  get marks(): HighWater {
    return this.highWater;
  }

  /** One poll; concurrent calls share the poll in flight. */
  poll(): Promise<ClaudeJsonPollResult> {
    this.inFlight ??= this.pollOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private reload(): void {
    const state = loadClaudeJsonState(this.db);
    this.highWater = state.highWater;
    this.baselineDone = state.baselineDone;
    this.fileAnomaly = state.fileAnomaly;
  }

  private async pollOnce(): Promise<ClaudeJsonPollResult> {
    const { retries, retryDelayMs, fs, fileClockMs } = this.options;
    const startedMs = performance.now();
    const read = await readClaudeJsonStable(this.claudeJsonPath, {
      ...(retries === undefined ? {} : { retries }),
      ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
      ...(fs === undefined ? {} : { fs }),
      ...(fileClockMs === undefined ? {} : { nowMs: fileClockMs }),
      ...(this.fingerprint === undefined ? {} : { previous: this.fingerprint }),
    });
    const parseMs = performance.now() - startedMs;
    const tornReads = tornReadsOf(read);
    const base = { tornReads, parseMs };
    try {
      switch (read.kind) {
        case 'missing':
          return { ...base, outcome: 'missing', changes: this.reportFile('missing') };
        case 'unstable':
          if (read.reason !== 'no projects') {
            return { ...base, outcome: 'unstable', changes: [], reason: unstableText(read) };
          }
          return {
            ...base,
            outcome: 'unstable',
            changes: this.reportFile('no-projects'),
            reason: unstableText(read),
          };
        case 'unchanged':
          this.accept(read);
          return { ...base, outcome: 'unchanged', changes: [] };
        case 'snapshot': {
          const changes = this.track(read.projects);
          if (changes === null) {
            return { ...base, outcome: 'error', changes: [], reason: 'the ledger kept moving' };
          }
          this.accept(read);
          return { ...base, outcome: 'changed', changes };
        }
      }
    } catch (error) {
      return { ...base, outcome: 'error', changes: [], reason: (error as Error).message };
    }
  }

  private accept(read: Extract<ClaudeJsonRead, { kind: 'snapshot' | 'unchanged' }>): void {
    this.fingerprint = fingerprintOf(read);
    this.fileAnomaly = null;
    this.goodReadMs = this.nowMs();
  }

  /** Records a file-level condition once, when it begins. */
  private reportFile(anomaly: FileAnomaly): StoredChange[] {
    if (this.fileAnomaly === anomaly) return [];
    const change = recordFileAnomaly(this.db, anomaly, this.nowMs());
    this.fileAnomaly = anomaly;
    return [change];
  }

  /** Tracks and commits one snapshot; `null` when the ledger kept moving under the commit. */
  private track(projects: readonly ProjectSnapshot[]): StoredChange[] | null {
    for (let attempt = 1; attempt <= STALE_ATTEMPTS; attempt++) {
      const baseline = !this.baselineDone;
      const timeMs = this.nowMs();
      const result: TrackResult = trackCounters(this.highWater, projects, {
        observedAtMs: timeMs,
        baseline,
      });
      const outcome = recordCounterTrack(this.db, result, {
        timeMs,
        baseline,
        ...(this.options.beforeCommit === undefined
          ? {}
          : { beforeCommit: this.options.beforeCommit }),
      });
      if (outcome.kind === 'recorded') {
        this.highWater = result.next;
        this.baselineDone = true;
        return outcome.changes;
      }
      this.reload(); // another writer moved the marks: track again against what it stored
    }
    return null;
  }
}

/** Attempts a read rejected: all of them for a failed read, all but the last for a good one. */
function tornReadsOf(read: ClaudeJsonRead): number {
  if (read.kind !== 'unstable') return read.attempts - 1;
  return read.reason === 'no projects' ? read.attempts - 1 : read.attempts;
}

function unstableText(read: Extract<ClaudeJsonRead, { kind: 'unstable' }>): string {
  return `${read.reason}: ${read.detail}`;
}
