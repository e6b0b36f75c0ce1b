/**
 * Transcript eras (shared/claude-code-data.md §3 and §9.1): what each range of Claude Code
 * versions writes, and which models its sessions typically used.
 */

export type SubagentLayout = 'inline' | 'flat' | 'nested';

export interface Era {
  readonly id: string;
  /** Versions written by sessions of this era, oldest first. */
  readonly versions: readonly string[];
  /** ≤1.0.9: one line per API response, with `costUSD` and `durationMs`. */
  readonly linePerResponse: boolean;
  /** `requestId` on assistant lines (from 1.0.5). */
  readonly requestId: boolean;
  /** 1.0.10–2.1.96: early block lines carry the streaming placeholder usage. */
  readonly placeholderUsage: boolean;
  /** 1.0.x: sidechains inline; ≤2.1.1: `agent-<id>.jsonl`; ≥2.1.2: `<session>/subagents/`. */
  readonly subagents: SubagentLayout;
  /** `cache_creation.ephemeral_5m/1h` and `server_tool_use` in usage (2.x). */
  readonly cacheBreakdown: boolean;
  /** `cost-state` lines at exit (≥2.1.246). */
  readonly costState: boolean;
  /** Share of the corpus time window this era covers (start, end), for the full mix. */
  readonly band: readonly [number, number];
  /** Main models with weights, and the small model used for light subagents. */
  readonly mainModels: readonly (readonly [string, number])[];
  readonly smallModel: string;
}

const SONNET_4 = 'claude-sonnet-4-20250514';
const OPUS_4 = 'claude-opus-4-20250514';
const HAIKU_3_5 = 'claude-3-5-haiku-20241022';
export const SONNET_4_5 = 'claude-sonnet-4-5-20250929';
export const HAIKU_4_5 = 'claude-haiku-4-5-20251001';
const OPUS_4_6 = 'claude-opus-4-6';
const OPUS_5_5 = 'claude-opus-5-5';
const SONNET_5_5 = 'claude-sonnet-5-5';
const HAIKU_5_5 = 'claude-haiku-5-5';

const OLD = { cacheBreakdown: false, costState: false, smallModel: HAIKU_3_5 } as const;
const OLD_MODELS = [
  [SONNET_4, 7],
  [OPUS_4, 3],
] as const;

export const ERAS: readonly Era[] = [
  {
    ...OLD,
    id: 'v1.0.0',
    versions: ['1.0.0'],
    linePerResponse: true,
    requestId: false,
    placeholderUsage: false,
    subagents: 'inline',
    band: [0, 0.06],
    mainModels: OLD_MODELS,
  },
  {
    ...OLD,
    id: 'v1.0.5',
    versions: ['1.0.5'],
    linePerResponse: true,
    requestId: true,
    placeholderUsage: false,
    subagents: 'inline',
    band: [0.06, 0.12],
    mainModels: OLD_MODELS,
  },
  {
    ...OLD,
    id: 'v1.0.x',
    versions: ['1.0.24', '1.0.30', '1.0.31', '1.0.60', '1.0.88'],
    linePerResponse: false,
    requestId: true,
    placeholderUsage: true,
    subagents: 'inline',
    band: [0.12, 0.32],
    mainModels: OLD_MODELS,
  },
  {
    id: 'v2.0',
    versions: ['2.0.14', '2.0.76', '2.1.0', '2.1.1'],
    linePerResponse: false,
    requestId: true,
    placeholderUsage: true,
    subagents: 'flat',
    cacheBreakdown: true,
    costState: false,
    band: [0.32, 0.46],
    mainModels: [[SONNET_4_5, 1]],
    smallModel: HAIKU_4_5,
  },
  {
    id: 'v2.1-placeholder',
    versions: ['2.1.2', '2.1.40', '2.1.77', '2.1.96'],
    linePerResponse: false,
    requestId: true,
    placeholderUsage: true,
    subagents: 'nested',
    cacheBreakdown: true,
    costState: false,
    band: [0.46, 0.62],
    mainModels: [
      [SONNET_4_5, 5],
      [OPUS_4_6, 4],
    ],
    smallModel: HAIKU_4_5,
  },
  {
    id: 'v2.1-final-usage',
    versions: ['2.1.97', '2.1.150', '2.1.239'],
    linePerResponse: false,
    requestId: true,
    placeholderUsage: false,
    subagents: 'nested',
    cacheBreakdown: true,
    costState: false,
    band: [0.62, 0.8],
    mainModels: [
      [OPUS_4_6, 5],
      [SONNET_4_5, 3],
      [SONNET_5_5, 2],
    ],
    smallModel: HAIKU_4_5,
  },
  {
    id: 'v2.1-cost-state',
    versions: ['2.1.246', '2.1.300', '2.1.332'],
    linePerResponse: false,
    requestId: true,
    placeholderUsage: false,
    subagents: 'nested',
    cacheBreakdown: true,
    costState: true,
    band: [0.8, 1],
    mainModels: [
      [OPUS_5_5, 5],
      [SONNET_5_5, 3],
      [OPUS_4_6, 1],
    ],
    smallModel: HAIKU_5_5,
  },
];

/** Eras of "clean modern data" (`traps: false`): per-block lines that carry the final usage. */
export const MODERN_ERAS: readonly Era[] = ERAS.filter(
  (era) => !era.placeholderUsage && !era.linePerResponse,
);

export function eraById(id: string): Era {
  const era = ERAS.find((candidate) => candidate.id === id);
  if (era === undefined) throw new Error(`unknown era ${id}`);
  return era;
}

/** The era covering `fraction` (0..1) of the time window, bands rescaled over `eras`. */
export function eraAt(fraction: number, eras: readonly Era[]): Era {
  const first = eras[0];
  const last = eras[eras.length - 1];
  if (first === undefined || last === undefined) throw new Error('eraAt: no eras');
  const start = first.band[0];
  const span = last.band[1] - start;
  const position = start + fraction * span;
  return eras.find((era) => position < era.band[1]) ?? last;
}

/** Compares dotted versions numerically: negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

const atLeastCache = new Map<string, boolean>();

/** `version >= minimum` (memoized: it is asked for every line written). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const key = `${version}>=${minimum}`;
  let result = atLeastCache.get(key);
  if (result === undefined)
    atLeastCache.set(key, (result = compareVersions(version, minimum) >= 0));
  return result;
}
