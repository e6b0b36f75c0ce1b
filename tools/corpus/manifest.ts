/**
 * The manifest `generateCorpus` writes to `<root>/manifest.json`: what the generator wrote and
 * the exact totals a correct ledger must report for it (the oracle). Accounting rules, in short:
 * - a usage line is a top-level `type:"assistant"` record with an object `message.usage` and
 *   `message.model !== "<synthetic>"`, on a complete (newline-terminated) physical line, or
 *   recovered intact from a damaged one (glued `}{`, truncated splice, NUL-prefixed);
 *   a UTF-8 BOM at the start of a file is stripped, not damage;
 * - one response = one `message.id` + `requestId` ("" if absent); a sidechain copy with the same
 *   `message.id` and another `requestId` (a /btw replay) is the same response;
 * - tokens and model come from the final copy (non-sidechain, then largest total, then largest
 *   output); session, cwd and day (UTC) from the original copy (non-sidechain, then without
 *   `forkedFrom`, then earliest timestamp);
 * - costs follow shared/pricing/RULES.md; unpriced models add tokens but no cost.
 */

export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  /** The 1-hour share of `cacheCreationTokens`. */
  cacheCreation1hTokens: number;
  cacheReadTokens: number;
  webSearchRequests: number;
  /** input + output + cache creation + cache read. */
  totalTokens: number;
  /** Calculated cost in USD, priced responses only (cost mode `calculate`). */
  costUsd: number;
  /** The final copy's `costUSD` where present, else calculated (cost mode `auto`). */
  costUsdAuto: number;
  responses: number;
}

export type SessionTotals = TokenTotals & { cwd: string };

/** A file whose last line is an incomplete assistant usage line (not counted yet). */
export interface PendingTail {
  file: string;
  /** Bytes of the incomplete line (no newline follows). */
  bytes: number;
}

/** The one huge, valid `user` line written when `oversizeLineBytes` is set. */
export interface OversizeLine {
  file: string;
  /** Offset of the line's first byte in the file. */
  byteOffset: number;
  /** Bytes of the line, not counting its `\n`. */
  bytes: number;
}

export interface ExpectedTotals {
  /** Distinct API responses (= totals.responses). */
  responses: number;
  /** Counted usage copies (every intact complete usage line, recovered ones included). */
  usageLines: number;
  /** Damaged physical lines (torn, glued, spliced, all-NUL, NUL-prefixed), once per line. */
  quarantinedLines: number;
  /** Counted usage lines that carry `forkedFrom`. */
  forkCopies: number;
  /** Counted sidechain usage lines that repeat a response under another `requestId`. */
  sidechainReplays: number;
  totals: TokenTotals;
  /** Keyed by the UTC date (YYYY-MM-DD) of each response's original copy. */
  byDay: Record<string, TokenTotals>;
  /** Keyed by the final copy's `message.model`, as written. */
  byModel: Record<string, TokenTotals>;
  /** Keyed by the original copy's `sessionId`; `cwd` from its earliest response. */
  bySession: Record<string, SessionTotals>;
  /** Unpriced model id → its total tokens. */
  unpricedModels: Record<string, number>;
  pendingTail: PendingTail | null;
  oversizeLine: OversizeLine | null;
}

export interface CorpusManifest {
  seed: number;
  /** Transcript (`*.jsonl`) files written, empty ones included. */
  files: number;
  /** Total bytes of those files. */
  bytes: number;
  /** Newline-terminated physical lines in those files. */
  lines: number;
  /** `<root>/home/.claude` and `<root>/home/.config/claude`. */
  configDirs: string[];
  /** `<root>/home/.claude.json`. */
  claudeJson: string;
  expected: ExpectedTotals;
}
