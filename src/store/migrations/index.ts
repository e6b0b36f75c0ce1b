/**
 * Numbered migrations under `PRAGMA user_version`, each applied in one transaction. A ledger
 * written by a newer ctt is refused rather than guessed at.
 */
import type { Database } from 'better-sqlite3';
import { SchemaFromFutureError } from '../../core/errors.js';
import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-report-indexes.js';
import { migration0003 } from './0003-usage-rollup.js';
import { migration0004 } from './0004-tracker.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersionOf(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the ledger to the newest schema; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const known = migrations.length;
  const applied: number[] = [];
  for (;;) {
    const step = db
      .transaction(() => {
        const current = schemaVersionOf(db);
        if (current > known) throw new SchemaFromFutureError(current, known);
        const next = migrations[current];
        if (next === undefined) return null;
        if (next.version !== current + 1) {
          throw new Error(`migration list out of order at ${next.version} (ledger at ${current})`);
        }
        db.exec(next.sql);
        db.pragma(`user_version = ${next.version}`);
        return next.version;
      })
      .immediate();
    if (step === null) return applied;
    applied.push(step);
  }
}
