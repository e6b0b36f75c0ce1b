import type { LatencyPercentiles } from './results.js';

/** Nearest-rank percentiles (a value that was observed, never an interpolation) and the mean. */

function nearestRank(sorted: readonly number[], percent: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((percent / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function percentilesOf(values: readonly number[]): LatencyPercentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    p50Ms: nearestRank(sorted, 50),
    p90Ms: nearestRank(sorted, 90),
    p99Ms: nearestRank(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    meanMs: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

export function meanOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((total, v) => total + v, 0) / values.length;
}
