/**
 * Opens the ledger: WAL, NORMAL sync (an application crash loses nothing; an OS crash may roll
 * back the last commits together with their offsets, so they are simply read again), a busy
 * timeout for a second ctt process, foreign keys, then migrations.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LedgerCorruptError, SchemaFromFutureError } from '../core/errors.js';
import { withBusyRetry } from './busy-retry.js';
import { migrate, schemaVersionOf, SCHEMA_VERSION } from './migrations/index.js';

export type Ledger = Database.Database;

export interface OpenLedgerOptions {
  readonly readonly?: boolean;
  readonly busyTimeoutMs?: number;
}

const SQLITE_CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

function asLedgerError(path: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SQLITE_CORRUPT_CODES.has(code)) {
    return new LedgerCorruptError(`${path}: ${(error as Error).message}`);
  }
  return error;
}

function openConnection(path: string, options: OpenLedgerOptions): Ledger {
  try {
    return new Database(path, {
      readonly: options.readonly === true,
      fileMustExist: options.readonly === true,
      timeout: options.busyTimeoutMs ?? 5000,
    });
  } catch (error) {
    throw asLedgerError(path, error);
  }
}

export function openLedger(path: string, options: OpenLedgerOptions = {}): Ledger {
  if (path !== ':memory:' && options.readonly !== true)
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = openConnection(path, options);
  try {
    // Refuse a newer schema before changing anything in the file (not even its journal mode).
    const version = schemaVersionOf(db);
    if (version > SCHEMA_VERSION) throw new SchemaFromFutureError(version, SCHEMA_VERSION);
    // Switching a new file to WAL needs an exclusive lock and does not wait on the busy timeout:
    // two ctt processes creating the same ledger at once must retry, not fail.
    withBusyRetry(() => db.pragma('journal_mode = WAL'));
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('journal_size_limit = 67108864');
    // A catch-up touches index pages all over the ledger: 16 MB (default 2 MB) keeps them warm
    // while keeping a 1 GB catch-up under 250 MB of memory.
    db.pragma('cache_size = -16384');
    db.pragma('temp_store = MEMORY');
    // Checkpoint every 32 MB of WAL instead of 4 MB: a catch-up commits often, and each
    // checkpoint rewrites (and syncs) the same index pages again (~10% of a 1 GB catch-up).
    db.pragma('wal_autocheckpoint = 8192');
    if (options.readonly !== true) withBusyRetry(() => migrate(db));
  } catch (error) {
    db.close();
    throw asLedgerError(path, error);
  }
  return db;
}
