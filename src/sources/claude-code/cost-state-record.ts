/**
 * Claude Code's own `cost-state` record (claude-code-data §3.6, CC ≥ 2.1.246): the session's
 * cumulative cost ledger, appended at graceful exit, before `/clear` and when switching sessions.
 * It is kept as a cross-check of Claude Code's own figures and never added to usage: it repeats
 * the session's responses and carries over across resumes and forks. It has no timestamp; its
 * file position orders it.
 */
import type { CostState } from '../../core/cost-state.js';
import { keyEquals, readString, scanObject } from '../json-scan.js';

/** One `cost-state` record as read (the shape the ledger stores). */
export type CostStateRecord = CostState;

type ModelSums = Pick<
  CostStateRecord,
  'inputTokens' | 'outputTokens' | 'cacheCreationTokens' | 'cacheReadTokens' | 'webSearchRequests'
>;

/** `modelUsage` field names → our names. */
const MODEL_FIELDS = [
  ['inputTokens', 'inputTokens'],
  ['outputTokens', 'outputTokens'],
  ['cacheCreationInputTokens', 'cacheCreationTokens'],
  ['cacheReadInputTokens', 'cacheReadTokens'],
  ['webSearchRequests', 'webSearchRequests'],
] as const;

const NO_MODEL_USAGE: ModelSums = {
  inputTokens: null,
  outputTokens: null,
  cacheCreationTokens: null,
  cacheReadTokens: null,
  webSearchRequests: null,
};

/**
 * A number value, strictly: `JSON.parse` throws on what the loose scanner let through (`1e`,
 * `--2`), which makes the line damaged. Any other type (null, a string) is treated as absent.
 */
function strictNumber(buf: Buffer, start: number, end: number): number | null {
  const byte = buf[start] as number;
  if (byte !== 0x2d && (byte < 0x30 || byte > 0x39)) return null;
  const value = JSON.parse(buf.toString('latin1', start, end)) as unknown;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Sums each field over the models; an empty `modelUsage` means no calls yet: zeros. */
function sumModels(raw: unknown): ModelSums {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return NO_MODEL_USAGE;
  const models = Object.values(raw as Record<string, unknown>).filter(
    (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
  );
  const sums: Record<string, number | null> = {};
  for (const [from, to] of MODEL_FIELDS) {
    let sum: number | null = models.length === 0 ? 0 : null;
    for (const model of models) {
      const value = finite(model[from]);
      if (value !== null) sum = (sum ?? 0) + value;
    }
    sums[to] = sum;
  }
  return sums as unknown as ModelSums;
}

/**
 * Reads the `cost-state` object at `buf[start]` (already validated by the record scanner).
 * Throws when one of its numbers does not parse: the line is then quarantined.
 */
export function readCostState(
  buf: Buffer,
  start: number,
  end: number,
  fileOffset: number,
): CostStateRecord {
  let sessionId: string | null = null;
  let totalCostUsd: number | null = null;
  let linesAdded: number | null = null;
  let linesRemoved: number | null = null;
  let modelUsage: [number, number] | null = null;
  scanObject(buf, start, end, (b, ks, ke, vs, ve) => {
    if (keyEquals(b, ks, ke, 'sessionId')) sessionId = readString(b, vs, ve);
    else if (keyEquals(b, ks, ke, 'totalCostUSD')) totalCostUsd = strictNumber(b, vs, ve);
    else if (keyEquals(b, ks, ke, 'totalLinesAdded')) linesAdded = strictNumber(b, vs, ve);
    else if (keyEquals(b, ks, ke, 'totalLinesRemoved')) linesRemoved = strictNumber(b, vs, ve);
    else if (keyEquals(b, ks, ke, 'modelUsage')) modelUsage = [vs, ve];
  });
  const span = modelUsage as [number, number] | null;
  const models =
    span === null || buf[span[0]] !== 0x7b
      ? NO_MODEL_USAGE
      : sumModels(JSON.parse(buf.toString('utf8', span[0], span[1])));
  return {
    byteOffset: fileOffset,
    sessionId,
    totalCostUsd,
    linesAdded,
    linesRemoved,
    ...models,
  };
}
