import { COLLIDING_CWDS, longCwd, NON_ASCII_CWDS } from './corpus-plan.js';
import { HAIKU_4_5, SONNET_4_5 } from './eras.js';
import { apiRequestLine } from './line-builders.js';
import {
  writeScriptedUsage,
  writeSeparatorTurn,
  writeSyntheticTurn,
  writeTaskTurn,
} from './scripted-turns.js';
import type { ScriptedUsage } from './scripted-turns.js';
import { providerModelId } from './session-traits.js';
import { closeSession, writeTurns } from './session-writer.js';
import { API_CWD, showcaseSession, WEBAPP_CWD } from './showcase-session.js';
import type { CorpusContext, Thread } from './thread.js';
import { emit } from './thread.js';

/** Exact usages around every pricing rule (RULES.md): tiers, fast, geo, web search, clamps. */
const PRICING_EDGES: readonly ScriptedUsage[] = [
  {
    model: SONNET_4_5,
    // prompt exactly 200,000: still the base tier
    facts: { input: 10, cacheRead: 190_000, cacheCreation: 9_990, output: 812 },
  },
  {
    model: SONNET_4_5,
    // prompt 200,001: the whole request switches to the long-context tier
    facts: {
      input: 11,
      cacheRead: 190_000,
      cacheCreation: 9_990,
      cacheCreation1h: 4_000,
      output: 640,
    },
  },
  {
    model: SONNET_4_5,
    // long context with all writes at the 1-hour rate
    facts: {
      input: 6,
      cacheRead: 331_000,
      cacheCreation: 19_000,
      cacheCreation1h: 19_000,
      output: 2_210,
    },
  },
  {
    model: SONNET_4_5,
    // fast on a model without a fast set: long-context prices, no fast prices
    facts: { input: 5, cacheRead: 250_000, cacheCreation: 1_000, output: 100, speed: 'fast' },
  },
  {
    model: 'claude-haiku-5-5',
    // haiku-5-5 prompt exactly 100,000: base tier
    facts: { input: 9, cacheRead: 99_000, cacheCreation: 991, output: 300 },
  },
  {
    model: 'claude-haiku-5-5',
    // haiku-5-5 above 100,000: its long-prompt tier
    facts: {
      input: 9,
      cacheRead: 140_000,
      cacheCreation: 3_000,
      cacheCreation1h: 3_000,
      output: 900,
    },
  },
  // fast sets (opus-4-6 ×6, opus-5-5 ×2); sonnet-5-5 has none, so its normal prices apply
  { model: 'claude-opus-4-6', facts: { speed: 'fast' } },
  { model: 'claude-opus-4-6', facts: { speed: 'fast' } },
  { model: 'claude-opus-4-6', facts: { speed: 'fast', geo: 'us' } },
  { model: 'claude-opus-5-5', facts: { speed: 'fast' } },
  { model: 'claude-sonnet-5-5', facts: { speed: 'fast' } },
  // inference_geo "us" ×1.1; web search $0.01 each, web fetch free
  { model: 'claude-opus-5-5', facts: { geo: 'us' } },
  { model: 'claude-opus-5-5', facts: { webSearch: 3, webFetch: 2 } },
  // a 1-hour share above the total is clamped; no breakdown means all 5-minute writes
  { model: 'claude-opus-5-5', facts: { cacheCreation: 3_000, cacheCreation1h: 5_000 } },
  { model: 'claude-opus-5-5', facts: { cacheCreation: 4_000, cacheCreation1h: null } },
];

function writeProviderSessions(ctx: CorpusContext): void {
  const bedrockTraits = {
    provider: 'bedrock',
    mainModel: providerModelId(SONNET_4_5, 'bedrock'),
    smallModel: providerModelId(HAIKU_4_5, 'bedrock'),
    fastMode: false,
  } as const;
  const bedrock = showcaseSession(ctx, 'v2.1-final-usage', '2.1.150', 0.3, {
    cwd: API_CWD,
    traits: bedrockTraits,
  });
  writeTurns(bedrock, 2);
  writeScriptedUsage(bedrock, [
    // the Bedrock id of sonnet-4-5 has its long-context tier too
    { facts: { input: 8, cacheRead: 240_000, cacheCreation: 2_000, cacheCreation1h: null } },
    { model: bedrockTraits.smallModel, facts: { cacheCreation1h: null } },
  ]);
  closeSession(bedrock);
  const vertexTraits = {
    provider: 'vertex',
    mainModel: providerModelId(SONNET_4_5, 'vertex'),
    smallModel: providerModelId(HAIKU_4_5, 'vertex'),
    fastMode: false,
    geo: 'global',
  } as const;
  const vertex = showcaseSession(ctx, 'v2.1-final-usage', '2.1.239', 0.7, {
    cwd: API_CWD,
    traits: vertexTraits,
  });
  writeTurns(vertex, 2);
  writeScriptedUsage(vertex, [
    // the Vertex id at exactly 200,000 prompt tokens
    { facts: { input: 4, cacheRead: 195_000, cacheCreation: 4_996 } },
    { model: vertexTraits.smallModel, facts: { geo: 'us' } },
  ]);
  closeSession(vertex);
}

/** A session moved by `/cd` to another project folder: lines keep the old cwd. */
function writeRelocatedSession(ctx: CorpusContext): void {
  const from = `${WEBAPP_CWD}-feature`;
  const thread = showcaseSession(ctx, 'v2.1-cost-state', '2.1.300', 0.2, {
    cwd: from,
    folderCwd: `${from}-wt`,
  });
  writeTurns(thread, 2);
  closeSession(thread, { relocatedCwd: `${from}-wt` });
}

/** One session in each launch directory whose folder name is lossy, non-ASCII or too long. */
function writeOddCwdSessions(ctx: CorpusContext): void {
  for (const cwd of [...COLLIDING_CWDS, ...NON_ASCII_CWDS, longCwd()]) {
    const thread = showcaseSession(ctx, 'v2.1-cost-state', '2.1.332', 0.1 + ctx.rng.float() * 0.8, {
      cwd,
    });
    writeTurns(thread, 1);
    closeSession(thread);
  }
}

/**
 * Everything clean modern data has: Bedrock and Vertex ids, every pricing edge, nested and
 * workflow subagents, api-request and synthetic lines, raw separators, relocation, odd cwds.
 * Returns the main 2.1.332 session still open (retained, for forks in trap mode).
 */
export function writeModernVariety(ctx: CorpusContext): Thread {
  writeProviderSessions(ctx);
  const modern = showcaseSession(ctx, 'v2.1-cost-state', '2.1.332', 0.5, {
    retain: true,
    traits: {
      provider: 'anthropic',
      mainModel: 'claude-opus-5-5',
      smallModel: 'claude-haiku-5-5',
      geo: 'global',
    },
  });
  writeTurns(modern, 2);
  emit(modern, apiRequestLine(modern, modern.mainModel, modern.clockMs + 5));
  writeScriptedUsage(modern, PRICING_EDGES);
  writeTaskTurn(modern);
  writeTaskTurn(modern, `workflows/${ctx.ids.uuid()}`);
  writeSyntheticTurn(modern);
  writeSeparatorTurn(modern);
  writeTurns(modern, 1);
  writeRelocatedSession(ctx);
  writeOddCwdSessions(ctx);
  return modern;
}
