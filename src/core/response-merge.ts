/**
 * How copies of one API response become one ledger row (spec/cli.md, accounting rules).
 * Tokens come from the FINAL copy: a main-thread copy beats a sidechain replay, then the largest
 * token total (streaming placeholders lose to the final usage), then the larger output.
 * Attribution (session, project, time) comes from the ORIGINAL copy: main thread first, then a
 * copy that is not a fork, then the earliest timestamp. Both are total orders with explicit
 * tie-breaks, so the result does not depend on the order files are read in.
 */
import { totalTokens, type TokenUsage } from './usage.js';

export interface FinalCopy {
  readonly isSidechain: boolean;
  readonly model: string;
  readonly usage: TokenUsage;
  readonly version: string | null;
  readonly costUsdLogged: number | null;
  readonly agentId: string | null;
}

export interface OriginalCopy {
  readonly isSidechain: boolean;
  readonly forked: boolean;
  readonly timestampMs: number | null;
  readonly sessionId: string | null;
  readonly cwd: string | null;
  readonly projectDir: string | null;
}

function compareText(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when `a` should replace `b` as the copy whose usage counts. */
export function isBetterFinal(a: FinalCopy, b: FinalCopy): boolean {
  if (a.isSidechain !== b.isSidechain) return !a.isSidechain;
  const totalA = totalTokens(a.usage);
  const totalB = totalTokens(b.usage);
  if (totalA !== totalB) return totalA > totalB;
  if (a.usage.outputTokens !== b.usage.outputTokens)
    return a.usage.outputTokens > b.usage.outputTokens;
  if ((a.usage.speed === null) !== (b.usage.speed === null)) return a.usage.speed !== null;
  const byModel = compareText(a.model, b.model);
  if (byModel !== 0) return byModel < 0;
  const byVersion = compareText(a.version, b.version);
  if (byVersion !== 0) return byVersion < 0;
  if ((a.costUsdLogged ?? -1) !== (b.costUsdLogged ?? -1)) {
    return (a.costUsdLogged ?? -1) > (b.costUsdLogged ?? -1);
  }
  const byAgent = compareText(a.agentId, b.agentId);
  if (byAgent !== 0) return byAgent < 0;
  return compareRestOfUsage(a.usage, b.usage) > 0;
}

const REST_NUMBERS = [
  'cacheReadTokens',
  'cacheCreationTokens',
  'cacheCreation1hTokens',
  'inputTokens',
  'webSearchRequests',
  'webFetchRequests',
] as const;
const REST_TEXTS = ['speed', 'inferenceGeo', 'serviceTier'] as const;

/** The last tie-break, which makes the order total: any other usage difference, in a fixed order. */
function compareRestOfUsage(a: TokenUsage, b: TokenUsage): number {
  for (const key of REST_NUMBERS) if (a[key] !== b[key]) return a[key] > b[key] ? 1 : -1;
  for (const key of REST_TEXTS) {
    const byText = compareText(a[key], b[key]);
    if (byText !== 0) return -byText;
  }
  return 0;
}

/** True when `a` should replace `b` as the copy the response is attributed to. */
export function isEarlierOriginal(a: OriginalCopy, b: OriginalCopy): boolean {
  if (a.isSidechain !== b.isSidechain) return !a.isSidechain;
  if (a.forked !== b.forked) return !a.forked;
  if (a.timestampMs !== b.timestampMs) {
    if (a.timestampMs === null) return false;
    if (b.timestampMs === null) return true;
    return a.timestampMs < b.timestampMs;
  }
  const bySession = compareText(a.sessionId, b.sessionId);
  if (bySession !== 0) return bySession < 0;
  const byCwd = compareText(a.cwd, b.cwd);
  if (byCwd !== 0) return byCwd < 0;
  return compareText(a.projectDir, b.projectDir) < 0;
}

/**
 * Sidechain replays (`/btw`) carry a new requestId for a message id already seen: when either the
 * incoming copy or the response's final copy is a sidechain, the same message id is the same
 * response (claude-code-data §3.7, item 3).
 */
export function isSidechainReplay(
  incomingIsSidechain: boolean,
  existingIsSidechain: boolean,
): boolean {
  return incomingIsSidechain || existingIsSidechain;
}
