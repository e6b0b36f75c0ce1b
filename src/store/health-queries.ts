/** Data-health facts for `ctt report`: last ingest, quarantine, files at risk of deletion. */
import type { Ledger } from './database.js';

/** When the last catch-up finished (one row lookup: the newest sync run). */
export function lastIngestMs(db: Ledger): number | null {
  const row = db
    .prepare(
      'SELECT finished_ms AS ms FROM sync_run WHERE finished_ms IS NOT NULL ORDER BY id DESC LIMIT 1',
    )
    .get() as { ms: number | null } | undefined;
  return row?.ms ?? null;
}

export interface AgedFiles {
  /** Transcripts whose last change is older than the cutoff. */
  readonly files: number;
  /** …of which the ledger has not read every byte seen. */
  readonly notFullyRead: number;
}

/**
 * Transcripts last changed before `cutoffMs`, from what the ledger saw of them (a report catches
 * up first, so this is the folder's state without walking it again).
 */
export function filesOlderThan(db: Ledger, cutoffMs: number): AgedFiles {
  const row = db
    .prepare(
      `SELECT count(*) AS files, coalesce(sum(byte_offset < size_seen), 0) AS notFullyRead
       FROM source_file WHERE state = 'active' AND mtime_ns IS NOT NULL
         AND CAST(mtime_ns AS INTEGER) / 1000000 <= ?`,
    )
    .get(cutoffMs) as AgedFiles;
  return row;
}

export function quarantineCount(db: Ledger): number {
  return (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
}

export interface LedgerTotalsRow {
  readonly responses: number;
  readonly firstMs: number | null;
  readonly lastMs: number | null;
}

/** Response count from the rollup, first and last time from the `ts_ms` index: no full scan. */
export function ledgerSpan(db: Ledger): LedgerTotalsRow {
  return db
    .prepare(
      `SELECT (SELECT coalesce(sum(responses), 0) FROM usage_rollup) AS responses,
         (SELECT min(ts_ms) FROM response) AS firstMs, (SELECT max(ts_ms) FROM response) AS lastMs`,
    )
    .get() as LedgerTotalsRow;
}
