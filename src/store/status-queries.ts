/** What `ctt status` asks the ledger: committed offsets to measure lag against, and its size. */
import { statSync } from 'node:fs';
import type { Ledger } from './database.js';

/** An active transcript as the ledger last committed it. */
export interface CommittedFile {
  readonly path: string;
  readonly dev: string;
  readonly ino: string;
  readonly byteOffset: number;
}

export function committedActiveFiles(db: Ledger): CommittedFile[] {
  return db
    .prepare(
      `SELECT path, dev, ino, byte_offset AS byteOffset FROM source_file WHERE state = 'active'`,
    )
    .all() as CommittedFile[];
}

export interface LedgerCounts {
  readonly responses: number;
  readonly files: { readonly active: number; readonly gone: number };
  readonly quarantinedLines: number;
}

/** Counts without scanning `response`: its count comes from the rollup (moved with every write). */
export function ledgerCounts(db: Ledger): LedgerCounts {
  const row = db
    .prepare(
      `SELECT (SELECT coalesce(sum(responses), 0) FROM usage_rollup) AS responses,
         (SELECT count(*) FROM source_file WHERE state = 'active') AS active,
         (SELECT count(*) FROM source_file WHERE state = 'gone') AS gone,
         (SELECT count(*) FROM quarantine) AS quarantinedLines`,
    )
    .get() as { responses: number; active: number; gone: number; quarantinedLines: number };
  return {
    responses: row.responses,
    files: { active: row.active, gone: row.gone },
    quarantinedLines: row.quarantinedLines,
  };
}

export interface LedgerFileSizes {
  readonly dbBytes: number;
  readonly walBytes: number;
  readonly shmBytes: number;
  readonly totalBytes: number;
}

function sizeOrZero(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The ledger's bytes on disk: the file plus its WAL and shared-memory index (stat only). */
export function ledgerFileSizes(dbPath: string): LedgerFileSizes {
  const dbBytes = sizeOrZero(dbPath);
  const walBytes = sizeOrZero(`${dbPath}-wal`);
  const shmBytes = sizeOrZero(`${dbPath}-shm`);
  return { dbBytes, walBytes, shmBytes, totalBytes: dbBytes + walBytes + shmBytes };
}
