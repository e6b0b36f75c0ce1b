import { writeFileSync } from 'node:fs';
import type { JsonObject } from './json.js';
import type { SessionTotals } from './manifest.js';
import type { CorpusContext, SessionInfo } from './thread.js';
import { COST_UNITS_PER_USD } from './usage-cost.js';

const MAX_PROJECTS = 8;

function lastModelUsage(info: SessionInfo): JsonObject {
  const usage: JsonObject = {};
  for (const [model, tally] of info.tally) {
    usage[model] = {
      inputTokens: tally.inputTokens,
      outputTokens: tally.outputTokens,
      thinkingTokens: Math.floor(tally.outputTokens / 3),
      cacheReadInputTokens: tally.cacheReadInputTokens,
      cacheCreationInputTokens: tally.cacheCreationInputTokens,
      webSearchRequests: tally.webSearchRequests,
      costUSD: Math.round((tally.costUnits / COST_UNITS_PER_USD) * 1e5) / 1e5,
    };
  }
  return usage;
}

/**
 * `<root>/home/.claude.json` with a few `projects[cwd].last*` summaries (§2.3) of each
 * project's latest session, for realism only (the oracle never reads it). `lastCost` runs a
 * little above the transcript total, as Claude Code's own ledger includes auxiliary calls.
 */
export function writeClaudeJson(
  ctx: CorpusContext,
  bySession: Readonly<Record<string, SessionTotals>>,
): void {
  const { rng } = ctx;
  const latest = new Map<string, { info: SessionInfo; totals: SessionTotals }>();
  for (const info of ctx.sessions) {
    const totals = bySession[info.sessionId];
    if (totals === undefined) continue;
    const seen = latest.get(info.cwd);
    if (seen === undefined || info.endMs > seen.info.endMs) latest.set(info.cwd, { info, totals });
  }
  const projects: JsonObject = {};
  const cwds = [...latest.keys()].sort().slice(0, MAX_PROJECTS);
  for (const cwd of cwds) {
    const entry = latest.get(cwd);
    if (entry === undefined) continue;
    const { info, totals } = entry;
    const durationMs = info.endMs - info.startMs;
    projects[cwd] = {
      allowedTools: [],
      hasTrustDialogAccepted: true,
      projectOnboardingSeenCount: 1,
      lastCost: Math.round(totals.costUsdAuto * 1.03 * 1e5) / 1e5,
      lastAPIDuration: Math.floor(durationMs * 0.4),
      lastAPIDurationWithoutRetries: Math.floor(durationMs * 0.38),
      lastToolDuration: Math.floor(durationMs * 0.1),
      lastDuration: durationMs,
      lastStartTime: info.startMs,
      lastLinesAdded: rng.int(0, 900),
      lastLinesRemoved: rng.int(0, 300),
      lastTotalInputTokens: totals.inputTokens,
      lastTotalOutputTokens: totals.outputTokens,
      lastTotalCacheCreationInputTokens: totals.cacheCreationTokens,
      lastTotalCacheReadInputTokens: totals.cacheReadTokens,
      lastTotalWebSearchRequests: totals.webSearchRequests,
      lastFpsAverage: 57.9,
      lastFpsLow1Pct: 22.4,
      lastGracefulShutdown: rng.chance(0.9),
      lastVersionBase: info.version,
      lastModelUsage: lastModelUsage(info),
      lastSessionMetrics: { frameDurationP50Ms: 4.1, frameDurationP99Ms: 31.7 },
      lastSessionId: info.sessionId,
    };
  }
  const config = {
    numStartups: rng.int(20, 900),
    installMethod: 'native',
    autoUpdates: true,
    userID: rng.hex(64),
    firstStartTime: new Date(ctx.windowStartMs).toISOString(),
    projects,
    tipsHistory: { 'new-user-warmup': 1, 'memory-command': 12 },
    cachedGrowthBookFeatures: { tengu_example_flag: true },
  };
  writeFileSync(ctx.tree.claudeJson, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}
