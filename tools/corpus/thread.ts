import type { CorpusTree, ProjectLocation } from './corpus-tree.js';
import type { Era } from './eras.js';
import type { IdFactory, Provider } from './ids.js';
import type { JsonObject } from './json.js';
import type { Random } from './random.js';
import type { TextPool } from './text-pool.js';
import type { CorpusStats, TranscriptFile } from './transcript-file.js';

/** What every writer shares while one corpus is generated. */
export interface CorpusContext {
  readonly rng: Random;
  readonly ids: IdFactory;
  readonly pool: TextPool;
  readonly tree: CorpusTree;
  readonly stats: CorpusStats;
  readonly traps: boolean;
  readonly targetBytes: number;
  readonly windowStartMs: number;
  readonly windowMs: number;
  /** Main sessions written, for `~/.claude.json`. */
  readonly sessions: SessionInfo[];
}

export interface SessionInfo {
  readonly sessionId: string;
  readonly cwd: string;
  readonly version: string;
  readonly startMs: number;
  endMs: number;
  /** The session's per-model sums (shared with its threads). */
  readonly tally: ReadonlyMap<string, ModelTally>;
}

/** Per-model sums of one session (main thread and subagents), for its `cost-state` line. */
export interface ModelTally {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
  webSearchRequests: number;
  costUnits: number;
}

/**
 * One writer of lines into one file: a session's main conversation, a subagent, or a second
 * terminal on the same session. Carries the envelope fields, the clock and the uuid chain.
 */
export interface Thread {
  readonly ctx: CorpusContext;
  readonly era: Era;
  readonly location: ProjectLocation;
  readonly file: TranscriptFile;
  readonly sessionId: string;
  readonly version: string;
  readonly cwd: string;
  readonly gitBranch: string | null;
  readonly isSidechain: boolean;
  readonly agentId: string | null;
  readonly provider: Provider;
  readonly mainModel: string;
  readonly smallModel: string;
  readonly fastMode: boolean;
  readonly cache1h: boolean;
  /** `usage.inference_geo` to write (null: field absent). */
  readonly geo: string | null;
  /** Write JSON `null`s into tool inputs (trap mode). */
  readonly nullsInToolInputs: boolean;
  /** Multiplier on tool-result sizes. */
  readonly textScale: number;
  readonly subagentsAllowed: boolean;
  /** Most API calls (tool-use steps) in one turn. */
  readonly maxStepsPerTurn: number;
  readonly tally: Map<string, ModelTally>;
  clockMs: number;
  lastUuid: string | null;
  contextTokens: number;
  /** Records kept in memory for later copies (forks, /btw replays, mirrors); null = not kept. */
  retained: JsonObject[] | null;
}

export function emit(thread: Thread, record: JsonObject): void {
  thread.file.record(record);
  thread.retained?.push(record);
}

/** Moves the thread's clock forward by a random step; returns the new time. */
export function tick(thread: Thread, minMs: number, maxMs: number): number {
  thread.clockMs += thread.ctx.rng.int(minMs, maxMs);
  return thread.clockMs;
}

export function isoTime(timeMs: number): string {
  return new Date(timeMs).toISOString();
}

/** A thread writing into `file` on behalf of `parent` (subagent, or a second terminal). */
export function childThread(
  parent: Thread,
  file: TranscriptFile,
  overrides: { isSidechain: boolean; agentId: string | null; mainModel?: string },
): Thread {
  return {
    ...parent,
    file,
    isSidechain: overrides.isSidechain,
    agentId: overrides.agentId,
    mainModel: overrides.mainModel ?? parent.mainModel,
    lastUuid: null,
    contextTokens: 0,
    retained: null,
  };
}
