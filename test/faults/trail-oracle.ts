/**
 * Reads what a ledger holds per byte offset, per session and in its audit trail, to compare with
 * a transcript writer's truth: every usage line committed exactly once at its offset, every
 * corrupt line quarantined at its offset, each session's tokens in `response` and summed over its
 * trail `usage` rows, and sessions that start and end in proper runs.
 */
import Database from 'better-sqlite3';
import type { SessionTruth, WriterTruth } from './transcript-writer.js';

export interface LedgerOffsets {
  /** `path` → sorted byte offsets of the response copies (generation 0 only). */
  readonly copies: Record<string, number[]>;
  readonly quarantine: Record<string, number[]>;
  /** Rows from any generation other than 0 (the writer never truncates: must be 0). */
  readonly otherGenerations: number;
  /** Σ `source_file.lines` and committed bytes per path. */
  readonly lines: number;
  readonly committedBytes: Record<string, number>;
}

type Db = InstanceType<typeof Database>;

function withLedger<T>(path: string, read: (db: Db) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function groupOffsets(rows: readonly { path: string; offset: number }[]): Record<string, number[]> {
  const byPath: Record<string, number[]> = {};
  for (const { path, offset } of rows) (byPath[path] ??= []).push(offset);
  for (const offsets of Object.values(byPath)) offsets.sort((a, b) => a - b);
  return byPath;
}

export function readLedgerOffsets(path: string): LedgerOffsets {
  return withLedger(path, (db) => {
    const offsetsOf = (table: string): { path: string; offset: number; generation: number }[] =>
      db
        .prepare(
          `SELECT f.path AS path, t.byte_offset AS offset, t.generation AS generation
           FROM ${table} t JOIN source_file f ON f.id = t.file_id`,
        )
        .all() as { path: string; offset: number; generation: number }[];
    const copies = offsetsOf('response_copy');
    const quarantine = offsetsOf('quarantine');
    const files = db.prepare('SELECT path, byte_offset AS bytes, lines FROM source_file').all() as {
      path: string;
      bytes: number;
      lines: number;
    }[];
    return {
      copies: groupOffsets(copies.filter((row) => row.generation === 0)),
      quarantine: groupOffsets(quarantine.filter((row) => row.generation === 0)),
      otherGenerations: [...copies, ...quarantine].filter((row) => row.generation !== 0).length,
      lines: files.reduce((sum, file) => sum + file.lines, 0),
      committedBytes: Object.fromEntries(files.map((file) => [file.path, file.bytes])),
    };
  });
}

/** The writer's offsets in the same shape (files without such lines left out). */
export function truthOffsets(truth: WriterTruth): {
  copies: Record<string, number[]>;
  quarantine: Record<string, number[]>;
} {
  const copies: Record<string, number[]> = {};
  const quarantine: Record<string, number[]> = {};
  for (const [path, file] of Object.entries(truth.files)) {
    if (file.usageOffsets.length > 0) copies[path] = [...file.usageOffsets];
    if (file.corruptOffsets.length > 0) quarantine[path] = [...file.corruptOffsets];
  }
  return { copies, quarantine };
}

const SESSION_SUMS = `count(*) AS responses, sum(input_tokens) AS inputTokens,
  sum(output_tokens) AS outputTokens, sum(cache_creation_tokens) AS cacheCreationTokens,
  sum(cache_creation_1h_tokens) AS cacheCreation1hTokens, sum(cache_read_tokens) AS cacheReadTokens,
  sum(web_search_requests) AS webSearchRequests`;

function bySession(rows: readonly (SessionTruth & { sessionId: string })[]) {
  const sessions: Record<string, SessionTruth> = {};
  for (const { sessionId, ...sums } of rows) sessions[sessionId] = sums;
  return sessions;
}

/** Each session's totals in `response`. */
export function readResponseSessions(path: string): Record<string, SessionTruth> {
  return withLedger(path, (db) =>
    bySession(
      db
        .prepare(
          `SELECT session_id AS sessionId, ${SESSION_SUMS} FROM response GROUP BY session_id`,
        )
        .all() as (SessionTruth & { sessionId: string })[],
    ),
  );
}

/** Each session's transcript `usage` deltas summed over the trail. */
export function readTrailSessions(path: string): Record<string, SessionTruth> {
  return withLedger(path, (db) =>
    bySession(
      db
        .prepare(
          `SELECT session_id AS sessionId,
             sum(json_extract(detail, '$.responses')) AS responses,
             sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
             sum(cache_creation_tokens) AS cacheCreationTokens,
             sum(json_extract(detail, '$.cacheCreation1hTokens')) AS cacheCreation1hTokens,
             sum(cache_read_tokens) AS cacheReadTokens, sum(web_search_requests) AS webSearchRequests
           FROM change_event WHERE source = 'transcript' AND kind = 'usage'
           GROUP BY session_id`,
        )
        .all() as (SessionTruth & { sessionId: string })[],
    ),
  );
}

export interface SessionRunCheck {
  readonly sessions: number;
  readonly starts: number;
  readonly ends: number;
  readonly openSessions: number;
  /** Broken rules, one line each (empty when the trail is exactly once). */
  readonly violations: string[];
}

/**
 * Runs of each session from its `session-start`/`session-end` rows: run k starts once, ends at
 * most once, after its start and before run k+1 starts; `tracked_session` agrees (runs, open).
 */
export function checkSessionRuns(path: string): SessionRunCheck {
  return withLedger(path, (db) => {
    const events = db
      .prepare(
        `SELECT id, kind, session_id AS sessionId, json_extract(detail, '$.run') AS run
         FROM change_event WHERE kind IN ('session-start', 'session-end') ORDER BY id`,
      )
      .all() as { id: number; kind: string; sessionId: string | null; run: number | null }[];
    const tracked = db
      .prepare('SELECT session_id AS sessionId, runs, ended_ms AS endedMs FROM tracked_session')
      .all() as { sessionId: string; runs: number; endedMs: number | null }[];
    const violations: string[] = [];
    const expected = new Map<string, { run: number; open: boolean }>();
    let starts = 0;
    let ends = 0;
    for (const event of events) {
      const sid = event.sessionId ?? '(null)';
      const state = expected.get(sid) ?? { run: 0, open: false };
      if (event.kind === 'session-start') {
        starts++;
        if (state.open || event.run !== state.run + 1)
          violations.push(
            `${sid}: start of run ${event.run} at #${event.id} after run ${state.run}`,
          );
        expected.set(sid, { run: event.run ?? state.run + 1, open: true });
      } else {
        ends++;
        if (!state.open || event.run !== state.run)
          violations.push(
            `${sid}: end of run ${event.run} at #${event.id}, run ${state.run} open=${state.open}`,
          );
        expected.set(sid, { run: state.run, open: false });
      }
    }
    for (const row of tracked) {
      const state = expected.get(row.sessionId);
      if (state === undefined) {
        violations.push(`${row.sessionId}: tracked without a start row`);
        continue;
      }
      if (state.run !== row.runs || state.open !== (row.endedMs === null))
        violations.push(
          `${row.sessionId}: tracked runs=${row.runs} open=${row.endedMs === null}, trail run ${state.run} open=${state.open}`,
        );
      expected.delete(row.sessionId);
    }
    for (const sid of expected.keys()) violations.push(`${sid}: start rows but no tracked_session`);
    return {
      sessions: tracked.length,
      starts,
      ends,
      openSessions: tracked.filter((row) => row.endedMs === null).length,
      violations,
    };
  });
}
