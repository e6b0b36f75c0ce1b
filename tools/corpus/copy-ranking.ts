import { totalTokensOf } from './usage-copy.js';
import type { UsageCopy } from './usage-copy.js';

/**
 * Which copy of a response supplies its tokens and model: a non-sidechain copy over a
 * sidechain one, then the largest token total, then the largest output. Ties keep `current`.
 */
export function isBetterFinal(candidate: UsageCopy, current: UsageCopy): boolean {
  if (candidate.isSidechain !== current.isSidechain) return !candidate.isSidechain;
  const candidateTotal = totalTokensOf(candidate.usage);
  const currentTotal = totalTokensOf(current.usage);
  if (candidateTotal !== currentTotal) return candidateTotal > currentTotal;
  return candidate.usage.outputTokens > current.usage.outputTokens;
}

/**
 * Which copy a response is attributed to (session, cwd, day): a non-sidechain copy first, then
 * a copy without `forkedFrom`, then the earliest timestamp. Ties keep `current`.
 */
export function isBetterOriginal(candidate: UsageCopy, current: UsageCopy): boolean {
  if (candidate.isSidechain !== current.isSidechain) return !candidate.isSidechain;
  if (candidate.forked !== current.forked) return !candidate.forked;
  return candidate.timestampMs < current.timestampMs;
}
