import { timeInEra } from './corpus-plan.js';
import { eraById } from './eras.js';
import { openSession } from './session-writer.js';
import type { SessionSpec } from './session-writer.js';
import type { CorpusContext, Thread } from './thread.js';

export const WEBAPP_CWD = '/home/dev/src/webapp';
export const API_CWD = '/home/dev/src/api-server';

/**
 * A small hand-placed session: short texts and turns, started at `position` (0..1) within its
 * era's part of the time window.
 */
export function showcaseSession(
  ctx: CorpusContext,
  eraId: string,
  version: string,
  position: number,
  extra: Partial<SessionSpec> = {},
): Thread {
  const era = eraById(eraId);
  return openSession(ctx, {
    era,
    version,
    configDir: ctx.tree.claudeDir,
    cwd: WEBAPP_CWD,
    startMs: timeInEra(ctx, era, position),
    textScale: 0.12,
    maxStepsPerTurn: 2,
    ...extra,
  });
}
