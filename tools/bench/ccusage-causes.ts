import type { ScannedCopy } from './corpus-scan.js';

/**
 * The ccusage 20 behaviours that can make its daily totals differ from ctt's, from
 * shared/claude-code-data.md §3.3 and §3.8, each checked against ccusage on hand-made lines.
 * The order is the order in which the model switches them on (see ccusage-model.ts).
 */

export type CauseId =
  | 'recovered-record'
  | 'nul-prefixed'
  | 'bom-line'
  | 'schema'
  | 'timestamp-format'
  | 'unterminated-tail'
  | 'synthetic'
  | 'cache-split'
  | 'progress-copy'
  | 'no-request-id'
  | 'session-scope'
  | 'kept-copy-tokens'
  | 'kept-copy-day';

export interface Cause {
  readonly id: CauseId;
  /** A few words for the per-day lines. */
  readonly label: string;
  /** The full explanation, printed once per corpus. */
  readonly text: string;
  /** Copies this behaviour can touch (for the "no effect" list). */
  readonly affects: (copy: ScannedCopy) => boolean;
}

export const CAUSES: readonly Cause[] = [
  {
    id: 'recovered-record',
    label: 'unreadable glued/spliced line',
    text: 'ccusage cannot parse a glued (`}{`) or spliced line; ctt recovers the intact records in it',
    affects: (c) => c.kind === 'recovered',
  },
  {
    id: 'nul-prefixed',
    label: 'NUL-prefixed line skipped',
    text: 'ccusage ignores a NUL-prefixed line; ctt strips the NULs and reads the record',
    affects: (c) => c.kind === 'nul-prefixed',
  },
  {
    id: 'bom-line',
    label: 'BOM-prefixed first line skipped',
    text: 'ccusage drops the first line of a file that starts with a UTF-8 BOM',
    affects: (c) => c.kind === 'bom-first',
  },
  {
    id: 'schema',
    label: 'line dropped by the schema',
    text: 'ccusage drops the line (has_unsupported_null_field, empty id or non-numeric tokens)',
    affects: (c) => c.schemaIssue !== null,
  },
  {
    id: 'timestamp-format',
    label: 'timestamp rejected',
    text: 'ccusage rejects the timestamp format',
    affects: (c) => !c.timestampOk,
  },
  {
    id: 'unterminated-tail',
    label: 'unterminated last line counted',
    text: 'ccusage counts a complete record on an unterminated last line; ctt waits for its newline',
    affects: (c) => c.kind === 'unterminated',
  },
  {
    id: 'synthetic',
    label: '<synthetic> line counted',
    text: 'ccusage counts `<synthetic>` error lines (always 0 tokens)',
    affects: (c) => c.synthetic,
  },
  {
    id: 'cache-split',
    label: 'cache writes = 5m + 1h split',
    text: 'ccusage counts cache writes as the ephemeral_5m + ephemeral_1h split, ctt as cache_creation_input_tokens, and here they differ',
    affects: (c) =>
      c.cacheSplitTokens !== null && c.cacheSplitTokens !== c.copy.usage.cacheCreationTokens,
  },
  {
    id: 'progress-copy',
    label: 'progress-line copy counted',
    text: 'ccusage also counts the subagent message embedded in a `progress` line (data.message); ctt counts only top-level assistant lines',
    affects: (c) => c.progress,
  },
  {
    id: 'no-request-id',
    label: 'no requestId, copies never merged',
    text: 'ccusage merges copies by message.id + requestId, and by message.id alone only against a sidechain copy: main-thread lines without requestId (CC ≤1.0.4, Bedrock) are never merged, every streamed block and fork copy counts again',
    affects: (c) => !c.hasRequestId,
  },
  {
    id: 'session-scope',
    label: 'copy in another session not merged',
    text: 'ccusage matches a copy by message.id alone (a sidechain copy without an exact message.id:requestId match) only within one sessionId: a subagent response copied into a forked session (progress line or inline sidechain line) counts again',
    affects: (c) => c.copy.isSidechain,
  },
  {
    id: 'kept-copy-tokens',
    label: 'another copy’s tokens kept',
    text: 'ccusage keeps another copy’s tokens (ties: first copy read; ctt: the larger output)',
    affects: () => true,
  },
  {
    id: 'kept-copy-day',
    label: 'dated by its kept (last) copy across midnight',
    text: 'ccusage dates a response by the copy it keeps (largest total: the final streamed block), ctt by its original (earliest) copy, and the response straddles midnight',
    affects: () => true,
  },
];
