import Database from 'better-sqlite3';
import type { TokenTotals } from '../corpus/manifest.js';
import type { DayComparison, DayDiff, TokenFields } from './results.js';
import { addInto, sameFields, zeroFields } from './token-fields.js';

/** Per-UTC-day token totals from ccusage's daily JSON, ctt's ledger and the corpus oracle. */

export type DayTable = Map<string, TokenFields>;

const CTT_DAYS_SQL = `SELECT date(ts_ms/1000,'unixepoch') AS day, sum(input_tokens) AS input,
  sum(output_tokens) AS output, sum(cache_creation_tokens) AS cacheCreation,
  sum(cache_read_tokens) AS cacheRead FROM response GROUP BY day`;

interface CttDayRow {
  day: string | null;
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

export function readCttDays(ledgerPath: string): DayTable {
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(CTT_DAYS_SQL).all() as CttDayRow[];
    const table: DayTable = new Map();
    for (const row of rows) {
      table.set(row.day ?? '(no time)', {
        inputTokens: row.input,
        outputTokens: row.output,
        cacheCreationTokens: row.cacheCreation,
        cacheReadTokens: row.cacheRead,
      });
    }
    return table;
  } finally {
    db.close();
  }
}

export function readCttResponseCount(ledgerPath: string): number {
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT count(*) AS n FROM response').get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

function numberField(entry: Record<string, unknown>, key: string): number {
  const value = entry[key];
  if (typeof value !== 'number') throw new Error(`ccusage daily entry without numeric ${key}`);
  return value;
}

/** `daily[]` rows; the day is `date` (older ccusage) or `period` (ccusage ≥ 20). */
export function readCcusageDays(json: unknown): DayTable {
  const daily = (json as { daily?: unknown } | null)?.daily;
  if (!Array.isArray(daily)) throw new Error('ccusage JSON has no daily[] array');
  const table: DayTable = new Map();
  for (const raw of daily as Record<string, unknown>[]) {
    const day = typeof raw['date'] === 'string' ? raw['date'] : raw['period'];
    if (typeof day !== 'string') throw new Error('ccusage daily entry without date/period');
    const fields = table.get(day) ?? zeroFields();
    addInto(fields, {
      inputTokens: numberField(raw, 'inputTokens'),
      outputTokens: numberField(raw, 'outputTokens'),
      cacheCreationTokens: numberField(raw, 'cacheCreationTokens'),
      cacheReadTokens: numberField(raw, 'cacheReadTokens'),
    });
    table.set(day, fields);
  }
  return table;
}

export function oracleDays(byDay: Record<string, TokenTotals>): DayTable {
  const table: DayTable = new Map();
  for (const [day, totals] of Object.entries(byDay)) {
    table.set(day, {
      inputTokens: totals.inputTokens,
      outputTokens: totals.outputTokens,
      cacheCreationTokens: totals.cacheCreationTokens,
      cacheReadTokens: totals.cacheReadTokens,
    });
  }
  return table;
}

export function dayOf(table: DayTable, day: string): TokenFields {
  return table.get(day) ?? zeroFields();
}

function total(table: DayTable): TokenFields {
  const sum = zeroFields();
  for (const fields of table.values()) addInto(sum, fields);
  return sum;
}

export function allDays(...tables: DayTable[]): string[] {
  return [...new Set(tables.flatMap((t) => [...t.keys()]))].sort();
}

export function compareDays(ctt: DayTable, ccusage: DayTable, oracle: DayTable): DayComparison {
  const days = allDays(ctt, ccusage, oracle);
  let cttEqualsOracle = 0;
  let ccusageEqualsCtt = 0;
  let ccusageEqualsOracle = 0;
  const differing: DayDiff[] = [];
  for (const day of days) {
    const row = {
      day,
      ctt: dayOf(ctt, day),
      ccusage: dayOf(ccusage, day),
      oracle: dayOf(oracle, day),
    };
    const a = sameFields(row.ctt, row.oracle);
    const b = sameFields(row.ccusage, row.ctt);
    const c = sameFields(row.ccusage, row.oracle);
    cttEqualsOracle += Number(a);
    ccusageEqualsCtt += Number(b);
    ccusageEqualsOracle += Number(c);
    if (!a || !b) differing.push(row);
  }
  return {
    days: days.length,
    cttEqualsOracle,
    ccusageEqualsCtt,
    ccusageEqualsOracle,
    differing,
    totals: { ctt: total(ctt), ccusage: total(ccusage), oracle: total(oracle) },
  };
}
