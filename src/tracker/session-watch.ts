/**
 * Sessions from start to end. A session starts with its first responses in the ledger, its
 * Claude Code process file, or a SessionStart hook; it ends with Claude Code's save of its totals
 * (`~/.claude.json` or a `cost-state` line), its process file disappearing or its pid dying, a
 * SessionEnd hook, or an idle timeout. An end waits a short settle time first (Claude Code's save
 * and the last transcript lines can trail the signal), then is recorded once with the ledger's
 * totals beside Claude Code's own.
 */
import { scanProcessFiles, type ProcessFile } from '../sources/claude-code/process-files.js';
import type { ChangeLog, ChangeSource } from '../store/change-log.js';
import type { Ledger } from '../store/database.js';
import {
  endSession,
  findSession,
  latestResponseMs,
  loadOpenSessions,
  readMetaNumber,
  refreshEndTotals,
  startSession,
  touchSession,
  writeMetaNumber,
  type TrackedSession,
} from '../store/tracked-sessions.js';

export interface SessionWatchSettings {
  readonly configDirs: readonly string[];
  /** An open session without a live process and without activity this long has ended. */
  readonly idleTimeoutMs: number;
  /** Wait between an end signal and recording the end. */
  readonly settleMs: number;
}

export const DEFAULT_SESSION_IDLE_TIMEOUT_MS = 30 * 60_000;
export const DEFAULT_SESSION_SETTLE_MS = 3_000;

/** A claude-json change the tracker just recorded (a save of session totals). */
export interface SavedSession {
  readonly sessionId: string;
  readonly project: string | null;
}

export interface HookSignal {
  readonly event: string;
  readonly sessionId: string | null;
  readonly cwd: string | null;
  readonly reason: string | null;
}

export interface SessionStepInput {
  readonly wallMs: number;
  readonly monoMs: number;
  readonly saved: readonly SavedSession[];
  readonly hooks: readonly HookSignal[];
  /** Record every pending end now (shutdown). */
  readonly flush?: boolean;
}

export interface SessionStepResult {
  readonly liveProcesses: number;
  readonly openSessions: number;
  /** Something started, ended or showed activity. */
  readonly active: boolean;
}

export type ProcessAlive = (pid: number) => boolean;

export const processAlive: ProcessAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM'; // alive, owned by someone else
  }
};

const CHANGE_WATERMARK = 'tracker.sessions.change_id';
const COST_STATE_WATERMARK = 'tracker.sessions.cost_state_rowid';

interface PendingEnd {
  readonly reason: string;
  readonly source: ChangeSource;
  readonly dueMonoMs: number;
}

export class SessionWatch {
  private readonly processes = new Map<number, ProcessFile>();
  private readonly pending = new Map<string, PendingEnd>();
  private firstStep = true;

  constructor(
    private readonly db: Ledger,
    private readonly log: ChangeLog,
    private readonly settings: SessionWatchSettings,
    private readonly alive: ProcessAlive = processAlive,
    private readonly scan: (dirs: readonly string[]) => ProcessFile[] = (dirs) =>
      scanProcessFiles(dirs).files,
  ) {}

  step(input: SessionStepInput): SessionStepResult {
    let active = false;
    const live = this.scan(this.settings.configDirs).filter((file) => this.alive(file.pid));
    const open = new Map(loadOpenSessions(this.db).map((s) => [s.sessionId, s]));
    active = this.followProcesses(live, open, input) || active;
    active = this.followTranscripts(input) || active;
    active = this.followCostStates(input) || active;
    for (const saved of input.saved) active = this.onSaved(saved, input) || active;
    for (const hook of input.hooks) active = this.onHook(hook, input) || active;
    this.endIdle(input, new Set(live.map((file) => file.sessionId)), open);
    for (const [sessionId, end] of this.pending) {
      if (input.flush !== true && end.dueMonoMs > input.monoMs) continue;
      this.pending.delete(sessionId);
      if (endSession(this.db, this.log, { sessionId, ...end, nowMs: input.wallMs }) !== null)
        active = true;
    }
    this.firstStep = false;
    const openSessions = active ? loadOpenSessions(this.db).length : open.size;
    return { liveProcesses: live.length, openSessions, active };
  }

  private scheduleEnd(
    sessionId: string,
    reason: string,
    source: ChangeSource,
    input: SessionStepInput,
  ): void {
    if (this.pending.has(sessionId)) return;
    this.pending.set(sessionId, {
      reason,
      source,
      dueMonoMs: input.monoMs + this.settings.settleMs,
    });
  }

  private followProcesses(
    live: readonly ProcessFile[],
    open: ReadonlyMap<string, TrackedSession>,
    input: SessionStepInput,
  ): boolean {
    let active = false;
    const nowLive = new Map(live.map((file) => [file.pid, file]));
    for (const file of live) {
      const before = this.processes.get(file.pid);
      if (before !== undefined && before.sessionId !== file.sessionId) {
        this.scheduleEnd(before.sessionId, 'switched', 'process', input); // /clear, /resume
      }
      this.pending.delete(file.sessionId);
      const known = open.get(file.sessionId);
      if (known !== undefined) {
        // Already open (seen from its responses or a hook): remember its process once.
        if (known.pid !== file.pid) touchSession(this.db, file.sessionId, null, file.pid);
        continue;
      }
      const started = startSession(this.db, this.log, {
        sessionId: file.sessionId,
        project: file.cwd,
        source: 'process',
        pid: file.pid,
        nowMs: input.wallMs,
        lastActivityMs: null,
      });
      if (started !== null) active = true;
    }
    for (const [pid, file] of this.processes) {
      if (!nowLive.has(pid)) this.scheduleEnd(file.sessionId, 'process-exit', 'process', input);
    }
    if (this.firstStep) {
      // Sessions left open by an earlier run whose process is gone ended while we were away.
      for (const session of loadOpenSessions(this.db)) {
        if (
          session.pid !== null &&
          !nowLive.has(session.pid) &&
          !live.some((f) => f.sessionId === session.sessionId)
        )
          this.scheduleEnd(session.sessionId, 'process-exit', 'process', input);
      }
    }
    this.processes.clear();
    for (const [pid, file] of nowLive) this.processes.set(pid, file);
    return active;
  }

  /**
   * Sessions with new responses: opened when their newest response is recent, else history.
   * Only `usage` rows count: this watch's own session rows also have the transcript source (a
   * start seen from responses, a `cost-state` end), and reading an end as activity reopened it.
   */
  private followTranscripts(input: SessionStepInput): boolean {
    const after = readMetaNumber(this.db, CHANGE_WATERMARK) ?? 0;
    const rows = this.db
      .prepare(
        `SELECT session_id AS sessionId, max(project) AS project, max(id) AS lastId FROM change_event
         WHERE id > ? AND source = 'transcript' AND kind = 'usage' AND session_id IS NOT NULL
           AND session_id != ''
         GROUP BY session_id`,
      )
      .all(after) as { sessionId: string; project: string | null; lastId: number }[];
    if (rows.length === 0) return false;
    let active = false;
    for (const row of rows) {
      const latestMs = latestResponseMs(this.db, row.sessionId);
      const open = findSession(this.db, row.sessionId);
      if (open !== undefined && open.endedMs === null) {
        touchSession(this.db, row.sessionId, latestMs, null);
        active = true;
        continue;
      }
      if (latestMs === null || input.wallMs - latestMs >= this.settings.idleTimeoutMs) continue;
      startSession(this.db, this.log, {
        sessionId: row.sessionId,
        project: row.project,
        source: 'transcript',
        pid: null,
        nowMs: input.wallMs,
        lastActivityMs: latestMs,
      });
      active = true;
    }
    writeMetaNumber(this.db, CHANGE_WATERMARK, Math.max(...rows.map((row) => row.lastId)));
    return active;
  }

  private followCostStates(input: SessionStepInput): boolean {
    const after = readMetaNumber(this.db, COST_STATE_WATERMARK) ?? 0;
    const rows = this.db
      .prepare(
        `SELECT rowid AS rowId, session_id AS sessionId FROM cost_state WHERE rowid > ? ORDER BY rowid`,
      )
      .all(after) as { rowId: number; sessionId: string | null }[];
    if (rows.length === 0) return false;
    for (const { sessionId } of rows) {
      if (sessionId === null) continue;
      const session = findSession(this.db, sessionId);
      if (session?.endedMs === null) this.scheduleEnd(sessionId, 'cost-state', 'transcript', input);
      else if (session !== undefined) refreshEndTotals(this.db, sessionId);
    }
    writeMetaNumber(this.db, COST_STATE_WATERMARK, rows[rows.length - 1]?.rowId ?? after);
    return true;
  }

  private onSaved(saved: SavedSession, input: SessionStepInput): boolean {
    const session = findSession(this.db, saved.sessionId);
    if (session !== undefined && session.endedMs !== null) {
      refreshEndTotals(this.db, saved.sessionId);
      return false;
    }
    if (session === undefined) {
      // Saved without ever being seen running (no responses, no process file): still an end.
      startSession(this.db, this.log, {
        sessionId: saved.sessionId,
        project: saved.project,
        source: 'claude-json',
        pid: null,
        nowMs: input.wallMs,
        lastActivityMs: null,
      });
    }
    this.scheduleEnd(saved.sessionId, 'saved', 'claude-json', input);
    return true;
  }

  private onHook(hook: HookSignal, input: SessionStepInput): boolean {
    if (hook.sessionId === null) return true;
    if (hook.event === 'SessionStart') {
      startSession(this.db, this.log, {
        sessionId: hook.sessionId,
        project: hook.cwd,
        source: 'hook',
        pid: null,
        nowMs: input.wallMs,
        lastActivityMs: null,
      });
      this.pending.delete(hook.sessionId);
    } else if (hook.event === 'SessionEnd') {
      const session = findSession(this.db, hook.sessionId);
      if (session?.endedMs === null)
        this.scheduleEnd(hook.sessionId, `hook:${hook.reason ?? 'other'}`, 'hook', input);
    }
    return true;
  }

  private endIdle(
    input: SessionStepInput,
    liveSessions: ReadonlySet<string>,
    open: ReadonlyMap<string, TrackedSession>,
  ): void {
    for (const session of open.values()) {
      if (liveSessions.has(session.sessionId) || this.pending.has(session.sessionId)) continue;
      const lastMs = session.lastActivityMs ?? session.startedMs;
      if (input.wallMs - lastMs >= this.settings.idleTimeoutMs)
        this.pending.set(session.sessionId, {
          reason: 'idle',
          source: 'tracker',
          dueMonoMs: input.monoMs,
        });
    }
  }
}
