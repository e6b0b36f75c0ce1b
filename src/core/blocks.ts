/**
 * ccusage-compatible 5-hour blocks (spec/cli.md `blocks`, claude-code-data.md §8). A client-side
 * heuristic of Anthropic's rolling usage window, not the server's own window:
 * - a block starts at its first entry's time floored to the UTC hour and lasts `blockHours`;
 * - an entry more than `blockHours` after the block's start, or after the previous entry,
 *   starts a new block;
 * - an idle gap longer than `blockHours` between two entries adds a gap block
 *   `[previous entry + blockHours, next entry)`, which may overlap the first hour of the next
 *   block (its start is floored to the hour), exactly as in ccusage.
 * The shapes are structurally those of `Block` in reports/report-model.ts.
 */
import { UsageError } from './errors.js';

/**
 * One deduplicated API response, as blocks need it; or several responses of one model within one
 * right-closed hour `((k−1) h, k h]`, summed, with `tsMs` the first and `lastMs` the last of them.
 * Block edges (start + N whole hours) are hour marks and an hour holds no 5-hour gap, so such a
 * group never straddles a block: blocks from groups equal blocks from single responses.
 */
export interface BlockEntry {
  readonly tsMs: number;
  /** Last response of a group (default `tsMs`). */
  readonly lastMs?: number;
  /** Responses in a group (default 1). */
  readonly count?: number;
  /** Responses of a group with a known cost (default: 1 when `costUsd` is not null). */
  readonly pricedCount?: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationTokens: number;
  readonly cacheReadTokens: number;
  /** USD in the report's cost mode; null when the model has no price. */
  readonly costUsd: number | null;
  readonly model: string;
}

export interface BlockTokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

export interface BlockBurnRate {
  readonly tokensPerHour: number;
  readonly costUsdPerHour: number;
}

export interface BlockProjection {
  readonly totalTokens: number;
  readonly costUsd: number;
  readonly remainingMinutes: number;
}

export interface Block {
  /** Start as ISO-8601 (`2026-03-08T10:00:00.000Z`); a gap block's is prefixed `gap-` as in ccusage. */
  readonly id: string;
  readonly startMs: number;
  /** `startMs + blockHours`; for a gap block, the time of the entry that ends the gap. */
  readonly endMs: number;
  /** Time of the block's last entry (null for a gap block). */
  readonly actualEndMs: number | null;
  readonly isActive: boolean;
  readonly isGap: boolean;
  readonly entries: number;
  readonly tokenCounts: BlockTokenCounts;
  readonly totalTokens: number;
  /** Sum of the priced entries' costs; null when every entry is unpriced; 0 for a gap block. */
  readonly costUsd: number | null;
  /** Distinct models in first-seen order. */
  readonly models: string[];
  /** Active block only: tokens and USD per hour over first→last entry. */
  readonly burnRate: BlockBurnRate | null;
  /** Active block only: totals at `endMs` if the burn rate holds. */
  readonly projection: BlockProjection | null;
}

export interface BlockOptions {
  /** Block length in hours (default 5). */
  readonly blockHours?: number | undefined;
}

export const DEFAULT_BLOCK_HOURS = 5;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Groups `entries` (any order; the array is not modified) into blocks, oldest first, with gap
 * blocks between idle periods. `nowMs` decides which block is active. Linear after the sort,
 * and the sort is skipped when the entries are already in time order.
 */
export function identifyBlocks(
  entries: readonly BlockEntry[],
  nowMs: number,
  options: BlockOptions = {},
): Block[] {
  const blockHours = options.blockHours ?? DEFAULT_BLOCK_HOURS;
  if (!Number.isFinite(blockHours) || blockHours <= 0) {
    throw new UsageError(
      `block length ${blockHours} h is invalid (expected a positive number of hours)`,
    );
  }
  const blockMs = blockHours * HOUR_MS;
  const sorted = isSortedByTime(entries) ? entries : sortByTime(entries);
  const blocks: Block[] = [];
  let open: OpenBlock | null = null;
  for (const entry of sorted) {
    if (open !== null) {
      const sinceLastMs = entry.tsMs - open.lastMs;
      if (entry.tsMs - open.startMs <= blockMs && sinceLastMs <= blockMs) {
        addEntry(open, entry);
        continue;
      }
      blocks.push(closeBlock(open, nowMs, blockMs));
      if (sinceLastMs > blockMs) blocks.push(gapBlock(open.lastMs + blockMs, entry.tsMs));
    }
    open = openBlock(entry);
  }
  if (open !== null) blocks.push(closeBlock(open, nowMs, blockMs));
  return blocks;
}

interface OpenBlock {
  readonly startMs: number;
  readonly firstMs: number;
  lastMs: number;
  entries: number;
  readonly tokenCounts: BlockTokenCounts;
  costUsd: number;
  pricedEntries: number;
  readonly models: Set<string>;
}

function isSortedByTime(entries: readonly BlockEntry[]): boolean {
  let previousMs = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    if (!(entry.tsMs >= previousMs)) return false;
    previousMs = entry.tsMs;
  }
  return true;
}

/**
 * A stable sort by `tsMs`: LSD radix on integer milliseconds, 16 bits a pass (3 passes for
 * current dates), since a comparison sort of 1M objects takes seconds. A negative, fractional
 * or unsafe time falls back to `Array#sort`.
 */
function sortByTime(entries: readonly BlockEntry[]): BlockEntry[] {
  const count = entries.length;
  const low = new Uint32Array(count);
  const high = new Uint32Array(count);
  let order = new Uint32Array(count);
  let next = new Uint32Array(count);
  let maxMs = 0;
  for (let i = 0; i < count; i++) {
    const tsMs = (entries[i] as BlockEntry).tsMs;
    if (!Number.isSafeInteger(tsMs) || tsMs < 0)
      return [...entries].sort((a, b) => a.tsMs - b.tsMs);
    low[i] = tsMs % 2 ** 32;
    high[i] = Math.floor(tsMs / 2 ** 32);
    order[i] = i;
    if (tsMs > maxMs) maxMs = tsMs;
  }
  const buckets = new Uint32Array(65_537);
  for (let shift = 0; maxMs >= 2 ** shift; shift += 16) {
    const words = shift < 32 ? low : high;
    const wordShift = shift % 32;
    buckets.fill(0);
    for (let i = 0; i < count; i++) {
      const bucket = (((words[i] as number) >>> wordShift) & 0xffff) + 1;
      buckets[bucket] = (buckets[bucket] as number) + 1;
    }
    for (let b = 1; b < buckets.length; b++) {
      buckets[b] = (buckets[b] as number) + (buckets[b - 1] as number);
    }
    for (let i = 0; i < count; i++) {
      const index = order[i] as number;
      const bucket = ((words[index] as number) >>> wordShift) & 0xffff;
      const slot = buckets[bucket] as number;
      buckets[bucket] = slot + 1;
      next[slot] = index;
    }
    [order, next] = [next, order];
  }
  const sorted = new Array<BlockEntry>(count);
  for (let i = 0; i < count; i++) sorted[i] = entries[order[i] as number] as BlockEntry;
  return sorted;
}

function zeroTokenCounts(): BlockTokenCounts {
  return { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
}

function openBlock(entry: BlockEntry): OpenBlock {
  const startMs = Math.floor(entry.tsMs / HOUR_MS) * HOUR_MS;
  const block: OpenBlock = {
    startMs,
    firstMs: entry.tsMs,
    lastMs: entry.tsMs,
    entries: 0,
    tokenCounts: zeroTokenCounts(),
    costUsd: 0,
    pricedEntries: 0,
    models: new Set(),
  };
  addEntry(block, entry);
  return block;
}

function addEntry(block: OpenBlock, entry: BlockEntry): void {
  const counts = block.tokenCounts;
  block.lastMs = Math.max(block.lastMs, entry.lastMs ?? entry.tsMs);
  block.entries += entry.count ?? 1;
  counts.inputTokens += entry.inputTokens;
  counts.outputTokens += entry.outputTokens;
  counts.cacheCreationInputTokens += entry.cacheCreationTokens;
  counts.cacheReadInputTokens += entry.cacheReadTokens;
  if (entry.costUsd !== null) {
    block.costUsd += entry.costUsd;
    block.pricedEntries += entry.pricedCount ?? 1;
  }
  block.models.add(entry.model);
}

function closeBlock(open: OpenBlock, nowMs: number, blockMs: number): Block {
  const { startMs, lastMs, tokenCounts: counts } = open;
  const endMs = startMs + blockMs;
  const totalTokens =
    counts.inputTokens +
    counts.outputTokens +
    counts.cacheCreationInputTokens +
    counts.cacheReadInputTokens;
  const costUsd = open.pricedEntries === 0 ? null : open.costUsd;
  const isActive = nowMs - lastMs < blockMs && nowMs < endMs;
  // Rates over first→last entry; none when that span is under one minute (a single entry, or
  // entries at nearly one instant): the rate would be noise or a division by zero.
  const spanMs = lastMs - open.firstMs;
  const spanHours = spanMs / HOUR_MS;
  const burnRate =
    isActive && spanMs >= MINUTE_MS
      ? { tokensPerHour: totalTokens / spanHours, costUsdPerHour: (costUsd ?? 0) / spanHours }
      : null;
  // Projection: current totals plus the burn rate over the time left until `endMs`.
  const remainingHours = Math.max(0, endMs - nowMs) / HOUR_MS;
  const projection =
    burnRate === null
      ? null
      : {
          totalTokens: Math.round(totalTokens + burnRate.tokensPerHour * remainingHours),
          costUsd: (costUsd ?? 0) + burnRate.costUsdPerHour * remainingHours,
          remainingMinutes: Math.round(remainingHours * 60),
        };
  return {
    id: new Date(startMs).toISOString(),
    startMs,
    endMs,
    actualEndMs: lastMs,
    isActive,
    isGap: false,
    entries: open.entries,
    tokenCounts: counts,
    totalTokens,
    costUsd,
    models: [...open.models],
    burnRate,
    projection,
  };
}

function gapBlock(startMs: number, endMs: number): Block {
  return {
    id: `gap-${new Date(startMs).toISOString()}`,
    startMs,
    endMs,
    actualEndMs: null,
    isActive: false,
    isGap: true,
    entries: 0,
    tokenCounts: zeroTokenCounts(),
    totalTokens: 0,
    costUsd: 0,
    models: [],
    burnRate: null,
    projection: null,
  };
}
