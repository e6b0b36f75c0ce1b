import {
  scaledChars,
  taskToolUseBlock,
  textBlock,
  thinkingBlock,
  toolUseBlock,
  webSearchBlocks,
} from './content-blocks.js';
import { versionAtLeast } from './eras.js';
import type { JsonObject } from './json.js';
import {
  apiRequestLine,
  bookkeepingLine,
  snapshotLine,
  syntheticErrorLine,
  systemLine,
  toolResultLine,
  userPromptLine,
} from './line-builders.js';
import { buildResponse } from './response-builder.js';
import { runSubagent, tokensOf } from './subagent.js';
import type { Thread } from './thread.js';
import { emit, tick } from './thread.js';
import { nextFacts } from './usage-factory.js';

const COMPACT_ABOVE_TOKENS = 160_000;

/** Tool output size: mostly a few KB, sometimes tens of KB (most corpus bytes are these). */
function toolOutputChars(thread: Thread): number {
  return Math.max(20, Math.round(thread.ctx.rng.logUniform(150, 60_000) * thread.textScale));
}

/** Writes the user prompt that opens a turn; returns its tokens. */
export function writePrompt(thread: Thread, chars?: number): number {
  const { rng, pool } = thread.ctx;
  if (thread.era.cacheBreakdown && rng.chance(0.4))
    emit(thread, snapshotLine(thread, thread.clockMs + 1));
  const text = pool.text(rng, scaledChars(thread, chars ?? rng.logUniform(20, 1500)));
  emit(thread, userPromptLine(thread, text, tick(thread, 20_000, 240_000)));
  return tokensOf(text) + (thread.contextTokens === 0 ? rng.int(8000, 20_000) : 0);
}

/**
 * One turn of a conversation: a prompt, then responses and tool results until a response ends
 * the turn (`end_turn`), with the odd subagent, web search, system line, snapshot, api-request,
 * synthetic error and bookkeeping record in between.
 */
export function writeTurn(thread: Thread): void {
  const { rng } = thread.ctx;
  let newTokens = writePrompt(thread);
  const steps = Math.min(thread.maxStepsPerTurn, Math.floor(rng.logUniform(1, 10)));
  for (let step = 0; ; step++) {
    const last = step >= steps - 1;
    const blocks: JsonObject[] = [];
    if (rng.chance(0.45)) blocks.push(thinkingBlock(thread, Math.round(rng.logUniform(80, 6000))));
    const webSearch = !last && thread.era.cacheBreakdown && rng.chance(0.04);
    if (webSearch) blocks.push(...webSearchBlocks(thread));
    if (last || rng.chance(0.5))
      blocks.push(textBlock(thread, Math.round(rng.logUniform(20, 3000))));
    const toolUses: JsonObject[] = [];
    if (!last) {
      const task = thread.subagentsAllowed && !thread.isSidechain && rng.chance(0.1);
      toolUses.push(task ? taskToolUseBlock(thread) : toolUseBlock(thread));
      if (rng.chance(0.25)) toolUses.push(toolUseBlock(thread));
    }
    blocks.push(...toolUses);
    if (versionAtLeast(thread.version, '2.1.246') && rng.chance(0.3)) {
      emit(thread, apiRequestLine(thread, thread.mainModel, thread.clockMs + 5));
    }
    const facts = nextFacts(thread, thread.mainModel, newTokens, {
      webSearch: webSearch ? rng.int(1, 3) : 0,
      webFetch: thread.era.cacheBreakdown && rng.chance(0.03) ? rng.int(1, 2) : 0,
    });
    const lines = buildResponse(thread, {
      blocks,
      facts,
      stopReason: last ? 'end_turn' : 'tool_use',
    });
    for (const line of lines) emit(thread, line);
    if (last) break;
    newTokens = 0;
    for (const toolUse of toolUses) {
      const id = typeof toolUse.id === 'string' ? toolUse.id : '';
      if (toolUse.name === 'Task') {
        newTokens += runSubagent(thread, id);
        continue;
      }
      const output = thread.ctx.pool.text(rng, toolOutputChars(thread));
      emit(thread, toolResultLine(thread, id, output, tick(thread, 100, 30_000), null));
      newTokens += tokensOf(output);
    }
  }
  writeTurnExtras(thread);
}

function writeTurnExtras(thread: Thread): void {
  const { rng } = thread.ctx;
  if (thread.contextTokens > COMPACT_ABOVE_TOKENS) {
    const preTokens = thread.contextTokens;
    thread.lastUuid = null;
    emit(
      thread,
      systemLine(thread, 'compact_boundary', 'Conversation compacted', tick(thread, 5000, 60_000), {
        compactMetadata: { trigger: 'auto', preTokens },
      }),
    );
    thread.contextTokens = rng.int(15_000, 40_000);
  }
  if (versionAtLeast(thread.version, '2.1.0') && rng.chance(0.2)) {
    emit(
      thread,
      systemLine(thread, 'turn_duration', '', thread.clockMs + 10, {
        durationMs: rng.int(2000, 600_000),
      }),
    );
  }
  if (rng.chance(0.01)) emit(thread, syntheticErrorLine(thread, tick(thread, 1000, 5000)));
  if (versionAtLeast(thread.version, '2.1.100') && rng.chance(0.05))
    emit(thread, bookkeepingLine(thread, thread.clockMs));
}
