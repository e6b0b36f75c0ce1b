/**
 * `ctt start`: the always-on loop. It holds the tracker lock for its whole life, polls adaptively
 * (active/idle intervals; file-system events only make it look sooner), survives every transient
 * fault with the backoff of its class (reliability §2.10), and on SIGINT/SIGTERM/SIGHUP finishes
 * the poll in flight, does a final poll, checkpoints the WAL and exits 0 within 5 s. A SIGKILL at
 * any moment loses nothing: every step commits with what it read.
 */
import { LedgerCorruptError } from '../core/errors.js';
import type { Ledger } from '../store/database.js';
import type { TrackerLastError, TrackerStatus } from '../store/tracker-status-file.js';
import {
  backoffMs,
  classifyError,
  intervalOf,
  pollModeOf,
  type ErrorClass,
  type PollMode,
  type ScheduleSettings,
} from './poll-schedule.js';
import type { ScanExecutor } from './scan-executor.js';
import type { PollReport, TrackerPoll } from './tracker-poll.js';
import type { WatchHints } from './watch-hints.js';

export type WatchMode = 'hybrid' | 'events' | 'poll';

export type TrackerEvent =
  | { readonly type: 'catch-up'; readonly report: PollReport; readonly changesSummarised: number }
  | {
      readonly type: 'poll';
      readonly report: PollReport;
      readonly mode: PollMode;
      readonly intervalMs: number;
    }
  | { readonly type: 'mode'; readonly mode: PollMode | 'paused'; readonly intervalMs: number }
  | {
      readonly type: 'error';
      readonly errorClass: ErrorClass;
      readonly message: string;
      readonly consecutive: number;
      readonly retryInMs: number;
    }
  | { readonly type: 'recovered'; readonly afterErrors: number }
  | { readonly type: 'watchers'; readonly state: string }
  | { readonly type: 'stopping'; readonly signal: string }
  | { readonly type: 'stopped'; readonly polls: number; readonly shutdownMs: number };

export interface TrackerLoopSettings {
  readonly schedule: ScheduleSettings;
  readonly watch: WatchMode;
  /** `--watch events`: the full reconciliation interval (polls also run on every event). */
  readonly reconcileIntervalMs: number;
  readonly shutdownDeadlineMs: number;
  readonly version: string;
  readonly monoMs: () => number;
  readonly wallMs: () => number;
}

export interface TrackerParts {
  readonly db: Ledger;
  readonly poll: TrackerPoll;
  /** Reads big catch-ups in worker threads; closed after the first poll. */
  readonly catchUpExecutor?: { executor: ScanExecutor; close(): Promise<void> };
  /** Started by the loop when watching is on; calls `wake` on every hint. */
  readonly startHints?: (wake: () => void, onOff: (reason: string) => void) => WatchHints;
  readonly writeStatus: (status: TrackerStatus) => void;
  readonly onEvent: (event: TrackerEvent) => void;
}

/** Minimum spacing of event-triggered polls: a streaming write fires many events. */
const HINT_SPACING_MS = 50;
const STATUS_HEARTBEAT_MS = 5_000;
const CLAUDE_JSON_DEGRADED =
  '~/.claude.json has not read valid for 10 minutes (torn or reset); transcripts still tracked';

export class TrackerLoop {
  private stopping: string | null = null;
  private stopRequestedMs = 0;
  private wakeSleeper: (() => void) | null = null;
  private hinted = false;
  private hints: WatchHints | null = null;
  private watchersState = 'off';
  private mode: PollMode | 'paused' = 'active';
  private intervalMs: number;
  private polls = 0;
  private lastActivityMs: number | null = null;
  private liveProcesses = 0;
  private consecutiveErrors = 0;
  private errorsTotal = 0;
  private lastError: TrackerLastError | null = null;
  private degraded: string | null = null;
  private lastPollMs: number | null = null;
  private lastPollDurationMs: number | null = null;
  private filesTracked = 0;
  private lastStatusMs = -Infinity;
  private readonly startedWallMs: number;

  constructor(
    private readonly settings: TrackerLoopSettings,
    private readonly parts: TrackerParts,
  ) {
    this.intervalMs = settings.schedule.activeIntervalMs;
    this.startedWallMs = settings.wallMs();
  }

  /** Asks the loop to stop (signal handlers call this); the loop then exits on its own. */
  stop(signal: string): void {
    if (this.stopping !== null) return;
    this.stopping = signal;
    this.stopRequestedMs = this.settings.monoMs();
    this.parts.onEvent({ type: 'stopping', signal });
    this.wake();
  }

  private wake(): void {
    this.hinted = true;
    this.wakeSleeper?.();
  }

  /**
   * A file-system hint: look sooner, except during an error backoff. The pause after a failure
   * holds (reliability §2.10): a full disk or a held ledger is not retried on every event.
   */
  private hint(): void {
    if (this.consecutiveErrors === 0) this.wake();
  }

  /** Runs until `stop`; resolves after the final poll and the WAL checkpoint. */
  async run(): Promise<void> {
    const { settings, parts } = this;
    if (settings.watch !== 'poll' && parts.startHints !== undefined) {
      this.hints = parts.startHints(
        () => this.hint(),
        (reason) => {
          this.watchersState = `off: ${reason}`;
          parts.onEvent({ type: 'watchers', state: this.watchersState });
        },
      );
      this.watchersState = this.hints.state();
      parts.onEvent({ type: 'watchers', state: this.watchersState });
    } else {
      this.watchersState = settings.watch === 'poll' ? 'off: --watch poll' : 'off';
    }
    this.publishStatus(true);
    await this.catchUp();
    while (this.stopping === null) {
      const waitMs = await this.pollGuarded();
      if (this.stopping !== null) break;
      await this.sleep(waitMs);
    }
    await this.shutdown();
  }

  private async catchUp(): Promise<void> {
    const executor = this.parts.catchUpExecutor;
    try {
      // Rows recorded before this start are history; the catch-up below is summarised, not listed.
      this.parts.poll.skipPrinted();
      const report = await this.parts.poll.poll({
        ...(executor === undefined ? {} : { executor: executor.executor }),
        shouldStop: () => this.pastDeadline(),
        fullListing: true,
      });
      this.afterPoll(report);
      this.publishStatus(true); // status shows the first poll at once, not a heartbeat later
      this.parts.onEvent({ type: 'catch-up', report, changesSummarised: report.changes.length });
    } catch (error) {
      this.onError(error);
    } finally {
      await executor?.close();
    }
  }

  /** One poll with the error policy; returns how long to wait before the next one. */
  private async pollGuarded(): Promise<number> {
    const hinted = this.hinted;
    this.hinted = false;
    try {
      const report = await this.parts.poll.poll({
        shouldStop: () => this.pastDeadline(),
        hinted,
        eventsOn: this.watchersState === 'on',
      });
      this.afterPoll(report);
      const intervalMs = this.nextInterval();
      this.parts.onEvent({ type: 'poll', report, mode: this.mode as PollMode, intervalMs });
      return intervalMs;
    } catch (error) {
      return this.onError(error);
    }
  }

  private afterPoll(report: PollReport): void {
    this.polls++;
    this.lastPollMs = this.settings.wallMs();
    this.lastPollDurationMs = report.durationMs;
    this.filesTracked = report.filesSeen;
    this.liveProcesses = report.liveProcesses;
    if (report.activity) this.lastActivityMs = this.settings.monoMs();
    if (this.consecutiveErrors > 0) {
      this.parts.onEvent({ type: 'recovered', afterErrors: this.consecutiveErrors });
      this.consecutiveErrors = 0;
      this.degraded = null;
      this.publishStatus(true);
    }
    const claudeJsonDegraded = report.claudeJsonDegraded
      ? CLAUDE_JSON_DEGRADED
      : this.degraded === CLAUDE_JSON_DEGRADED
        ? null
        : this.degraded;
    if (claudeJsonDegraded !== this.degraded) {
      this.degraded = claudeJsonDegraded;
      this.publishStatus(true);
    }
    if (this.polls % 20 === 0) this.hints?.retryMissing();
    this.publishStatus(false);
  }

  private nextInterval(): number {
    const mode = pollModeOf(this.settings.schedule, {
      nowMs: this.settings.monoMs(),
      lastActivityMs: this.lastActivityMs,
      liveSessions: this.liveProcesses,
    });
    let intervalMs = intervalOf(this.settings.schedule, mode);
    if (this.settings.watch === 'events' && this.watchersState === 'on')
      intervalMs = this.settings.reconcileIntervalMs;
    if (mode !== this.mode || intervalMs !== this.intervalMs) {
      this.mode = mode;
      this.intervalMs = intervalMs;
      this.parts.onEvent({ type: 'mode', mode, intervalMs });
      this.publishStatus(true);
    }
    return intervalMs;
  }

  private onError(error: unknown): number {
    const errorClass = classifyError(error);
    const message = error instanceof Error ? error.message : String(error);
    if (errorClass === 'corrupt') {
      // Continuing could write into a damaged file: stop, keep every source untouched.
      this.degraded = `ledger damaged: ${message}`;
      this.publishStatus(true);
      throw error instanceof LedgerCorruptError ? error : new LedgerCorruptError(message);
    }
    this.consecutiveErrors++;
    this.errorsTotal++;
    this.hinted = false; // a hint seen during the failed poll does not shorten the backoff
    this.lastError = { timeMs: this.settings.wallMs(), errorClass, message };
    const retryInMs = backoffMs(errorClass, this.consecutiveErrors);
    if (errorClass === 'storage-full') {
      this.degraded = 'storage full: polling paused, nothing lost';
      this.mode = 'paused';
    }
    this.parts.onEvent({
      type: 'error',
      errorClass,
      message,
      consecutive: this.consecutiveErrors,
      retryInMs,
    });
    this.publishStatus(true);
    return retryInMs;
  }

  private pastDeadline(): boolean {
    // Leave a second and a half of the deadline for the final poll and the checkpoint.
    return (
      this.stopping !== null &&
      this.settings.monoMs() - this.stopRequestedMs > this.settings.shutdownDeadlineMs - 1_500
    );
  }

  private async sleep(ms: number): Promise<void> {
    const spacing = this.settings.watch === 'poll' ? ms : Math.min(ms, HINT_SPACING_MS);
    const startMs = this.settings.monoMs();
    // Wait at least `spacing` even when hinted, so a burst of events is one poll.
    await new Promise<void>((resolve) => setTimeout(resolve, spacing));
    const remainingMs = ms - (this.settings.monoMs() - startMs);
    if (this.hinted || this.stopping !== null || remainingMs <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, remainingMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = done;
    });
    this.wakeSleeper = null;
  }

  private async shutdown(): Promise<void> {
    const { parts } = this;
    this.hints?.close();
    this.mode = 'paused';
    this.publishStatus(true, 'stopping');
    try {
      // The final poll: whatever arrived since the last one, and every pending session end.
      const report = await parts.poll.poll({
        shouldStop: () => this.pastDeadline(),
        flushSessions: true,
        fullListing: true,
      });
      this.afterPoll(report);
      parts.onEvent({ type: 'poll', report, mode: 'idle', intervalMs: 0 });
    } catch (error) {
      if (classifyError(error) === 'corrupt') throw error;
      this.onError(error); // reported; every committed row stays committed
    }
    this.publishStatus(true, 'stopping'); // the last report: final poll counted
    try {
      parts.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Busy (a reader): the WAL is checkpointed by the next writer; nothing depends on it.
    }
    parts.onEvent({
      type: 'stopped',
      polls: this.polls,
      shutdownMs: this.settings.monoMs() - this.stopRequestedMs,
    });
  }

  private publishStatus(force: boolean, modeOverride?: TrackerStatus['mode']): void {
    const nowMs = this.settings.monoMs();
    if (!force && nowMs - this.lastStatusMs < STATUS_HEARTBEAT_MS) return;
    this.lastStatusMs = nowMs;
    try {
      this.parts.writeStatus({
        pid: process.pid,
        startedMs: this.startedWallMs,
        version: this.settings.version,
        watch: this.settings.watch,
        watchers: this.watchersState,
        activeIntervalMs: this.settings.schedule.activeIntervalMs,
        idleIntervalMs: this.settings.schedule.idleIntervalMs,
        mode: modeOverride ?? this.mode,
        currentIntervalMs: this.intervalMs,
        lastPollMs: this.lastPollMs,
        lastPollDurationMs: this.lastPollDurationMs,
        polls: this.polls,
        filesTracked: this.filesTracked,
        consecutiveErrors: this.consecutiveErrors,
        errorsTotal: this.errorsTotal,
        lastError: this.lastError,
        degraded: this.degraded,
        updatedMs: this.settings.wallMs(),
      });
    } catch {
      // The report is diagnostics only; a full disk must not stop the tracker over it.
    }
  }
}
