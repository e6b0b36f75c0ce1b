/**
 * Claude Code's own cumulative totals of a session, from a transcript `cost-state` line
 * (claude-code-data.md §3.6): what the scanner reads and the ledger stores. Null where Claude
 * Code did not write the field.
 */
export interface CostState {
  /** File offset of the record's opening brace: unique per record within a file generation. */
  readonly byteOffset: number;
  readonly sessionId: string | null;
  readonly totalCostUsd: number | null;
  readonly linesAdded: number | null;
  readonly linesRemoved: number | null;
  /** Sums over `modelUsage`; null when it is absent, or when no model there has the field. */
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cacheCreationTokens: number | null;
  readonly cacheReadTokens: number | null;
  readonly webSearchRequests: number | null;
}
