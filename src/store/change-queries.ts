/**
 * Reading the audit trail back for `ctt changes`: filters over `change_event`, oldest first (the
 * trail's order is its row id: the order the changes were recorded in).
 *
 * Plans (chosen here, not left to SQLite's guesses without statistics): a session filter seeks
 * its prefix range in `change_event_session`; a time range seeks `change_event_time` and sorts
 * what it found by id; `--last N` with only a lower time bound (or no time bound) walks the table
 * back from its newest row and stops after N matches (ids follow the recording clock, so the
 * rows after an instant are the table's last ones); no filter reads the table in id order.
 */
import { changeFromRow, type StoredChange } from './change-log.js';
import type { Ledger } from './database.js';

export interface ChangeQuery {
  /** First instant included (epoch ms). */
  readonly sinceMs?: number;
  /** First instant excluded (epoch ms): the range is `[sinceMs, untilMs)`. */
  readonly untilMs?: number;
  /** Case-insensitive substring of the project path. */
  readonly project?: string;
  /** Prefix of the session id (a UUID's first group is enough). */
  readonly sessionId?: string;
  /** Sources to keep (`transcript`, `claude-json`, …); empty or absent keeps all. */
  readonly source?: readonly string[];
  /**
   * Kinds to keep; each matches itself and its family (`session` keeps `session-start`,
   * `session-end`, …; `anomaly` keeps every `anomaly-<kind>`). Empty or absent keeps all.
   */
  readonly kind?: readonly string[];
  /** Only the newest N of the changes that match. */
  readonly lastN?: number;
}

export interface ChangesSql {
  readonly sql: string;
  readonly params: (string | number)[];
}

type Param = string | number;

/**
 * An upper bound of the strings starting with `prefix`: BINARY collation compares UTF-8 bytes and
 * U+10FFFF is the largest character, so the range holds every such id (the `substr` test that
 * goes with it is exact).
 */
function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

/** Length in characters, as SQLite's `substr` counts (not UTF-16 units). */
function charCount(text: string): number {
  return Array.from(text).length;
}

function inList(column: string, values: readonly string[], params: Param[]): string {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(', ')})`;
}

function kindClause(kinds: readonly string[], params: Param[]): string {
  const parts = kinds.map((kind) => {
    // The family test compares the prefix exactly (`substr`), so `_` and `%` mean themselves.
    params.push(kind, charCount(kind) + 1, `${kind}-`);
    return '(kind = ? OR substr(kind, 1, ?) = ?)';
  });
  return `(${parts.join(' OR ')})`;
}

/**
 * `FROM change_event … WHERE …` of a query's filters, with its parameters. `newestFirst`: the
 * caller reads from the newest end and stops after a few rows (`lastN`).
 */
function fromSql(query: ChangeQuery, newestFirst: boolean): ChangesSql {
  const clauses: string[] = [];
  const params: Param[] = [];
  const timed = query.sinceMs !== undefined || query.untilMs !== undefined;
  const bySession = query.sessionId !== undefined && query.sessionId !== '';
  if (query.sinceMs !== undefined) {
    clauses.push('time_ms >= ?');
    params.push(query.sinceMs);
  }
  if (query.untilMs !== undefined) {
    clauses.push('time_ms < ?');
    params.push(query.untilMs);
  }
  if (bySession) {
    const prefix = query.sessionId ?? '';
    clauses.push('session_id >= ? AND session_id < ? AND substr(session_id, 1, ?) = ?');
    params.push(prefix, prefixUpperBound(prefix), charCount(prefix), prefix);
  }
  if (query.project !== undefined && query.project !== '') {
    clauses.push('instr(lower(project), ?) > 0');
    params.push(query.project.toLowerCase());
  }
  if (query.source !== undefined && query.source.length > 0)
    clauses.push(inList('source', query.source, params));
  if (query.kind !== undefined && query.kind.length > 0)
    clauses.push(kindClause(query.kind, params));
  // A session range is narrower than any time range worth asking for; else time seeks its
  // index, except for the newest few since an instant: those are the table's last rows (ids
  // follow the clock), found by walking back from the newest without sorting the whole range.
  const index = bySession
    ? 'INDEXED BY change_event_session'
    : timed && newestFirst && query.untilMs === undefined
      ? 'NOT INDEXED'
      : timed
        ? 'INDEXED BY change_event_time'
        : '';
  const where = clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`;
  return { sql: `FROM change_event${index === '' ? '' : ` ${index}`}${where}`, params };
}

/** The SQL of a query (exported for the query-plan test). */
export function changesSql(query: ChangeQuery): ChangesSql {
  const { sql: from, params } = fromSql(query, query.lastN !== undefined);
  const select = `SELECT * ${from}`;
  if (query.lastN === undefined) return { sql: `${select} ORDER BY id`, params };
  return {
    sql: `SELECT * FROM (${select} ORDER BY id DESC LIMIT ?) ORDER BY id`,
    params: [...params, query.lastN],
  };
}

type ChangeRow = Parameters<typeof changeFromRow>[0];

/** The changes matching `query`, oldest first. */
export function queryChanges(db: Ledger, query: ChangeQuery = {}): StoredChange[] {
  if (query.lastN === 0) return [];
  const { sql, params } = changesSql(query);
  return (db.prepare(sql).all(...params) as ChangeRow[]).map(changeFromRow);
}

/**
 * The same changes one at a time, for output that must not hold a million rows in memory. The
 * connection is busy until the iteration ends (or `return()` is called).
 */
export function* iterateChanges(db: Ledger, query: ChangeQuery = {}): Generator<StoredChange> {
  if (query.lastN === 0) return;
  const { sql, params } = changesSql(query);
  for (const row of db.prepare(sql).iterate(...params) as IterableIterator<ChangeRow>)
    yield changeFromRow(row);
}

/** How many changes match `query` (ignoring `lastN`). */
export function countMatchingChanges(db: Ledger, query: ChangeQuery): number {
  const { sql, params } = fromSql(query, false);
  const row = db.prepare(`SELECT count(*) AS n ${sql}`).get(...params) as { n: number };
  return row.n;
}

/** How many changes the trail holds in all (to tell "none recorded" from "none match"). */
export function countChanges(db: Ledger): number {
  const row = db.prepare('SELECT count(*) AS n FROM change_event').get() as { n: number };
  return row.n;
}
