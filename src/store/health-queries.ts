/** Data-health facts for `ctt report`: last ingest, quarantine, files at risk of deletion. */
import type { Ledger } from './database.js';

export interface FileAtRisk {
  readonly path: string;
  readonly sizeSeen: number;
  readonly byteOffset: number;
}

export function lastIngestMs(db: Ledger): number | null {
  const row = db.prepare('SELECT max(last_ingest_ms) AS ms FROM source_file').get() as {
    ms: number | null;
  };
  return row.ms;
}

export function quarantineCount(db: Ledger): number {
  return (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
}

/** Active files by path, for matching transcripts found on disk with what the ledger holds. */
export function ingestedBytesByPath(db: Ledger): Map<string, number> {
  const rows = db
    .prepare(`SELECT path, byte_offset AS byteOffset FROM source_file WHERE state = 'active'`)
    .all() as { path: string; byteOffset: number }[];
  return new Map(rows.map((row) => [row.path, row.byteOffset]));
}

export interface LedgerTotalsRow {
  readonly responses: number;
  readonly firstMs: number | null;
  readonly lastMs: number | null;
}

export function ledgerSpan(db: Ledger): LedgerTotalsRow {
  return db
    .prepare(
      'SELECT count(*) AS responses, min(ts_ms) AS firstMs, max(ts_ms) AS lastMs FROM response',
    )
    .get() as LedgerTotalsRow;
}
