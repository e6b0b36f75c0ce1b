/**
 * Merging copies into `response` rows. A batch is first folded in memory (streaming blocks of one
 * response sit next to each other), then each folded response is merged with its ledger row by
 * the same pure rules, so ingest order never changes the result.
 */
import {
  isBetterFinal,
  isEarlierOriginal,
  isSidechainReplay,
  type FinalCopy,
  type OriginalCopy,
} from '../core/response-merge.js';
import type { TokenUsage } from '../core/usage.js';
import type { Ledger } from './database.js';
import type { RollupDelta, RollupSource } from './usage-rollup.js';

export interface ResponseDraft {
  messageId: string;
  requestId: string;
  weakKey: boolean;
  final: FinalCopy;
  original: OriginalCopy;
}

/** Prices the final copy: null when the model is unpriced. */
export type PriceFn = (
  model: string,
  usage: TokenUsage,
) => { costUsd: number; tier: string } | null;

export function mergeDrafts(into: ResponseDraft, from: ResponseDraft): boolean {
  let changed = false;
  if (isBetterFinal(from.final, into.final)) {
    into.final = from.final;
    changed = true;
    // A main-thread copy's request id names the response, so later copies find it by key.
    if (!from.final.isSidechain && into.requestId !== from.requestId)
      into.requestId = from.requestId;
  }
  if (isEarlierOriginal(from.original, into.original)) {
    into.original = from.original;
    changed = true;
  }
  return changed;
}

export interface ResponseRow {
  id: number;
  message_id: string;
  request_id: string;
  weak_key: number;
  ts_ms: number | null;
  session_id: string | null;
  cwd: string | null;
  project_dir: string | null;
  orig_sidechain: number;
  orig_forked: number;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_tokens: number;
  cache_creation_1h_tokens: number;
  cache_read_tokens: number;
  web_search_requests: number;
  web_fetch_requests: number;
  speed: string | null;
  inference_geo: string | null;
  service_tier: string | null;
  version: string | null;
  is_sidechain: number;
  agent_id: string | null;
  cost_usd_logged: number | null;
  cost_usd: number | null;
}

export function rowToDraft(row: ResponseRow): ResponseDraft {
  return {
    messageId: row.message_id,
    requestId: row.request_id,
    weakKey: row.weak_key === 1,
    final: {
      isSidechain: row.is_sidechain === 1,
      model: row.model,
      version: row.version,
      costUsdLogged: row.cost_usd_logged,
      agentId: row.agent_id,
      usage: {
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
        cacheCreationTokens: row.cache_creation_tokens,
        cacheCreation1hTokens: row.cache_creation_1h_tokens,
        cacheReadTokens: row.cache_read_tokens,
        webSearchRequests: row.web_search_requests,
        webFetchRequests: row.web_fetch_requests,
        speed: row.speed,
        inferenceGeo: row.inference_geo,
        serviceTier: row.service_tier,
      },
    },
    original: {
      isSidechain: row.orig_sidechain === 1,
      forked: row.orig_forked === 1,
      timestampMs: row.ts_ms,
      sessionId: row.session_id,
      cwd: row.cwd,
      projectDir: row.project_dir,
    },
  };
}

export class ResponseWriter {
  private readonly byMessage;
  private readonly insert;
  private readonly update;

  constructor(
    db: Ledger,
    private readonly price: PriceFn,
    private readonly priceVersion: string,
  ) {
    this.byMessage = db.prepare('SELECT * FROM response WHERE message_id = ? ORDER BY id');
    const columns = `message_id, request_id, weak_key, ts_ms, session_id, cwd, project_dir, orig_sidechain,
      orig_forked, model, input_tokens, output_tokens, cache_creation_tokens, cache_creation_1h_tokens,
      cache_read_tokens, web_search_requests, web_fetch_requests, speed, inference_geo, service_tier,
      version, is_sidechain, agent_id, cost_usd_logged, cost_usd, cost_tier, price_version`;
    this.insert = db.prepare(
      `INSERT INTO response (${columns}, first_ingest_ms, updated_ms)
       VALUES (${columns
         .split(',')
         .map(() => '?')
         .join(', ')}, ?, ?)`,
    );
    this.update = db.prepare(
      `UPDATE response SET ${columns
        .split(',')
        .map((c) => `${c.trim()} = ?`)
        .join(', ')}, updated_ms = ? WHERE id = ?`,
    );
  }

  private values(draft: ResponseDraft): { values: unknown[]; costUsd: number | null } {
    const { final, original } = draft;
    const u = final.usage;
    const priced = this.price(final.model, u);
    const values = [
      draft.messageId,
      draft.requestId,
      draft.weakKey ? 1 : 0,
      original.timestampMs,
      original.sessionId,
      original.cwd,
      original.projectDir,
      original.isSidechain ? 1 : 0,
      original.forked ? 1 : 0,
      final.model,
      u.inputTokens,
      u.outputTokens,
      u.cacheCreationTokens,
      u.cacheCreation1hTokens,
      u.cacheReadTokens,
      u.webSearchRequests,
      u.webFetchRequests,
      u.speed,
      u.inferenceGeo,
      u.serviceTier,
      final.version,
      final.isSidechain ? 1 : 0,
      final.agentId,
      final.costUsdLogged,
      priced?.costUsd ?? null,
      priced?.tier ?? null,
      this.priceVersion,
    ];
    return { values, costUsd: priced?.costUsd ?? null };
  }

  private findExisting(draft: ResponseDraft): ResponseRow | undefined {
    // One indexed lookup serves both rules: the exact key, else a sidechain replay of the id.
    const sameMessage = this.byMessage.all(draft.messageId) as ResponseRow[];
    const exact = sameMessage.find((row) => row.request_id === draft.requestId);
    if (exact !== undefined) return exact;
    return sameMessage.find((row) =>
      isSidechainReplay(draft.final.isSidechain, row.is_sidechain === 1),
    );
  }

  /**
   * Merges one folded response into the ledger; returns its id and what happened. Its usage
   * rollup contribution moves with it (the old one out, the new one in) into `rollup`.
   */
  write(
    draft: ResponseDraft,
    nowMs: number,
    rollup: RollupDelta,
  ): { id: number; outcome: 'new' | 'updated' | 'same' } {
    const row = this.findExisting(draft);
    if (row === undefined) {
      const { values, costUsd } = this.values(draft);
      const info = this.insert.run(...values, nowMs, nowMs);
      rollup.add(rollupSource(draft, costUsd), 1);
      return { id: Number(info.lastInsertRowid), outcome: 'new' };
    }
    const merged = rowToDraft(row);
    if (!mergeDrafts(merged, draft)) return { id: row.id, outcome: 'same' };
    const { values, costUsd } = this.values(merged);
    this.update.run(...values, nowMs, row.id);
    rollup.add(rollupSource(rowToDraft(row), row.cost_usd), -1);
    rollup.add(rollupSource(merged, costUsd), 1);
    return { id: row.id, outcome: 'updated' };
  }
}

/** A response's contribution to the usage rollup. */
export function rollupSource(draft: ResponseDraft, costUsd: number | null): RollupSource {
  const u = draft.final.usage;
  return {
    tsMs: draft.original.timestampMs,
    model: draft.final.model,
    sessionId: draft.original.sessionId,
    cwd: draft.original.cwd,
    projectDir: draft.original.projectDir,
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheCreationTokens: u.cacheCreationTokens,
    cacheCreation1hTokens: u.cacheCreation1hTokens,
    cacheReadTokens: u.cacheReadTokens,
    webSearchRequests: u.webSearchRequests,
    costUsd,
    costUsdLogged: draft.final.costUsdLogged,
  };
}
