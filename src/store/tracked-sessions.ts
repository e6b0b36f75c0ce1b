/**
 * Sessions as the tracker saw them start and end (`tracked_session`). Each start and each end is
 * written together with its `change_event` row in one transaction, and an end only when the row is
 * still open: an end is recorded once, even when several signals (process exit, Claude Code's
 * save, a hook) report it, and across tracker restarts.
 */
import type { ChangeLog } from './change-log.js';
import { type ChangeSource } from './change-log.js';
import type { Ledger } from './database.js';

export interface TrackedSession {
  readonly sessionId: string;
  readonly project: string | null;
  readonly startedMs: number;
  readonly startSource: string;
  readonly pid: number | null;
  readonly lastActivityMs: number | null;
  readonly endedMs: number | null;
  readonly endReason: string | null;
  readonly runs: number;
}

interface SessionRow {
  session_id: string;
  project: string | null;
  started_ms: number;
  start_source: string;
  pid: number | null;
  last_activity_ms: number | null;
  ended_ms: number | null;
  end_reason: string | null;
  runs: number;
}

function fromRow(row: SessionRow): TrackedSession {
  return {
    sessionId: row.session_id,
    project: row.project,
    startedMs: row.started_ms,
    startSource: row.start_source,
    pid: row.pid,
    lastActivityMs: row.last_activity_ms,
    endedMs: row.ended_ms,
    endReason: row.end_reason,
    runs: row.runs,
  };
}

export function loadOpenSessions(db: Ledger): TrackedSession[] {
  const rows = db
    .prepare('SELECT * FROM tracked_session WHERE ended_ms IS NULL ORDER BY started_ms')
    .all() as SessionRow[];
  return rows.map(fromRow);
}

export function findSession(db: Ledger, sessionId: string): TrackedSession | undefined {
  const row = db.prepare('SELECT * FROM tracked_session WHERE session_id = ?').get(sessionId) as
    | SessionRow
    | undefined;
  return row === undefined ? undefined : fromRow(row);
}

export interface SessionStart {
  readonly sessionId: string;
  readonly project: string | null;
  readonly source: ChangeSource;
  readonly pid: number | null;
  readonly nowMs: number;
  /** Latest known activity (a response's time), when the start is seen from the ledger. */
  readonly lastActivityMs: number | null;
}

/**
 * Opens a session (or reopens an ended one: a resume) and records `session-start`. Returns the
 * change row id, or null when it was already open.
 */
export function startSession(db: Ledger, log: ChangeLog, start: SessionStart): number | null {
  return db
    .transaction((): number | null => {
      const existing = findSession(db, start.sessionId);
      if (existing !== undefined && existing.endedMs === null) return null;
      if (existing === undefined) {
        db.prepare(
          `INSERT INTO tracked_session (session_id, project, started_ms, start_source, pid, last_activity_ms)
           VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(
          start.sessionId,
          start.project,
          start.nowMs,
          start.source,
          start.pid,
          start.lastActivityMs,
        );
      } else {
        db.prepare(
          `UPDATE tracked_session SET started_ms = ?, start_source = ?, pid = ?, last_activity_ms = ?,
             ended_ms = NULL, end_reason = NULL, end_totals = NULL, runs = runs + 1,
             project = coalesce(?, project)
           WHERE session_id = ?`,
        ).run(
          start.nowMs,
          start.source,
          start.pid,
          start.lastActivityMs,
          start.project,
          start.sessionId,
        );
      }
      const runs = existing === undefined ? 1 : existing.runs + 1;
      return log.insert({
        timeMs: start.nowMs,
        source: start.source,
        kind: 'session-start',
        project: start.project ?? existing?.project ?? null,
        sessionId: start.sessionId,
        delta: {},
        detail: { run: runs, ...(start.pid === null ? {} : { pid: start.pid }) },
      });
    })
    .immediate();
}

/** Remembers the latest activity (and the process, once known) of open sessions. */
export function touchSession(
  db: Ledger,
  sessionId: string,
  lastActivityMs: number | null,
  pid: number | null,
): void {
  db.prepare(
    `UPDATE tracked_session SET last_activity_ms = max(coalesce(last_activity_ms, 0), coalesce(?, 0)),
       pid = coalesce(?, pid)
     WHERE session_id = ? AND ended_ms IS NULL`,
  ).run(lastActivityMs, pid, sessionId);
}

export interface UsageTotals {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationTokens: number;
  readonly cacheReadTokens: number;
  readonly costUsd: number;
  readonly webSearchRequests: number;
}

export interface LedgerSessionTotals extends UsageTotals {
  readonly responses: number;
}

export function ledgerTotalsOfSession(db: Ledger, sessionId: string): LedgerSessionTotals {
  return db
    .prepare(
      `SELECT coalesce(sum(responses), 0) AS responses, coalesce(sum(input_tokens), 0) AS inputTokens,
         coalesce(sum(output_tokens), 0) AS outputTokens,
         coalesce(sum(cache_creation_tokens), 0) AS cacheCreationTokens,
         coalesce(sum(cache_read_tokens), 0) AS cacheReadTokens, total(cost_auto) AS costUsd,
         coalesce(sum(web_search_requests), 0) AS webSearchRequests
       FROM usage_rollup WHERE session_id = ?`,
    )
    .get(sessionId) as LedgerSessionTotals;
}

/** Time of the session's newest response in the ledger (null: none). */
export function latestResponseMs(db: Ledger, sessionId: string): number | null {
  const row = db
    .prepare('SELECT max(ts_ms) AS ms FROM response WHERE session_id = ?')
    .get(sessionId) as {
    ms: number | null;
  };
  return row.ms;
}

export interface ClaudeCodeTotals extends Partial<UsageTotals> {
  readonly source: 'claude-json' | 'cost-state';
  readonly linesAdded?: number;
  readonly linesRemoved?: number;
}

const MARK_FIELDS: Readonly<Record<string, keyof ClaudeCodeTotals>> = {
  inputTokens: 'inputTokens',
  outputTokens: 'outputTokens',
  cacheCreationTokens: 'cacheCreationTokens',
  cacheReadTokens: 'cacheReadTokens',
  costUsd: 'costUsd',
  webSearchRequests: 'webSearchRequests',
  linesAdded: 'linesAdded',
  linesRemoved: 'linesRemoved',
};

/**
 * Claude Code's own totals of a session: its `~/.claude.json` high-water marks for that session
 * id when it was saved there, else its newest `cost-state` line. Null when Claude Code saved none.
 */
export function claudeCodeTotalsOfSession(db: Ledger, sessionId: string): ClaudeCodeTotals | null {
  const marks = db
    .prepare(
      `SELECT key, max(value) AS value FROM claude_json_mark WHERE session_id = ? AND key NOT LIKE 'model:%'
       GROUP BY key`,
    )
    .all(sessionId) as { key: string; value: number }[];
  const fromMarks: Record<string, number> = {};
  for (const { key, value } of marks) {
    const field = MARK_FIELDS[key];
    if (field !== undefined) fromMarks[field] = value;
  }
  if (Object.keys(fromMarks).length > 0) return { source: 'claude-json', ...fromMarks };
  const row = db
    .prepare(
      `SELECT total_cost_usd, lines_added, lines_removed, input_tokens, output_tokens,
         cache_creation_tokens, cache_read_tokens, web_search_requests
       FROM cost_state WHERE session_id = ? ORDER BY rowid DESC LIMIT 1`,
    )
    .get(sessionId) as Record<string, number | null> | undefined;
  if (row === undefined) return null;
  const totals: Record<string, number> = {};
  const columns: [string, keyof ClaudeCodeTotals][] = [
    ['total_cost_usd', 'costUsd'],
    ['lines_added', 'linesAdded'],
    ['lines_removed', 'linesRemoved'],
    ['input_tokens', 'inputTokens'],
    ['output_tokens', 'outputTokens'],
    ['cache_creation_tokens', 'cacheCreationTokens'],
    ['cache_read_tokens', 'cacheReadTokens'],
    ['web_search_requests', 'webSearchRequests'],
  ];
  for (const [column, field] of columns) {
    const value = row[column];
    if (typeof value === 'number') totals[field] = value;
  }
  return { source: 'cost-state', ...totals };
}

export interface EndTotals {
  readonly ledger: LedgerSessionTotals;
  readonly claudeCode: ClaudeCodeTotals | null;
  /** Ledger minus Claude Code, for every field both hold (Claude Code also counts auxiliary calls). */
  readonly difference: Partial<UsageTotals> | null;
}

export function endTotalsOf(db: Ledger, sessionId: string): EndTotals {
  const ledger = ledgerTotalsOfSession(db, sessionId);
  const claudeCode = claudeCodeTotalsOfSession(db, sessionId);
  if (claudeCode === null) return { ledger, claudeCode, difference: null };
  const difference: Record<string, number> = {};
  for (const field of [
    'inputTokens',
    'outputTokens',
    'cacheCreationTokens',
    'cacheReadTokens',
    'costUsd',
    'webSearchRequests',
  ] as const) {
    const theirs = claudeCode[field];
    if (theirs !== undefined) difference[field] = ledger[field] - theirs;
  }
  return { ledger, claudeCode, difference };
}

export interface SessionEnd {
  readonly sessionId: string;
  readonly reason: string;
  readonly source: ChangeSource;
  readonly nowMs: number;
}

/** Records the end of an open session once; returns the change row id, or null if not open. */
export function endSession(db: Ledger, log: ChangeLog, end: SessionEnd): number | null {
  return db
    .transaction((): number | null => {
      const existing = findSession(db, end.sessionId);
      if (existing === undefined || existing.endedMs !== null) return null;
      const totals = endTotalsOf(db, end.sessionId);
      db.prepare(
        `UPDATE tracked_session SET ended_ms = ?, end_reason = ?, end_totals = ? WHERE session_id = ?`,
      ).run(end.nowMs, end.reason, JSON.stringify(totals), end.sessionId);
      return log.insert({
        timeMs: end.nowMs,
        source: end.source,
        kind: 'session-end',
        project: existing.project,
        sessionId: end.sessionId,
        delta: {},
        detail: { reason: end.reason, run: existing.runs, ...totals },
      });
    })
    .immediate();
}

/**
 * Claude Code saved its totals after the end was recorded (its save can trail its exit): the
 * ended session's stored totals take them in; no second end is recorded.
 */
export function refreshEndTotals(db: Ledger, sessionId: string): void {
  const existing = findSession(db, sessionId);
  if (existing === undefined || existing.endedMs === null) return;
  db.prepare('UPDATE tracked_session SET end_totals = ? WHERE session_id = ?').run(
    JSON.stringify(endTotalsOf(db, sessionId)),
    sessionId,
  );
}

export function readMetaNumber(db: Ledger, key: string): number | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
    | { value: string }
    | undefined;
  if (row === undefined) return null;
  const n = Number(row.value);
  return Number.isFinite(n) ? n : null;
}

export function writeMetaNumber(db: Ledger, key: string, value: number): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, String(value));
}
