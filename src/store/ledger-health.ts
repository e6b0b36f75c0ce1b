/** What the ledger holds, in a few cheap aggregate queries. */
import type { Ledger } from './database.js';

export interface UnpricedModel {
  readonly model: string;
  readonly responses: number;
  readonly totalTokens: number;
}

export interface LedgerHealth {
  readonly responses: number;
  readonly copies: number;
  readonly files: { readonly active: number; readonly gone: number };
  readonly quarantinedLines: number;
  readonly unpricedModels: UnpricedModel[];
}

export function readLedgerHealth(db: Ledger): LedgerHealth {
  const responses = (db.prepare('SELECT count(*) AS n FROM response').get() as { n: number }).n;
  const copies = (db.prepare('SELECT count(*) AS n FROM response_copy').get() as { n: number }).n;
  const files = db
    .prepare(`SELECT sum(state = 'active') AS active, sum(state = 'gone') AS gone FROM source_file`)
    .get() as { active: number | null; gone: number | null };
  const quarantinedLines = (
    db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }
  ).n;
  const unpricedModels = db
    .prepare(
      `SELECT model, count(*) AS responses,
         sum(input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens) AS totalTokens
       FROM response WHERE cost_usd IS NULL GROUP BY model ORDER BY totalTokens DESC`,
    )
    .all() as UnpricedModel[];
  return {
    responses,
    copies,
    files: { active: files.active ?? 0, gone: files.gone ?? 0 },
    quarantinedLines,
    unpricedModels,
  };
}
