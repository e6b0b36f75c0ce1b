import type { TokenFields } from './results.js';

/** Arithmetic and formatting for the four per-day token fields, plus small number helpers. */

export const FIELD_LABELS: readonly (readonly [keyof TokenFields, string])[] = [
  ['inputTokens', 'input'],
  ['outputTokens', 'output'],
  ['cacheCreationTokens', 'cache write'],
  ['cacheReadTokens', 'cache read'],
];

export function zeroFields(): TokenFields {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 };
}

export function addInto(target: TokenFields, delta: TokenFields, sign = 1): void {
  target.inputTokens += sign * delta.inputTokens;
  target.outputTokens += sign * delta.outputTokens;
  target.cacheCreationTokens += sign * delta.cacheCreationTokens;
  target.cacheReadTokens += sign * delta.cacheReadTokens;
}

export function minus(a: TokenFields, b: TokenFields): TokenFields {
  const out = { ...a };
  addInto(out, b, -1);
  return out;
}

export function isZero(fields: TokenFields): boolean {
  return FIELD_LABELS.every(([key]) => fields[key] === 0);
}

export function sameFields(a: TokenFields, b: TokenFields): boolean {
  return isZero(minus(a, b));
}

/** Sum of the four fields, for ordering by size. */
export function magnitude(fields: TokenFields): number {
  return FIELD_LABELS.reduce((sum, [key]) => sum + Math.abs(fields[key]), 0);
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatSigned(value: number): string {
  return `${value > 0 ? '+' : value < 0 ? '-' : ''}${formatCount(Math.abs(value))}`;
}

/** "input -9, output -327" — only the non-zero fields; "none" when all are zero. */
export function formatDelta(fields: TokenFields): string {
  const parts = FIELD_LABELS.filter(([key]) => fields[key] !== 0).map(
    ([key, label]) => `${label} ${formatSigned(fields[key])}`,
  );
  return parts.length === 0 ? 'none' : parts.join(', ');
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const high = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? high : ((sorted[middle - 1] ?? 0) + high) / 2;
}

/** 1e8 → "1e8", 2e7 → "2e7", 1.5e9 → "1.5e9". */
export function sizeLabel(bytes: number): string {
  return bytes.toExponential().replace('+', '');
}

/** 1e8 → "100 MB", 1e9 → "1 GB" (decimal units, as the corpus sizes are given). */
export function humanBytes(bytes: number): string {
  if (bytes >= 1e9) return `${Number((bytes / 1e9).toFixed(2))} GB`;
  return `${Number((bytes / 1e6).toFixed(1))} MB`;
}
