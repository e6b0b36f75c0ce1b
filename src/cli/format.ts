/** Number formatting shared by human output: thousands separators, durations. */
let integerFormat: Intl.NumberFormat | null = null;

export function formatCount(value: number): string {
  // Created on first use: building an Intl formatter costs more than the rest of a quick sync.
  integerFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return integerFormat.format(value);
}

export function formatDurationMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
