import type { Era } from './eras.js';
import { versionAtLeast } from './eras.js';
import { costStateLine, relocatedLine, summaryLine } from './line-builders.js';
import type { SessionTraits } from './session-traits.js';
import { drawTraits } from './session-traits.js';
import type { CorpusContext, SessionInfo, Thread } from './thread.js';
import { emit } from './thread.js';
import { writeTurn } from './turn-writer.js';

/** Everything that decides how one session file is written. */
export interface SessionSpec {
  readonly era: Era;
  readonly version: string;
  readonly configDir: string;
  readonly cwd: string;
  /** The folder's launch directory when it differs from `cwd` (a relocated session). */
  readonly folderCwd?: string;
  readonly startMs: number;
  readonly sessionId?: string;
  readonly traits?: Partial<SessionTraits>;
  readonly textScale?: number;
  readonly eol?: '\n' | '\r\n';
  /** Start the file with a UTF-8 byte order mark. */
  readonly bom?: boolean;
  /** Keep the records in memory (fork and replay sources). */
  readonly retain?: boolean;
  readonly subagents?: boolean;
  /** Most tool-use steps per turn (default 12). */
  readonly maxStepsPerTurn?: number;
}

export function openSession(ctx: CorpusContext, spec: SessionSpec): Thread {
  const { rng, ids, tree } = ctx;
  const traits = { ...drawTraits(ctx, spec.era, spec.version), ...spec.traits };
  const sessionId = spec.sessionId ?? ids.uuid();
  const location = {
    configDir: spec.configDir,
    folderCwd: spec.folderCwd ?? spec.cwd,
    version: spec.version,
  };
  const file = tree.open(tree.sessionPath(location, sessionId), spec.eol ?? '\n');
  if (spec.bom === true) file.raw('\uFEFF');
  const thread: Thread = {
    ctx,
    era: spec.era,
    location,
    file,
    sessionId,
    version: spec.version,
    cwd: spec.cwd,
    ...traits,
    isSidechain: false,
    agentId: null,
    nullsInToolInputs: ctx.traps,
    textScale: spec.textScale ?? 1,
    subagentsAllowed: spec.subagents ?? true,
    maxStepsPerTurn: spec.maxStepsPerTurn ?? 12,
    tally: new Map(),
    clockMs: spec.startMs,
    lastUuid: null,
    contextTokens: 0,
    retained: spec.retain === true ? [] : null,
  };
  if (!versionAtLeast(spec.version, '2.1.0') && rng.chance(0.3)) {
    emit(thread, summaryLine(ctx.pool.sentence(rng), ids.uuid()));
  }
  ctx.sessions.push({
    sessionId,
    cwd: spec.cwd,
    version: spec.version,
    startMs: spec.startMs,
    endMs: spec.startMs,
    tally: thread.tally,
  });
  return thread;
}

/** Writes whole turns until the session (with its subagent files) reaches `bytes`. */
export function writeTurnsUntil(thread: Thread, bytes: number, respectBudget = true): void {
  const { stats, targetBytes } = thread.ctx;
  const start = stats.approxBytes;
  do {
    writeTurn(thread);
  } while (
    stats.approxBytes - start < bytes &&
    (!respectBudget || stats.approxBytes < targetBytes)
  );
}

export function writeTurns(thread: Thread, turns: number): void {
  for (let i = 0; i < turns; i++) writeTurn(thread);
}

/**
 * Ends a session: ≥2.1.246 appends its `cost-state` line (graceful exit), a relocated session
 * appends the `relocated` record; then the file is closed with its last event time as mtime.
 */
export function closeSession(thread: Thread, options: { relocatedCwd?: string } = {}): void {
  const info: SessionInfo | undefined = thread.ctx.sessions.findLast(
    (s) => s.sessionId === thread.sessionId,
  );
  if (thread.era.costState && thread.ctx.rng.chance(0.85)) {
    emit(thread, costStateLine(thread, info?.startMs ?? thread.clockMs));
  }
  if (options.relocatedCwd !== undefined) emit(thread, relocatedLine(thread, options.relocatedCwd));
  thread.file.close();
  if (info !== undefined) info.endMs = Math.max(info.endMs, thread.clockMs);
}
