/**
 * `ctt sync` as a use case: one catch-up pass into the ledger, then a summary read back from the
 * ledger (so it is true even when another ctt process wrote part of it).
 */
import type { PriceTable } from '../pricing/price-table.js';
import type { Ledger } from '../store/database.js';
import { readLedgerHealth, type LedgerHealth } from '../store/ledger-health.js';
import type { ScanLimits } from '../sources/claude-code/scan-transcript.js';
import { priceFnOf } from './price-fn.js';
import { runPass, type PassStats } from './run-pass.js';
import type { ScanExecutor } from './scan-executor.js';

export interface SyncRequest {
  readonly projectsDirs: readonly string[];
  readonly priceTable: PriceTable;
  readonly nowMs: () => number;
  readonly limits?: ScanLimits;
  readonly executor?: ScanExecutor;
  readonly batchRows?: number;
  readonly beforeCommit?: () => void;
}

export interface SyncSummary {
  readonly pass: PassStats;
  readonly ledger: LedgerHealth;
  readonly priceVersion: string;
  readonly durationMs: number;
}

export async function syncLedger(db: Ledger, request: SyncRequest): Promise<SyncSummary> {
  const startedMs = request.nowMs();
  const run = db.prepare('INSERT INTO sync_run (started_ms) VALUES (?)').run(startedMs);
  const pass = await runPass(db, {
    projectsDirs: request.projectsDirs,
    nowMs: request.nowMs,
    price: priceFnOf(request.priceTable),
    priceVersion: request.priceTable.version,
    ...(request.limits === undefined ? {} : { limits: request.limits }),
    ...(request.executor === undefined ? {} : { executor: request.executor }),
    ...(request.batchRows === undefined ? {} : { batchRows: request.batchRows }),
    ...(request.beforeCommit === undefined ? {} : { beforeCommit: request.beforeCommit }),
  });
  const finishedMs = request.nowMs();
  const summary: SyncSummary = {
    pass,
    ledger: readLedgerHealth(db),
    priceVersion: request.priceTable.version,
    durationMs: finishedMs - startedMs,
  };
  db.prepare('UPDATE sync_run SET finished_ms = ?, summary = ? WHERE id = ?').run(
    finishedMs,
    JSON.stringify({ ...pass, durationMs: summary.durationMs }),
    run.lastInsertRowid,
  );
  return summary;
}
