/**
 * Claude Code hook events (`hook_event`): `ctt hook` inserts one row per hook run and returns at
 * once; the tracker loop picks up the pending rows (a session started or ended, a turn finished:
 * rescan now) and marks them processed in the same transaction as what it recorded from them.
 */
import type { Ledger } from './database.js';

export interface HookEventRecord {
  /** When `ctt hook` received it (epoch ms). */
  readonly receivedMs: number;
  /** Claude Code's event name: `SessionStart`, `SessionEnd`, `Stop`, `SubagentStop`, … */
  readonly event: string;
  readonly sessionId: string | null;
  readonly cwd: string | null;
  readonly transcriptPath: string | null;
  /** Short facts only (`source`, `reason`, `model`, `agent_type`); never prompts or messages. */
  readonly detail: Readonly<Record<string, string>> | null;
}

export interface HookEvent extends HookEventRecord {
  readonly id: number;
  /** When the tracker handled it; null while pending. */
  readonly processedMs: number | null;
}

interface HookEventRow {
  id: number;
  received_ms: number;
  event: string;
  session_id: string | null;
  cwd: string | null;
  transcript_path: string | null;
  detail: string | null;
  processed_ms: number | null;
}

function parseDetail(text: string | null): Readonly<Record<string, string>> | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    const entries = Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    );
    return Object.fromEntries(entries);
  } catch {
    return null; // a damaged detail must not stop the tracker from handling the event
  }
}

function hookEventFromRow(row: HookEventRow): HookEvent {
  return {
    id: row.id,
    receivedMs: row.received_ms,
    event: row.event,
    sessionId: row.session_id,
    cwd: row.cwd,
    transcriptPath: row.transcript_path,
    detail: parseDetail(row.detail),
    processedMs: row.processed_ms,
  };
}

/** Records one hook event; returns its id. One statement: atomic without a transaction. */
export function insertHookEvent(db: Ledger, record: HookEventRecord): number {
  const info = db
    .prepare(
      `INSERT INTO hook_event (received_ms, event, session_id, cwd, transcript_path, detail)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(
      record.receivedMs,
      record.event,
      record.sessionId,
      record.cwd,
      record.transcriptPath,
      record.detail === null ? null : JSON.stringify(record.detail),
    );
  return Number(info.lastInsertRowid);
}

/** Events not yet processed, oldest first (through the `processed_ms` index), at most `limit`. */
export function pendingHookEvents(db: Ledger, limit = 1000): HookEvent[] {
  const rows = db
    .prepare('SELECT * FROM hook_event WHERE processed_ms IS NULL ORDER BY id LIMIT ?')
    .all(limit) as HookEventRow[];
  return rows.map(hookEventFromRow);
}

/**
 * Marks `ids` processed at `nowMs`; an id already processed keeps its first time. Returns how
 * many were newly marked. Call it inside the transaction that records what the events caused,
 * so a crash between the two neither loses nor repeats an event.
 */
export function markHookEventsProcessed(db: Ledger, ids: readonly number[], nowMs: number): number {
  const statement = db.prepare(
    'UPDATE hook_event SET processed_ms = ? WHERE id = ? AND processed_ms IS NULL',
  );
  const markAll = db.transaction((list: readonly number[]) => {
    let marked = 0;
    for (const id of list) marked += statement.run(nowMs, id).changes;
    return marked;
  });
  return markAll(ids);
}

/** Every hook event with its state, newest last (for tests and diagnostics). */
export function allHookEvents(db: Ledger): HookEvent[] {
  const rows = db.prepare('SELECT * FROM hook_event ORDER BY id').all() as HookEventRow[];
  return rows.map(hookEventFromRow);
}
