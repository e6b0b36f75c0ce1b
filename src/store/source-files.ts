/**
 * The `source_file` table: one row per transcript identity (device + inode + hash of the first
 * line) with its committed offset. The offset only moves inside `commitSlice`, in the same
 * transaction as the rows it covers; everything here changes identity bookkeeping only.
 */
import type { Statement } from 'better-sqlite3';
import type { Ledger } from './database.js';

export interface SourceFileState {
  readonly id: number;
  readonly dev: string;
  readonly ino: string;
  readonly headHash: string;
  readonly path: string;
  readonly root: string;
  readonly projectDir: string | null;
  readonly generation: number;
  readonly byteOffset: number;
  readonly anchorHash: string | null;
  readonly sizeSeen: number;
  readonly mtimeNs: string | null;
  readonly ctimeNs: string | null;
}

// Aliased to the state's field names, so rows need no per-row conversion (a pass loads them all).
const COLUMNS = `id, dev, ino, head_hash AS headHash, path, root, project_dir AS projectDir, generation,
  byte_offset AS byteOffset, anchor_hash AS anchorHash, size_seen AS sizeSeen, mtime_ns AS mtimeNs,
  ctime_ns AS ctimeNs`;

const statementCache = new WeakMap<Ledger, Map<string, Statement>>();

/** Prepares each SQL text once per connection. */
function statement(db: Ledger, sql: string): Statement {
  let cache = statementCache.get(db);
  if (cache === undefined) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

/** What a pass needs to tell an unchanged file without opening it: the cheap columns only. */
export interface SourceFileStat {
  readonly id: number;
  readonly dev: string;
  readonly ino: string;
  readonly path: string;
  readonly sizeSeen: number;
  readonly mtimeNs: string | null;
  readonly ctimeNs: string | null;
}

/** Every active file's stat columns (building a row's strings is most of a no-change pass). */
export function loadActiveStats(db: Ledger): SourceFileStat[] {
  return statement(
    db,
    `SELECT id, dev, ino, path, size_seen AS sizeSeen, mtime_ns AS mtimeNs, ctime_ns AS ctimeNs
     FROM source_file WHERE state = 'active'`,
  ).all() as SourceFileStat[];
}

export function loadFile(db: Ledger, id: number): SourceFileState | undefined {
  const row = statement(db, `SELECT ${COLUMNS} FROM source_file WHERE id = ?`).get(id) as
    | SourceFileState
    | undefined;
  return row;
}

export interface NewSourceFile {
  readonly dev: string;
  readonly ino: string;
  readonly headHash: string;
  readonly path: string;
  readonly root: string;
  readonly projectDir: string | null;
}

/** Registers a file identity (or revives a known one that came back); returns its state. */
export function registerFile(db: Ledger, file: NewSourceFile, nowMs: number): SourceFileState {
  const row = statement(
    db,
    `INSERT INTO source_file (dev, ino, head_hash, path, root, project_dir, first_seen_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (dev, ino, head_hash) DO UPDATE SET
         state = 'active', path = excluded.path, root = excluded.root, project_dir = excluded.project_dir,
         gone_at_ms = NULL
       RETURNING ${COLUMNS}`,
  ).get(
    file.dev,
    file.ino,
    file.headHash,
    file.path,
    file.root,
    file.projectDir,
    nowMs,
  ) as SourceFileState;
  return row;
}

export function recordIngestEvent(
  db: Ledger,
  kind: string,
  fileId: number | null,
  detail: Record<string, unknown>,
  nowMs: number,
): void {
  statement(db, 'INSERT INTO ingest_event (ts_ms, kind, file_id, detail) VALUES (?, ?, ?, ?)').run(
    nowMs,
    kind,
    fileId,
    JSON.stringify(detail),
  );
}

/** The file now holds different bytes at the committed offset: read it again as a new generation. */
export function startNewGeneration(
  db: Ledger,
  file: SourceFileState,
  kind: 'truncated' | 'rewritten',
  sizeSeen: number,
  nowMs: number,
): void {
  db.transaction(() => {
    // Guarded like a commit: if another process already reset or advanced the file, do nothing.
    const reset = statement(
      db,
      `UPDATE source_file SET generation = generation + 1, byte_offset = 0, anchor_hash = NULL,
         size_seen = 0, mtime_ns = NULL, ctime_ns = NULL
       WHERE id = ? AND generation = ? AND byte_offset = ?`,
    ).run(file.id, file.generation, file.byteOffset);
    if (reset.changes !== 1) return;
    recordIngestEvent(
      db,
      kind,
      file.id,
      { path: file.path, generation: file.generation + 1, offset: file.byteOffset, size: sizeSeen },
      nowMs,
    );
  }).immediate();
}

export function moveFile(
  db: Ledger,
  file: SourceFileState,
  path: string,
  root: string,
  projectDir: string | null,
  nowMs: number,
): void {
  db.transaction(() => {
    statement(db, 'UPDATE source_file SET path = ?, root = ?, project_dir = ? WHERE id = ?').run(
      path,
      root,
      projectDir,
      file.id,
    );
    recordIngestEvent(db, 'renamed', file.id, { from: file.path, to: path }, nowMs);
  }).immediate();
}

/** A file that is gone (Claude Code's cleanup, or a user) keeps its rows forever. */
export function markGone(db: Ledger, file: SourceFileState, nowMs: number): void {
  const unreadBytes = Math.max(0, file.sizeSeen - file.byteOffset);
  db.transaction(() => {
    statement(
      db,
      `UPDATE source_file SET state = 'gone', gone_at_ms = ?, unread_bytes = ? WHERE id = ?`,
    ).run(nowMs, unreadBytes, file.id);
    recordIngestEvent(db, 'gone', file.id, { path: file.path, unreadBytes }, nowMs);
  }).immediate();
}

/** Same device and inode but a different first line: the inode was reused by a new file. */
export function markReplaced(db: Ledger, file: SourceFileState, nowMs: number): void {
  db.transaction(() => {
    statement(db, `UPDATE source_file SET state = 'replaced' WHERE id = ?`).run(file.id);
    recordIngestEvent(db, 'inode-reused', file.id, { path: file.path }, nowMs);
  }).immediate();
}
