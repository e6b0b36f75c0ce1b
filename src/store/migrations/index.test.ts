import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assistantLine, jsonl } from '../../../test/helpers/claude-lines.js';
import { ledgerTotals, sync } from '../../../test/helpers/ledger.js';
import { makeTempTree, type TempTree } from '../../../test/helpers/temp-tree.js';
import { SchemaFromFutureError } from '../../core/errors.js';
import { openLedger } from '../database.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersionOf, type Migration } from './index.js';

let tree: TempTree;
beforeEach(() => {
  tree = makeTempTree();
});
afterEach(() => {
  tree.cleanup();
});

function schemaOf(db: Database.Database): string[] {
  return (
    db.prepare(`SELECT type || ' ' || name AS item FROM sqlite_master ORDER BY name`).all() as {
      item: string;
    }[]
  ).map((row) => row.item);
}

describe('migrations', () => {
  it('brings a fresh ledger to SCHEMA_VERSION with every table', () => {
    const db = openLedger(tree.ledgerPath);
    try {
      expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
      expect(schemaVersionOf(db)).toBe(SCHEMA_VERSION);
      expect(schemaOf(db)).toEqual(
        expect.arrayContaining([
          'table source_file',
          'table response',
          'table response_copy',
          'table quarantine',
          'table ingest_event',
          'table sync_run',
          'table meta',
        ]),
      );
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('is idempotent: migrating a current ledger applies nothing and changes nothing', () => {
    const db = openLedger(tree.ledgerPath);
    try {
      const before = schemaOf(db);
      expect(migrate(db)).toEqual([]);
      expect(migrate(db)).toEqual([]);
      expect(schemaOf(db)).toEqual(before);
      expect(schemaVersionOf(db)).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
    const again = openLedger(tree.ledgerPath);
    try {
      expect(schemaVersionOf(again)).toBe(SCHEMA_VERSION);
    } finally {
      again.close();
    }
  });

  it('refuses a ledger written by a newer ctt and leaves it untouched', () => {
    const raw = new Database(tree.ledgerPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.exec('CREATE TABLE from_the_future (x)');
    raw.close();
    expect(() => openLedger(tree.ledgerPath)).toThrow(SchemaFromFutureError);
    const check = new Database(tree.ledgerPath, { readonly: true });
    try {
      expect(schemaVersionOf(check)).toBe(SCHEMA_VERSION + 1);
      expect(schemaOf(check)).toEqual(['table from_the_future']);
    } finally {
      check.close();
    }
  });

  it('applies only the missing steps, each with its user_version', () => {
    const db = new Database(':memory:');
    try {
      const steps: Migration[] = [
        { version: 1, name: 'one', sql: 'CREATE TABLE a (x)' },
        { version: 2, name: 'two', sql: 'CREATE TABLE b (x)' },
      ];
      expect(migrate(db, steps.slice(0, 1))).toEqual([1]);
      expect(migrate(db, steps)).toEqual([2]);
      expect(schemaVersionOf(db)).toBe(2);
      expect(schemaOf(db)).toEqual(['table a', 'table b']);
    } finally {
      db.close();
    }
  });

  it('rolls a failing step back whole: no half-made tables, version unchanged', () => {
    const db = new Database(':memory:');
    try {
      const steps: Migration[] = [
        { version: 1, name: 'one', sql: 'CREATE TABLE a (x)' },
        { version: 2, name: 'broken', sql: 'CREATE TABLE b (x); CREATE TABLE a (y)' },
      ];
      expect(() => migrate(db, steps)).toThrow(/already exists/);
      expect(schemaVersionOf(db)).toBe(1);
      expect(schemaOf(db)).toEqual(['table a']);
    } finally {
      db.close();
    }
  });

  it('refuses a migration list with a gap', () => {
    const db = new Database(':memory:');
    try {
      expect(() => migrate(db, [{ version: 2, name: 'two', sql: 'SELECT 1' }])).toThrow(
        /out of order/,
      );
      expect(schemaVersionOf(db)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('reopens a used ledger without re-reading anything', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    tree.write(
      path,
      jsonl(assistantLine({ messageId: 'msg_1' }), assistantLine({ messageId: 'msg_2' })),
    );
    const first = openLedger(tree.ledgerPath);
    await sync(first, [tree.projectsDir]);
    const totals = ledgerTotals(first);
    first.close();
    const reopened = openLedger(tree.ledgerPath);
    try {
      const again = await sync(reopened, [tree.projectsDir]);
      expect(again.pass).toMatchObject({ bytesRead: 0, newResponses: 0, dedupHitsRaw: 0 });
      expect(ledgerTotals(reopened)).toEqual(totals);
    } finally {
      reopened.close();
    }
  });
});
