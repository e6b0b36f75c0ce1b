/** Options of `generateCorpus`. */
export interface CorpusOptions {
  /** Output dir: gets `home/.claude/projects/**`, `home/.config/claude/projects/**`, `home/.claude.json`, `manifest.json`. */
  root: string;
  /** Same seed + options ⇒ byte-identical tree and manifest. */
  seed: number;
  /** Approximate total transcript bytes (e.g. 2e6 for tests, 1e8 and 1e9 for the benchmark). */
  targetBytes: number;
  /** Default true: include every trap; false = only clean modern data. */
  traps?: boolean;
  /** If set, exactly one valid `user` line of this many bytes (a tool result) in one file. */
  oversizeLineBytes?: number;
  /** First event time (default 2025-05-01T00:00:00Z). */
  startTimeMs?: number;
  /** Events spread over about this many days (default 60). */
  days?: number;
}

export interface ResolvedCorpusOptions {
  readonly root: string;
  readonly seed: number;
  readonly targetBytes: number;
  readonly traps: boolean;
  readonly oversizeLineBytes: number | null;
  readonly startTimeMs: number;
  readonly days: number;
}

export const DEFAULT_START_TIME_MS = Date.UTC(2025, 4, 1);
export const DEFAULT_DAYS = 60;

export function resolveCorpusOptions(options: CorpusOptions): ResolvedCorpusOptions {
  const { root, seed, targetBytes } = options;
  if (root.length === 0) throw new Error('root must be a directory path');
  if (!Number.isFinite(seed)) throw new Error('seed must be a finite number');
  if (!Number.isFinite(targetBytes) || targetBytes < 0) throw new Error('targetBytes must be ≥ 0');
  const days = options.days ?? DEFAULT_DAYS;
  if (!Number.isFinite(days) || days <= 0) throw new Error('days must be > 0');
  const startTimeMs = options.startTimeMs ?? DEFAULT_START_TIME_MS;
  if (!Number.isFinite(startTimeMs)) throw new Error('startTimeMs must be a finite number');
  const oversize = options.oversizeLineBytes;
  if (oversize !== undefined && (!Number.isInteger(oversize) || oversize <= 0)) {
    throw new Error('oversizeLineBytes must be a positive integer');
  }
  return {
    root,
    seed,
    targetBytes,
    traps: options.traps ?? true,
    oversizeLineBytes: oversize ?? null,
    startTimeMs,
    days,
  };
}
