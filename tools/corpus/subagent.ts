import { scaledChars, textBlock, thinkingBlock, toolUseBlock } from './content-blocks.js';
import { versionAtLeast } from './eras.js';
import type { JsonObject } from './json.js';
import { progressLine, toolResultLine, userPromptLine } from './line-builders.js';
import { buildResponse } from './response-builder.js';
import type { Thread } from './thread.js';
import { childThread, emit, tick } from './thread.js';
import type { UsageFacts } from './usage-factory.js';
import { factsTotal, nextFacts, usageJson } from './usage-factory.js';

/** Rough tokens of a text (≈4 characters per token). */
export function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Runs a Task subagent for `toolUseId`: its conversation goes inline into the session file
 * (1.0.x, `isSidechain: true`), into `<project>/agent-<id>.jsonl` (≤2.1.1) or into
 * `<project>/<session>/subagents/[subdir/]agent-<id>.jsonl`. Since 2.x the parent file also
 * gets `progress` lines embedding each subagent assistant line (with usage: never counted), and
 * the Task result's `toolUseResult` carries the subagent's usage totals (never counted).
 * Returns the tokens the result adds to the parent's context.
 */
export function runSubagent(parent: Thread, toolUseId: string, subdir?: string): number {
  const { rng, ids, tree, pool } = parent.ctx;
  const layout = parent.era.subagents;
  const agentId = ids.agentId(versionAtLeast(parent.version, '2.1.100'));
  let file = parent.file;
  if (layout === 'flat') file = tree.open(tree.flatAgentPath(parent.location, agentId));
  if (layout === 'nested')
    file = tree.open(tree.nestedAgentPath(parent.location, parent.sessionId, agentId, subdir));
  const startedMs = parent.clockMs;
  const model = rng.chance(0.5) ? parent.smallModel : parent.mainModel;
  const sub = childThread(parent, file, {
    isSidechain: true,
    agentId: layout === 'inline' ? null : agentId,
    mainModel: model,
  });
  sub.clockMs = parent.clockMs;
  const prompt = pool.text(rng, scaledChars(parent, rng.int(200, 2000)));
  emit(sub, userPromptLine(sub, prompt, tick(sub, 200, 900)));
  let newTokens = rng.int(3000, 12_000) + tokensOf(prompt);
  const steps = rng.int(1, 4);
  let totalTokens = 0;
  let lastFacts: UsageFacts | null = null;
  for (let step = 0; step < steps; step++) {
    const last = step === steps - 1;
    const blocks: JsonObject[] = [];
    if (rng.chance(0.3)) blocks.push(thinkingBlock(sub, rng.int(100, 2000)));
    blocks.push(textBlock(sub, rng.int(60, 1500)));
    const toolUse = last ? null : toolUseBlock(sub);
    if (toolUse !== null) blocks.push(toolUse);
    const facts = nextFacts(sub, model, newTokens);
    for (const line of buildResponse(sub, {
      blocks,
      facts,
      stopReason: last ? 'end_turn' : 'tool_use',
    })) {
      emit(sub, line);
      if (layout !== 'inline') {
        const at =
          Date.parse(typeof line.timestamp === 'string' ? line.timestamp : '') || sub.clockMs;
        emit(parent, progressLine(parent, line, toolUseId, agentId, at));
      }
    }
    totalTokens += factsTotal(facts);
    lastFacts = facts;
    if (toolUse !== null && typeof toolUse.id === 'string') {
      const output = pool.text(
        rng,
        Math.max(40, Math.round(rng.logUniform(100, 20_000) * parent.textScale * 0.5)),
      );
      emit(sub, toolResultLine(sub, toolUse.id, output, tick(sub, 200, 5000), null));
      newTokens = tokensOf(output);
    }
  }
  if (file !== parent.file) file.close();
  parent.clockMs = Math.max(parent.clockMs, sub.clockMs);
  const summary = pool.text(rng, scaledChars(parent, rng.int(300, 3000)));
  const content = [{ type: 'text', text: summary }];
  const result: JsonObject = {
    status: 'completed',
    prompt: prompt.slice(0, 200),
    agentId,
    content,
    totalDurationMs: sub.clockMs - startedMs,
    totalTokens,
    totalToolUseCount: steps - 1,
  };
  if (lastFacts !== null) result.usage = usageJson(sub, lastFacts, lastFacts.output);
  emit(parent, toolResultLine(parent, toolUseId, content, tick(parent, 100, 900), result));
  return tokensOf(summary);
}
