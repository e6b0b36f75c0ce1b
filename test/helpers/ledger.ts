/** Running real syncs against a real ledger, and reading back what it holds. */
import { buildPriceTable, type PriceTable } from '../../src/pricing/price-table.js';
import type { Ledger } from '../../src/store/database.js';
import { ROLLUP_FROM_RESPONSES } from '../../src/store/usage-rollup.js';
import type { ScanLimits } from '../../src/sources/claude-code/scan-transcript.js';
import { syncLedger, type SyncSummary } from '../../src/tracker/sync-ledger.js';
import type { ScanExecutor } from '../../src/tracker/scan-executor.js';

export const FIXED_NOW_MS = Date.UTC(2026, 11, 1, 12, 0, 0);

let sharedPriceTable: PriceTable | undefined;

export function priceTable(): PriceTable {
  sharedPriceTable ??= buildPriceTable();
  return sharedPriceTable;
}

export interface SyncOptions {
  readonly limits?: ScanLimits;
  readonly executor?: ScanExecutor;
  readonly beforeCommit?: () => void;
  readonly batchRows?: number;
  readonly nowMs?: number;
}

export function sync(
  db: Ledger,
  projectsDirs: readonly string[],
  options: SyncOptions = {},
): Promise<SyncSummary> {
  const now = options.nowMs ?? FIXED_NOW_MS;
  return syncLedger(db, {
    projectsDirs,
    priceTable: priceTable(),
    nowMs: () => now,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.executor === undefined ? {} : { executor: options.executor }),
    ...(options.beforeCommit === undefined ? {} : { beforeCommit: options.beforeCommit }),
    ...(options.batchRows === undefined ? {} : { batchRows: options.batchRows }),
  });
}

export interface ResponseRow {
  readonly message_id: string;
  readonly request_id: string;
  readonly weak_key: number;
  readonly ts_ms: number | null;
  readonly session_id: string | null;
  readonly cwd: string | null;
  readonly project_dir: string | null;
  readonly orig_sidechain: number;
  readonly orig_forked: number;
  readonly model: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_tokens: number;
  readonly cache_creation_1h_tokens: number;
  readonly cache_read_tokens: number;
  readonly web_search_requests: number;
  readonly web_fetch_requests: number;
  readonly speed: string | null;
  readonly inference_geo: string | null;
  readonly service_tier: string | null;
  readonly version: string | null;
  readonly is_sidechain: number;
  readonly agent_id: string | null;
  readonly cost_usd_logged: number | null;
  readonly cost_usd: number | null;
  readonly cost_tier: string | null;
  readonly price_version: string | null;
}

/** Every response row without ids and ingest times, in key order: comparable across ledgers. */
export function responseRows(db: Ledger): ResponseRow[] {
  return db
    .prepare(
      `SELECT message_id, request_id, weak_key, ts_ms, session_id, cwd, project_dir, orig_sidechain,
         orig_forked, model, input_tokens, output_tokens, cache_creation_tokens,
         cache_creation_1h_tokens, cache_read_tokens, web_search_requests, web_fetch_requests, speed,
         inference_geo, service_tier, version, is_sidechain, agent_id, cost_usd_logged, cost_usd,
         cost_tier, price_version
       FROM response ORDER BY message_id, request_id`,
    )
    .all() as ResponseRow[];
}

export function responseRow(db: Ledger, messageId: string): ResponseRow {
  const rows = responseRows(db).filter((row) => row.message_id === messageId);
  if (rows.length !== 1)
    throw new Error(`expected one response ${messageId}, found ${rows.length}`);
  return rows[0] as ResponseRow;
}

export interface LedgerTotals {
  readonly responses: number;
  readonly input: number;
  readonly output: number;
  readonly cacheWrite: number;
  readonly cacheRead: number;
}

export function ledgerTotals(db: Ledger): LedgerTotals {
  const row = db
    .prepare(
      `SELECT count(*) AS responses, coalesce(sum(input_tokens), 0) AS input,
         coalesce(sum(output_tokens), 0) AS output,
         coalesce(sum(cache_creation_tokens), 0) AS cacheWrite,
         coalesce(sum(cache_read_tokens), 0) AS cacheRead
       FROM response`,
    )
    .get() as LedgerTotals;
  return { ...row };
}

export interface SourceFileRow {
  readonly id: number;
  readonly path: string;
  readonly project_dir: string | null;
  readonly generation: number;
  readonly byte_offset: number;
  readonly state: string;
  readonly unread_bytes: number | null;
  readonly ino: string;
}

export function sourceFiles(db: Ledger): SourceFileRow[] {
  return db
    .prepare(
      `SELECT id, path, project_dir, generation, byte_offset, state, unread_bytes, ino
       FROM source_file ORDER BY id`,
    )
    .all() as SourceFileRow[];
}

export function count(db: Ledger, table: string, where = '1'): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
}

export function eventKinds(db: Ledger): string[] {
  return (db.prepare('SELECT kind FROM ingest_event ORDER BY id').all() as { kind: string }[]).map(
    (row) => row.kind,
  );
}

/**
 * The rollup reports read must equal a GROUP BY over `response` (integer sums exactly, costs to
 * 1e-9): returns the keys that differ, empty when consistent.
 */
export function rollupMismatches(db: Ledger): string[] {
  const keyOf = (row: unknown[]): string => row.slice(0, 5).join('|');
  const expected = new Map(
    (db.prepare(ROLLUP_FROM_RESPONSES).raw().all() as unknown[][]).map((row) => [keyOf(row), row]),
  );
  const actual = new Map(
    (db.prepare('SELECT * FROM usage_rollup WHERE responses != 0').raw().all() as unknown[][]).map(
      (row) => [keyOf(row), row],
    ),
  );
  const mismatches: string[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const a = expected.get(key);
    const b = actual.get(key);
    if (a === undefined || b === undefined) {
      mismatches.push(key);
      continue;
    }
    for (let i = 5; i < a.length; i++) {
      if (Math.abs(Number(a[i]) - Number(b[i])) > 1e-9) {
        mismatches.push(`${key} column ${i}`);
        break;
      }
    }
  }
  return mismatches;
}
