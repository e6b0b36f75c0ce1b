import { taskToolUseBlock, textBlock, thinkingBlock } from './content-blocks.js';
import { versionAtLeast } from './eras.js';
import { syntheticErrorLine, toolResultLine, userPromptLine } from './line-builders.js';
import { buildResponse } from './response-builder.js';
import type { ResponseSpec } from './response-builder.js';
import { runSubagent } from './subagent.js';
import type { Thread } from './thread.js';
import { emit, tick } from './thread.js';
import { writePrompt } from './turn-writer.js';
import type { UsageFacts } from './usage-factory.js';
import { makeFacts, nextFacts } from './usage-factory.js';

const DAY_MS = 86_400_000;

function writeResponse(thread: Thread, spec: ResponseSpec): void {
  for (const line of buildResponse(thread, spec)) emit(thread, line);
}

/** A response whose first block is at 23:59:59.900 and whose last is at 00:00:01.000 UTC. */
export function writeMidnightTurn(thread: Thread): void {
  const { rng, pool } = thread.ctx;
  const midnight = Math.ceil((thread.clockMs + 120_000) / DAY_MS) * DAY_MS;
  emit(thread, userPromptLine(thread, pool.sentence(rng), midnight - 5000));
  thread.clockMs = midnight - 5000;
  writeResponse(thread, {
    blocks: [thinkingBlock(thread, rng.int(100, 900)), textBlock(thread, rng.int(100, 900))],
    facts: nextFacts(thread, thread.mainModel, rng.int(500, 4000)),
    stopReason: 'end_turn',
    blockTimesMs: [midnight - 100, midnight + 1000],
  });
}

/**
 * A mid-stream model fallback: the first lines carry the requested model, the later ones the
 * fallback model with other cache numbers (a cache miss on the new model: larger total, so the
 * fallback copy is final).
 */
export function writeFallbackTurn(thread: Thread, fallbackModel: string): void {
  const { rng } = thread.ctx;
  const newTokens = writePrompt(thread, rng.int(100, 800));
  const facts = nextFacts(thread, thread.mainModel, newTokens);
  const rewritten = facts.cacheRead + facts.cacheCreation + rng.int(100, 2000);
  const fallbackFacts: UsageFacts = {
    ...facts,
    cacheRead: 0,
    cacheCreation: rewritten,
    cacheCreation1h: facts.cacheCreation1h === null ? null : rewritten,
    output: facts.output + rng.int(10, 400),
  };
  writeResponse(thread, {
    blocks: [
      thinkingBlock(thread, rng.int(100, 900)),
      textBlock(thread, rng.int(100, 900)),
      textBlock(thread, rng.int(100, 900)),
    ],
    facts,
    stopReason: 'end_turn',
    fallback: { model: fallbackModel, facts: fallbackFacts, fromBlock: rng.int(1, 2) },
  });
}

/** Placeholder eras: a response interrupted before its final usage was written. */
export function writeInterruptedTurn(thread: Thread): void {
  const { rng } = thread.ctx;
  const newTokens = writePrompt(thread, rng.int(100, 800));
  writeResponse(thread, {
    blocks: [thinkingBlock(thread, rng.int(100, 900)), textBlock(thread, rng.int(100, 900))],
    facts: nextFacts(thread, thread.mainModel, newTokens),
    stopReason: 'end_turn',
    finalMissing: true,
  });
}

/** A turn that runs a Task subagent (optionally under `subagents/<subdir>/`). */
export function writeTaskTurn(thread: Thread, subdir?: string): void {
  const { rng } = thread.ctx;
  const newTokens = writePrompt(thread, rng.int(100, 800));
  const task = taskToolUseBlock(thread);
  writeResponse(thread, {
    blocks: [textBlock(thread, rng.int(50, 400)), task],
    facts: nextFacts(thread, thread.mainModel, newTokens),
    stopReason: 'tool_use',
  });
  const added = runSubagent(thread, typeof task.id === 'string' ? task.id : '', subdir);
  writeResponse(thread, {
    blocks: [textBlock(thread, rng.int(100, 1500))],
    facts: nextFacts(thread, thread.mainModel, added),
    stopReason: 'end_turn',
  });
}

/** A prompt answered by a `<synthetic>` API error line. */
export function writeSyntheticTurn(thread: Thread): void {
  writePrompt(thread, 200);
  emit(thread, syntheticErrorLine(thread, tick(thread, 1000, 5000)));
}

/** A hand-specified response: exact usage, optionally another model. */
export interface ScriptedUsage {
  readonly model?: string;
  readonly facts: Partial<UsageFacts>;
}

/** One prompt and one response per item, with exactly the given usage. */
export function writeScriptedUsage(thread: Thread, items: readonly ScriptedUsage[]): void {
  const { rng } = thread.ctx;
  for (const item of items) {
    writePrompt(thread, rng.int(60, 400));
    const facts = makeFacts({
      input: rng.int(1, 12),
      output: rng.int(20, 900),
      cacheRead: rng.int(1000, 60_000),
      cacheCreation: rng.int(0, 4000),
      cacheCreation1h: thread.era.cacheBreakdown ? 0 : null,
      geo: thread.geo,
      speed: versionAtLeast(thread.version, '2.1.150') ? 'standard' : null,
      serviceTier: 'standard',
      ...item.facts,
    });
    const text = textBlock(thread, rng.int(80, 900));
    // Placeholder eras need two blocks for the placeholder/final split to show.
    const blocks = thread.era.placeholderUsage
      ? [thinkingBlock(thread, rng.int(80, 600)), text]
      : [text];
    const spec: ResponseSpec = { blocks, facts, stopReason: 'end_turn' };
    writeResponse(thread, item.model === undefined ? spec : { ...spec, model: item.model });
  }
}

/** A prompt and answer containing raw U+2028 / U+2029 (JSON allows them unescaped). */
export function writeSeparatorTurn(thread: Thread): void {
  const { rng } = thread.ctx;
  const text = 'Split lines on \\n only:\u2028this is still one line\u2029and so is this.';
  emit(thread, userPromptLine(thread, text, tick(thread, 20_000, 60_000)));
  writeResponse(thread, {
    blocks: [{ type: 'text', text: `Right:\u2028${text}` }],
    facts: nextFacts(thread, thread.mainModel, rng.int(100, 900)),
    stopReason: 'end_turn',
  });
}

/** A tool call whose input has JSON `null`s, its result, and the answer. */
export function writeNullsTurn(thread: Thread): void {
  const { rng, ids, pool } = thread.ctx;
  const newTokens = writePrompt(thread, rng.int(100, 400));
  const id = ids.toolUseId();
  const edit = {
    type: 'tool_use',
    id,
    name: 'Edit',
    input: {
      file_path: `${thread.cwd}/src/index.ts`,
      old_string: null,
      new_string: 'x',
      replace_all: null,
    },
  };
  writeResponse(thread, {
    blocks: [textBlock(thread, rng.int(50, 300)), edit],
    facts: nextFacts(thread, thread.mainModel, newTokens),
    stopReason: 'tool_use',
  });
  emit(thread, toolResultLine(thread, id, pool.sentence(rng), tick(thread, 100, 3000), null));
  writeResponse(thread, {
    blocks: [textBlock(thread, rng.int(50, 600))],
    facts: nextFacts(thread, thread.mainModel, 200),
    stopReason: 'end_turn',
  });
}
