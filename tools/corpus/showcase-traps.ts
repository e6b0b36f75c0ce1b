import type { DamageKind } from './damage.js';
import { writeDamage } from './damage.js';
import { HAIKU_4_5, SONNET_4_5 } from './eras.js';
import { summaryLine } from './line-builders.js';
import {
  writeFallbackTurn,
  writeInterruptedTurn,
  writeMidnightTurn,
  writeNullsTurn,
  writeScriptedUsage,
  writeTaskTurn,
} from './scripted-turns.js';
import type { ScriptedUsage } from './scripted-turns.js';
import { closeSession, writeTurns } from './session-writer.js';
import { API_CWD, showcaseSession } from './showcase-session.js';
import type { CorpusContext, Thread } from './thread.js';
import { emit } from './thread.js';
import { writeBtwReplay, writeFork, writeMirror } from './trap-copies.js';

const UNKNOWN_MODEL: readonly ScriptedUsage[] = [
  { model: 'claude-nova-7', facts: { output: 1_234 } },
  { model: 'claude-nova-7', facts: { webSearch: 1 } },
  { model: 'claude-nova-7', facts: { cacheCreation1h: 2_000, cacheCreation: 2_000 } },
];

/** Which damaged lines go into which era's session (each kind several times, 4 files). */
const DAMAGE_PLAN: readonly (readonly [string, string, readonly DamageKind[]])[] = [
  ['v1.0.x', '1.0.60', ['torn', 'glued', 'nul-only', 'spliced-assistant']],
  ['v2.0', '2.0.76', ['glued-mixed', 'nul-prefixed', 'torn', 'spliced-user']],
  ['v2.1-placeholder', '2.1.77', ['nul-only', 'glued', 'spliced-assistant', 'nul-prefixed-user']],
  [
    'v2.1-cost-state',
    '2.1.332',
    ['torn', 'nul-prefixed', 'blank', 'nul-only', 'glued', 'spliced-assistant'],
  ],
];

function writeDamagedSessions(ctx: CorpusContext): void {
  DAMAGE_PLAN.forEach(([eraId, version, kinds], index) => {
    const thread = showcaseSession(ctx, eraId, version, 0.15 + index * 0.2, {
      cwd: API_CWD,
      subagents: false,
      traits: { gitBranch: null },
    });
    for (const kind of kinds) {
      writeTurns(thread, 1);
      writeDamage(thread, kind);
    }
    writeTurns(thread, 1);
    closeSession(thread);
  });
}

/** Old eras: cost lines, no request ids, inline sidechains, the XDG config dir, long context. */
function writeOldEras(ctx: CorpusContext): void {
  const v100 = showcaseSession(ctx, 'v1.0.0', '1.0.0', 0.5, { retain: true });
  writeTurns(v100, 2);
  writeTaskTurn(v100);
  closeSession(v100);
  writeFork(v100, 0.6, 1);
  const v105 = showcaseSession(ctx, 'v1.0.5', '1.0.5', 0.5);
  emit(v105, summaryLine(ctx.pool.sentence(ctx.rng), ctx.ids.uuid()));
  writeTurns(v105, 2);
  writeTaskTurn(v105);
  closeSession(v105);
  const v1060 = showcaseSession(ctx, 'v1.0.x', '1.0.60', 0.9, {
    traits: { mainModel: 'claude-sonnet-4-20250514' },
  });
  writeTurns(v1060, 1);
  writeScriptedUsage(v1060, [
    { facts: { input: 40, cacheRead: 228_000, cacheCreation: 3_100, output: 1_500 } },
  ]);
  writeInterruptedTurn(v1060);
  writeMidnightTurn(v1060);
  writeFallbackTurn(v1060, 'claude-3-5-haiku-20241022');
  closeSession(v1060);
  const xdg = showcaseSession(ctx, 'v1.0.x', '1.0.30', 0.45, {
    configDir: ctx.tree.xdgDir,
    retain: true,
    subagents: false,
  });
  writeTurns(xdg, 3);
  closeSession(xdg);
  writeMirror(xdg, ctx.tree.claudeDir);
  const xdg31 = showcaseSession(ctx, 'v1.0.x', '1.0.31', 0.5, {
    configDir: ctx.tree.xdgDir,
    cwd: API_CWD,
  });
  writeTurns(xdg31, 1);
  writeTaskTurn(xdg31);
  closeSession(xdg31);
}

/** Streaming eras: placeholders, midnight, fallbacks, flat/nested subagents, forks, /btw. */
function writeStreamingEras(ctx: CorpusContext, modern: Thread): void {
  const v2 = showcaseSession(ctx, 'v2.0', '2.0.76', 0.6, { retain: true });
  writeTurns(v2, 2);
  writeTaskTurn(v2);
  writeNullsTurn(v2);
  writeMidnightTurn(v2);
  writeFallbackTurn(v2, HAIKU_4_5);
  closeSession(v2);
  writeFork(v2, 0.5, 2);
  const btw = showcaseSession(ctx, 'v2.1-placeholder', '2.1.77', 0.6, {
    retain: true,
    traits: { provider: 'anthropic', mainModel: 'claude-opus-4-6', fastMode: false },
  });
  writeTurns(btw, 2);
  writeMidnightTurn(btw);
  writeFallbackTurn(btw, SONNET_4_5);
  writeBtwReplay(btw);
  writeTurns(btw, 1);
  writeTaskTurn(btw, `workflows/${ctx.ids.uuid()}`);
  writeBtwReplay(btw);
  writeInterruptedTurn(btw);
  closeSession(btw);
  writeMidnightTurn(modern);
  writeFallbackTurn(modern, 'claude-sonnet-5-5');
  writeScriptedUsage(modern, UNKNOWN_MODEL);
  writeTurns(modern, 1);
  closeSession(modern);
  writeFork(modern, 0.7, 2);
}

/**
 * Two terminals resumed on one session: their turns alternate in one file (appended in time
 * order), so two `parentUuid` chains interleave.
 */
function writeTwoTerminals(ctx: CorpusContext): void {
  const first = showcaseSession(ctx, 'v2.1-cost-state', '2.1.300', 0.35, { cwd: API_CWD });
  const second: Thread = { ...first, lastUuid: null, retained: null };
  for (let turn = 0; turn < 6; turn++) {
    const [writer, other] = turn % 2 === 0 ? [first, second] : [second, first];
    writer.clockMs = Math.max(writer.clockMs, other.clockMs);
    writeTurns(writer, 1);
  }
  first.clockMs = Math.max(first.clockMs, second.clockMs);
  closeSession(first);
}

/** Every duplicate and corruption trap; closes `modern` (the open 2.1.332 session). */
export function writeTrapSessions(ctx: CorpusContext, modern: Thread): void {
  writeOldEras(ctx);
  writeStreamingEras(ctx, modern);
  writeTwoTerminals(ctx);
  writeDamagedSessions(ctx);
}
