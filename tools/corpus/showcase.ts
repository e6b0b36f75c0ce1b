import { COLLIDING_CWDS, longCwd, NON_ASCII_CWDS, timeInEra } from './corpus-plan.js';
import type { DamageKind } from './damage.js';
import { writeDamage } from './damage.js';
import { eraById, SONNET_4_5, HAIKU_4_5 } from './eras.js';
import type { OversizeLine, PendingTail } from './manifest.js';
import {
  writeFallbackTurn,
  writeInterruptedTurn,
  writeMidnightTurn,
  writeScriptedUsage,
  writeSyntheticTurn,
  writeTaskTurn,
} from './scripted-turns.js';
import type { ScriptedUsage } from './scripted-turns.js';
import { providerModelId } from './session-traits.js';
import { closeSession, openSession, writeTurns } from './session-writer.js';
import type { SessionSpec } from './session-writer.js';
import type { CorpusContext, Thread } from './thread.js';
import { writeBtwReplay, writeFork, writeMirror } from './trap-copies.js';
import {
  writeBomSession,
  writeCrlfSession,
  writeEmptyTranscript,
  writeNoCompleteLine,
  writeOversizeSession,
  writePendingTailSession,
} from './trap-files.js';

/**
 * Hand-placed sessions that guarantee every feature and trap appears (several times, spread
 * over files) whatever the corpus size; ordinary random sessions fill the rest of the budget.
 */

const WEBAPP = '/home/dev/src/webapp';
const API = '/home/dev/src/api-server';

/** Exact usages around every pricing rule (RULES.md): tiers, fast, geo, web search, clamps. */
const PRICING_EDGES: readonly ScriptedUsage[] = [
  { model: SONNET_4_5, facts: { input: 10, cacheRead: 190_000, cacheCreation: 9_990, output: 812 } },
  { model: SONNET_4_5, facts: { input: 11, cacheRead: 190_000, cacheCreation: 9_990, cacheCreation1h: 4_000, output: 640 } },
  { model: SONNET_4_5, facts: { input: 6, cacheRead: 331_000, cacheCreation: 19_000, cacheCreation1h: 19_000, output: 2_210 } },
  { model: SONNET_4_5, facts: { input: 5, cacheRead: 250_000, cacheCreation: 1_000, output: 100, speed: 'fast' } },
  { model: 'claude-haiku-5-5', facts: { input: 9, cacheRead: 99_000, cacheCreation: 991, output: 300 } },
  { model: 'claude-haiku-5-5', facts: { input: 9, cacheRead: 140_000, cacheCreation: 3_000, cacheCreation1h: 3_000, output: 900 } },
  { model: 'claude-opus-4-6', facts: { speed: 'fast' } },
  { model: 'claude-opus-4-6', facts: { speed: 'fast' } },
  { model: 'claude-opus-4-6', facts: { speed: 'fast', geo: 'us' } },
  { model: 'claude-opus-5-5', facts: { speed: 'fast' } },
  { model: 'claude-sonnet-5-5', facts: { speed: 'fast' } },
  { model: 'claude-opus-5-5', facts: { geo: 'us' } },
  { model: 'claude-opus-5-5', facts: { webSearch: 3, webFetch: 2 } },
  { model: 'claude-opus-5-5', facts: { cacheCreation: 3_000, cacheCreation1h: 5_000 } },
  { model: 'claude-opus-5-5', facts: { cacheCreation: 4_000, cacheCreation1h: null } },
];

const UNKNOWN_MODEL: readonly ScriptedUsage[] = [
  { model: 'claude-nova-7', facts: { output: 1_234 } },
  { model: 'claude-nova-7', facts: { webSearch: 1 } },
  { model: 'claude-nova-7', facts: { cacheCreation1h: 2_000, cacheCreation: 2_000 } },
];

export interface ShowcaseResult {
  readonly pendingTail: PendingTail | null;
  readonly oversizeLine: OversizeLine | null;
}

function session(ctx: CorpusContext, eraId: string, version: string, position: number, extra: Partial<SessionSpec> = {}): Thread {
  const era = eraById(eraId);
  return openSession(ctx, { era, version, configDir: ctx.tree.claudeDir, cwd: WEBAPP, startMs: timeInEra(ctx, era, position), textScale: 0.12, maxStepsPerTurn: 3, ...extra });
}

/** Features of clean modern data: providers, pricing edges, subagent layouts, relocation. */
function writeModernVariety(ctx: CorpusContext): Thread {
  const bedrock = session(ctx, 'v2.1-final-usage', '2.1.150', 0.3, { cwd: API, traits: { provider: 'bedrock', mainModel: providerModelId(SONNET_4_5, 'bedrock'), smallModel: providerModelId(HAIKU_4_5, 'bedrock'), fastMode: false } });
  writeTurns(bedrock, 2);
  writeScriptedUsage(bedrock, [{ facts: { input: 8, cacheRead: 240_000, cacheCreation: 2_000, cacheCreation1h: null } }, { model: providerModelId(HAIKU_4_5, 'bedrock'), facts: { cacheCreation1h: null } }]);
  closeSession(bedrock);
  const vertex = session(ctx, 'v2.1-final-usage', '2.1.239', 0.7, { cwd: API, traits: { provider: 'vertex', mainModel: providerModelId(SONNET_4_5, 'vertex'), smallModel: providerModelId(HAIKU_4_5, 'vertex'), fastMode: false, geo: 'global' } });
  writeTurns(vertex, 2);
  writeScriptedUsage(vertex, [{ facts: { input: 4, cacheRead: 195_000, cacheCreation: 4_996 } }, { model: providerModelId(HAIKU_4_5, 'vertex'), facts: { geo: 'us' } }]);
  closeSession(vertex);
  const modern = session(ctx, 'v2.1-cost-state', '2.1.332', 0.5, { retain: true, traits: { provider: 'anthropic', mainModel: 'claude-opus-5-5', smallModel: 'claude-haiku-5-5', geo: 'global' } });
  writeTurns(modern, 2);
  writeScriptedUsage(modern, PRICING_EDGES);
  writeTaskTurn(modern);
  writeTaskTurn(modern, `workflows/${ctx.ids.uuid()}`);
  writeSyntheticTurn(modern);
  writeTurns(modern, 1);
  const relocatedFrom = `${WEBAPP}-feature`;
  const relocated = session(ctx, 'v2.1-cost-state', '2.1.300', 0.2, { cwd: relocatedFrom, folderCwd: `${relocatedFrom}-wt` });
  writeTurns(relocated, 2);
  closeSession(relocated, { relocatedCwd: `${relocatedFrom}-wt` });
  for (const cwd of [...COLLIDING_CWDS, ...NON_ASCII_CWDS, longCwd()]) {
    const thread = session(ctx, 'v2.1-cost-state', '2.1.332', 0.1 + ctx.rng.float() * 0.8, { cwd });
    writeTurns(thread, 1);
    closeSession(thread);
  }
  return modern;
}

const DAMAGE_PLAN: readonly (readonly [string, string, readonly DamageKind[]])[] = [
  ['v1.0.x', '1.0.60', ['torn', 'glued', 'nul-only', 'spliced-assistant']],
  ['v2.0', '2.0.76', ['glued-mixed', 'nul-prefixed', 'torn', 'spliced-user']],
  ['v2.1-placeholder', '2.1.77', ['nul-only', 'glued', 'spliced-assistant', 'nul-prefixed-user']],
  ['v2.1-cost-state', '2.1.332', ['torn', 'nul-prefixed', 'blank', 'nul-only', 'glued', 'spliced-assistant']],
];

function writeDamagedSessions(ctx: CorpusContext): void {
  DAMAGE_PLAN.forEach(([eraId, version, kinds], index) => {
    const thread = session(ctx, eraId, version, 0.15 + index * 0.2, { cwd: API, subagents: false });
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
  const v100 = session(ctx, 'v1.0.0', '1.0.0', 0.5, { retain: true });
  writeTurns(v100, 2);
  writeTaskTurn(v100);
  closeSession(v100);
  writeFork(v100, 0.6, 1);
  const v105 = session(ctx, 'v1.0.5', '1.0.5', 0.5);
  writeTurns(v105, 2);
  writeTaskTurn(v105);
  closeSession(v105);
  const v1060 = session(ctx, 'v1.0.x', '1.0.60', 0.9, { traits: { mainModel: 'claude-sonnet-4-20250514' } });
  writeTurns(v1060, 1);
  writeScriptedUsage(v1060, [{ facts: { input: 40, cacheRead: 228_000, cacheCreation: 3_100, output: 1_500 } }]);
  writeInterruptedTurn(v1060);
  writeMidnightTurn(v1060);
  writeFallbackTurn(v1060, 'claude-3-5-haiku-20241022');
  closeSession(v1060);
  const xdg = session(ctx, 'v1.0.x', '1.0.30', 0.45, { configDir: ctx.tree.xdgDir, retain: true, subagents: false });
  writeTurns(xdg, 3);
  closeSession(xdg);
  writeMirror(xdg, ctx.tree.claudeDir);
  const xdg31 = session(ctx, 'v1.0.x', '1.0.31', 0.5, { configDir: ctx.tree.xdgDir, cwd: API });
  writeTurns(xdg31, 1);
  writeTaskTurn(xdg31);
  closeSession(xdg31);
}

/** Streaming-era traps: placeholders, midnight, fallbacks, flat/nested subagents, forks, /btw. */
function writeStreamingEras(ctx: CorpusContext, modern: Thread): void {
  const v2 = session(ctx, 'v2.0', '2.0.76', 0.6, { retain: true });
  writeTurns(v2, 2);
  writeTaskTurn(v2);
  writeMidnightTurn(v2);
  writeFallbackTurn(v2, HAIKU_4_5);
  closeSession(v2);
  writeFork(v2, 0.5, 2);
  const btw = session(ctx, 'v2.1-placeholder', '2.1.77', 0.6, { retain: true, traits: { provider: 'anthropic', mainModel: 'claude-opus-4-6', fastMode: false } });
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
  const terminals = session(ctx, 'v2.1-cost-state', '2.1.300', 0.35, { cwd: API });
  const second: Thread = { ...terminals, lastUuid: null, clockMs: terminals.clockMs + 37_000, retained: null };
  for (let turn = 0; turn < 6; turn++) writeTurns(turn % 2 === 0 ? terminals : second, 1);
  terminals.clockMs = Math.max(terminals.clockMs, second.clockMs);
  closeSession(terminals);
}

export function writeShowcase(ctx: CorpusContext, oversizeLineBytes: number | null): ShowcaseResult {
  const modern = writeModernVariety(ctx);
  let pendingTail: PendingTail | null = null;
  if (ctx.traps) {
    writeOldEras(ctx);
    writeStreamingEras(ctx, modern);
    writeDamagedSessions(ctx);
    const lateStart = timeInEra(ctx, eraById('v2.1-cost-state'), 0.95);
    writeEmptyTranscript(ctx, WEBAPP);
    writeNoCompleteLine(ctx, API, lateStart);
    pendingTail = writePendingTailSession(ctx, WEBAPP, lateStart);
    writeCrlfSession(ctx, API, timeInEra(ctx, eraById('v2.1-final-usage'), 0.4));
    writeBomSession(ctx, WEBAPP, timeInEra(ctx, eraById('v2.1-cost-state'), 0.6));
  } else {
    writeTurns(modern, 1);
    closeSession(modern);
  }
  const oversizeLine = oversizeLineBytes === null ? null : writeOversizeSession(ctx, API, timeInEra(ctx, eraById('v2.1-cost-state'), 0.7), oversizeLineBytes);
  return { pendingTail, oversizeLine };
}
