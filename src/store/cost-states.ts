/**
 * `cost_state`: Claude Code's own cumulative session totals read from transcripts. Written with
 * the slice that read them, so each line is stored exactly once (its file, generation and byte
 * offset are unique; a re-read of the same range is ignored).
 */
import type { CostState } from '../core/cost-state.js';
import type { Ledger } from './database.js';

/** One `cost-state` line as the slice carries it. */
export type CostStateInput = CostState;

/** Prepared once per connection; call `insert` inside the slice's transaction. */
export class CostStateWriter {
  private readonly statement;

  constructor(db: Ledger) {
    this.statement = db.prepare(
      `INSERT OR IGNORE INTO cost_state (file_id, generation, byte_offset, session_id,
         total_cost_usd, lines_added, lines_removed, input_tokens, output_tokens,
         cache_creation_tokens, cache_read_tokens, web_search_requests, ingest_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Returns the number of rows written (0 when that line was already stored). */
  insert(fileId: number, generation: number, record: CostStateInput, nowMs: number): number {
    return this.statement.run(
      fileId,
      generation,
      record.byteOffset,
      record.sessionId,
      record.totalCostUsd,
      record.linesAdded,
      record.linesRemoved,
      record.inputTokens,
      record.outputTokens,
      record.cacheCreationTokens,
      record.cacheReadTokens,
      record.webSearchRequests,
      nowMs,
    ).changes;
  }
}
