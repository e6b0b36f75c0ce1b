/**
 * The audit trail (`change_event`): one row per recorded change, written in the same transaction
 * as the state it describes (response rows and offsets, `~/.claude.json` marks, session rows), so
 * a change is recorded exactly once across crashes and restarts. Usage metadata only.
 */
import type { Ledger } from './database.js';

/** Where a change was seen. */
export type ChangeSource = 'transcript' | 'claude-json' | 'hook' | 'process' | 'tracker';

/** The deltas of one change; every field defaults to 0 when the change did not move it. */
export interface ChangeDelta {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationTokens: number;
  readonly cacheReadTokens: number;
  readonly costUsd: number;
  readonly linesAdded: number;
  readonly linesRemoved: number;
  readonly webSearchRequests: number;
}

export const ZERO_DELTA: ChangeDelta = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationTokens: 0,
  cacheReadTokens: 0,
  costUsd: 0,
  linesAdded: 0,
  linesRemoved: 0,
  webSearchRequests: 0,
});

export interface ChangeRecord {
  /** Wall clock of the recording (epoch ms). */
  readonly timeMs: number;
  readonly source: ChangeSource;
  /**
   * `usage` (transcript responses), `session-start`, `session-end`, `session-saved`,
   * `session-resumed`, `updated` (claude-json counters), `anomaly-<kind>`, …
   */
  readonly kind: string;
  /** Transcript: the responses' cwd; claude-json: the `projects` key. */
  readonly project: string | null;
  readonly sessionId: string | null;
  readonly delta: Partial<ChangeDelta>;
  /** Kind-specific facts, stored as JSON (per-model deltas, durations, totals at an end, …). */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Prepared once per connection; call `insert` inside the caller's transaction. */
export class ChangeLog {
  private readonly statement;

  constructor(db: Ledger) {
    this.statement = db.prepare(
      `INSERT INTO change_event (time_ms, source, kind, project, session_id, input_tokens,
         output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, lines_added,
         lines_removed, web_search_requests, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Returns the new row id (the trail's order). */
  insert(record: ChangeRecord): number {
    const d = { ...ZERO_DELTA, ...record.delta };
    const info = this.statement.run(
      record.timeMs,
      record.source,
      record.kind,
      record.project,
      record.sessionId,
      d.inputTokens,
      d.outputTokens,
      d.cacheCreationTokens,
      d.cacheReadTokens,
      d.costUsd,
      d.linesAdded,
      d.linesRemoved,
      d.webSearchRequests,
      record.detail === undefined ? null : JSON.stringify(record.detail),
    );
    return Number(info.lastInsertRowid);
  }
}

/** A stored change as read back (`id` orders the trail). */
export interface StoredChange extends ChangeRecord {
  readonly id: number;
  readonly delta: ChangeDelta;
}

interface ChangeRow {
  id: number;
  time_ms: number;
  source: ChangeSource;
  kind: string;
  project: string | null;
  session_id: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_creation_tokens: number;
  cache_read_tokens: number;
  cost_usd: number;
  lines_added: number;
  lines_removed: number;
  web_search_requests: number;
  detail: string | null;
}

export function changeFromRow(row: ChangeRow): StoredChange {
  const detail =
    row.detail === null ? undefined : (JSON.parse(row.detail) as Record<string, unknown>);
  return {
    id: row.id,
    timeMs: row.time_ms,
    source: row.source,
    kind: row.kind,
    project: row.project,
    sessionId: row.session_id,
    delta: {
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      cacheCreationTokens: row.cache_creation_tokens,
      cacheReadTokens: row.cache_read_tokens,
      costUsd: row.cost_usd,
      linesAdded: row.lines_added,
      linesRemoved: row.lines_removed,
      webSearchRequests: row.web_search_requests,
    },
    ...(detail === undefined ? {} : { detail }),
  };
}

/** Changes recorded after row `afterId`, oldest first (the tracker's printer follows these). */
export function changesAfter(db: Ledger, afterId: number, limit = 10_000): StoredChange[] {
  const rows = db
    .prepare('SELECT * FROM change_event WHERE id > ? ORDER BY id LIMIT ?')
    .all(afterId, limit) as ChangeRow[];
  return rows.map(changeFromRow);
}

export function lastChangeId(db: Ledger): number {
  const row = db.prepare('SELECT max(id) AS id FROM change_event').get() as { id: number | null };
  return row.id ?? 0;
}
