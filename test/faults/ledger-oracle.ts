/** Reads a ledger's totals in the shape of the corpus manifest, to compare with the oracle. */
import Database from 'better-sqlite3';

export interface LedgerTotals {
  responses: number;
  copies: number;
  quarantined: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheCreation1hTokens: number;
  cacheReadTokens: number;
  webSearchRequests: number;
  costUsd: number;
  integrity: string;
}

export function readLedgerTotals(path: string): LedgerTotals {
  const db = new Database(path, { readonly: true });
  try {
    const sums = db
      .prepare(
        `SELECT count(*) AS responses, coalesce(sum(input_tokens), 0) AS inputTokens,
           coalesce(sum(output_tokens), 0) AS outputTokens,
           coalesce(sum(cache_creation_tokens), 0) AS cacheCreationTokens,
           coalesce(sum(cache_creation_1h_tokens), 0) AS cacheCreation1hTokens,
           coalesce(sum(cache_read_tokens), 0) AS cacheReadTokens,
           coalesce(sum(web_search_requests), 0) AS webSearchRequests,
           coalesce(sum(cost_usd), 0) AS costUsd
         FROM response`,
      )
      .get() as Omit<LedgerTotals, 'copies' | 'quarantined' | 'integrity'>;
    const copies = (db.prepare('SELECT count(*) AS n FROM response_copy').get() as { n: number }).n;
    const quarantined = (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number })
      .n;
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    return { ...sums, copies, quarantined, integrity };
  } finally {
    db.close();
  }
}
