import { timeInEra } from './corpus-plan.js';
import { eraById } from './eras.js';
import type { OversizeLine, PendingTail } from './manifest.js';
import { closeSession, writeTurns } from './session-writer.js';
import { writeModernVariety } from './showcase-modern.js';
import { API_CWD, WEBAPP_CWD } from './showcase-session.js';
import { writeTrapSessions } from './showcase-traps.js';
import type { CorpusContext } from './thread.js';
import {
  writeBomSession,
  writeCrlfSession,
  writeEmptyTranscript,
  writeNoCompleteLine,
  writeOversizeSession,
  writePendingTailSession,
} from './trap-files.js';

export interface ShowcaseResult {
  readonly pendingTail: PendingTail | null;
  readonly oversizeLine: OversizeLine | null;
}

/**
 * Hand-placed sessions that guarantee every feature (and, with traps, every trap, several times
 * and spread over files) appears whatever the corpus size, in about 1 MB. Ordinary random
 * sessions fill the rest of the budget.
 */
export function writeShowcase(
  ctx: CorpusContext,
  oversizeLineBytes: number | null,
): ShowcaseResult {
  const modern = writeModernVariety(ctx);
  const late = eraById('v2.1-cost-state');
  let pendingTail: PendingTail | null = null;
  if (ctx.traps) {
    writeTrapSessions(ctx, modern);
    writeEmptyTranscript(ctx, WEBAPP_CWD);
    writeNoCompleteLine(ctx, API_CWD, timeInEra(ctx, late, 0.95));
    pendingTail = writePendingTailSession(ctx, WEBAPP_CWD, timeInEra(ctx, late, 0.95));
    writeCrlfSession(ctx, API_CWD, timeInEra(ctx, eraById('v2.1-final-usage'), 0.4));
    writeBomSession(ctx, WEBAPP_CWD, timeInEra(ctx, late, 0.6));
  } else {
    writeTurns(modern, 1);
    closeSession(modern);
  }
  const oversizeLine =
    oversizeLineBytes === null
      ? null
      : writeOversizeSession(ctx, API_CWD, timeInEra(ctx, late, 0.7), oversizeLineBytes);
  return { pendingTail, oversizeLine };
}
