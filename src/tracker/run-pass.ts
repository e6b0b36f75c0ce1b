/**
 * One catch-up pass: discover, plan, read every changed file from its committed offset, and
 * commit slice by slice. The reading can run in worker threads (see scan-pool.ts); committing is
 * always here, on the one writer connection.
 */
import {
  discoverTranscripts,
  type Discovery,
} from '../sources/claude-code/discover-transcripts.js';
import type { ScanLimits, ScanRefused } from '../sources/claude-code/scan-transcript.js';
import type { FoldedSlice } from './fold-slice.js';
import { withBusyRetry, type BusyRetryOptions } from '../store/busy-retry.js';
import { SliceCommitter, type SliceInput } from '../store/commit-slice.js';
import type { Ledger } from '../store/database.js';
import type { PriceFn } from '../store/responses.js';
import { loadFile, startNewGeneration } from '../store/source-files.js';
import { planPass, type PassPlan, type ScanTask } from './plan-pass.js';
import { scanInline, type ScanExecutor, type SliceDecision } from './scan-executor.js';

export interface PassOptions {
  readonly projectsDirs: readonly string[];
  readonly nowMs: () => number;
  readonly price: PriceFn;
  readonly priceVersion: string;
  readonly limits?: ScanLimits;
  readonly executor?: ScanExecutor;
  /** Rows per commit (default 5,000): smaller commits lose less work to a crash, cost more. */
  readonly batchRows?: number;
  /** Test hook: runs inside each commit's transaction, just before it commits. */
  readonly beforeCommit?: () => void;
  /** A listing the caller just made (the tracker's cheap change check), used instead of a new walk. */
  readonly discovery?: Discovery;
  /**
   * Asked between commits: true stops the pass early (a shutdown). What was committed stays; the
   * rest is read by the next pass from the committed offsets.
   */
  readonly shouldStop?: () => boolean;
  /**
   * Retries of a commit while another process holds the ledger (default: 10, sleeping). The
   * tracker asks for one attempt: it backs off asynchronously itself, so signals still land.
   */
  readonly busyRetry?: Pick<BusyRetryOptions, 'attempts'>;
}

export interface PassStats {
  files: PassPlan['counts'] & { read: number; reset: number; raced: number };
  bytesRead: number;
  lines: number;
  usageCopies: number;
  newResponses: number;
  updatedResponses: number;
  quarantinedLines: number;
  /** Claude Code `cost-state` lines stored. */
  costStates: number;
  dedupHitsRaw: number;
  staleCommits: number;
  /** Commits retried because another process held the ledger. */
  busyRetries: number;
  pendingTailBytes: number;
  missingRoots: string[];
  unreadable: { path: string; code: string }[];
}

const MAX_ATTEMPTS_PER_FILE = 4;
const BATCH_ROWS = 5_000;

export async function runPass(db: Ledger, options: PassOptions): Promise<PassStats> {
  const discovery = options.discovery ?? discoverTranscripts(options.projectsDirs);
  // One transaction for all identity bookkeeping of the pass (nested writes become savepoints).
  const plan = db.transaction(() => planPass(db, discovery, options.nowMs())).immediate();
  const stats: PassStats = {
    files: { ...plan.counts, read: 0, reset: 0, raced: 0 },
    bytesRead: 0,
    lines: 0,
    usageCopies: 0,
    newResponses: 0,
    updatedResponses: 0,
    quarantinedLines: 0,
    costStates: 0,
    dedupHitsRaw: 0,
    staleCommits: 0,
    busyRetries: 0,
    pendingTailBytes: 0,
    missingRoots: discovery.missingRoots,
    unreadable: discovery.unreadable,
  };
  const committer = new SliceCommitter(db, options.price, options.priceVersion);
  let queue: ScanTask[] = plan.tasks;
  const attempts = new Map<number, number>();
  const executor = options.executor ?? scanInline;
  const stopping = (): boolean => options.shouldStop?.() === true;
  while (queue.length > 0 && !stopping()) {
    const retry: ScanTask[] = [];
    const requeue = (task: ScanTask): void => {
      const count = (attempts.get(task.file.id) ?? 0) + 1;
      attempts.set(task.file.id, count);
      const fresh = loadFile(db, task.file.id);
      if (count < MAX_ATTEMPTS_PER_FILE && fresh !== undefined)
        retry.push({ file: fresh, seen: task.seen });
      else stats.files.raced++;
    };
    // Slices wait here and commit together: one transaction per ~5k rows instead of per file.
    let pending: { task: ScanTask; slice: FoldedSlice; input: SliceInput }[] = [];
    let pendingCopies = 0;
    const flush = (): void => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      pendingCopies = 0;
      const results = withBusyRetry(
        () =>
          committer.commitMany(
            batch.map((item) => item.input),
            options.nowMs(),
            options.beforeCommit,
          ),
        { ...options.busyRetry, onRetry: () => stats.busyRetries++ },
      );
      const requeued = new Set<number>();
      batch.forEach(({ task, slice, input }, index) => {
        const result = results[index];
        if (result === undefined || !result.committed) {
          stats.staleCommits++;
          if (!requeued.has(task.file.id)) requeue(task);
          requeued.add(task.file.id);
          return;
        }
        stats.bytesRead += slice.endOffset - input.fromOffset;
        stats.lines += slice.lines;
        stats.usageCopies += result.copies;
        stats.newResponses += result.newResponses;
        stats.updatedResponses += result.updatedResponses;
        stats.quarantinedLines += result.quarantined;
        stats.costStates += result.costStates;
        stats.dedupHitsRaw += result.dedupHitsRaw;
        if (slice.atEnd) {
          stats.files.read++;
          stats.pendingTailBytes += slice.sizeSeen - slice.endOffset;
        }
      });
    };
    const onSlice = (task: ScanTask, slice: FoldedSlice, fromOffset: number): SliceDecision => {
      const input: SliceInput = {
        fileId: task.file.id,
        generation: task.file.generation,
        fromOffset,
        endOffset: slice.endOffset,
        anchorHash: slice.anchorHash,
        sizeSeen: slice.sizeSeen,
        mtimeNs: slice.atEnd ? task.seen.mtimeNs : null,
        ctimeNs: slice.atEnd ? task.seen.ctimeNs : null,
        lines: slice.lines,
        responses: slice.responses,
        copyCount: slice.copyCount,
        costStates: slice.costStates,
        quarantine: slice.quarantine,
      };
      pending.push({ task, slice, input });
      pendingCopies += slice.copyCount + slice.costStates.length + slice.quarantine.length + 1;
      if (pendingCopies >= (options.batchRows ?? BATCH_ROWS)) flush();
      return stopping() ? 'abort' : 'continue';
    };
    const onRefused = (task: ScanTask, refused: ScanRefused): void => {
      flush();
      if (refused.kind === 'identity-changed') {
        stats.files.raced++; // replaced between the walk and the open: the next pass sees it
        return;
      }
      startNewGeneration(
        db,
        task.file,
        refused.kind === 'truncated' ? 'truncated' : 'rewritten',
        refused.sizeSeen,
        options.nowMs(),
      );
      stats.files.reset++;
      requeue(task);
    };
    const onFileError = (task: ScanTask, code: string): void => {
      if (code === 'ENOENT') stats.files.vanished++;
      else stats.unreadable.push({ path: task.file.path, code });
    };
    await executor(queue, options.limits ?? {}, onSlice, onRefused, onFileError);
    flush();
    queue = retry;
  }
  return stats;
}
