import type { ProjectLocation } from './corpus-tree.js';
import { writePartialTail } from './damage.js';
import { textBlock } from './content-blocks.js';
import { eraById } from './eras.js';
import { toolResultLine, userPromptLine } from './line-builders.js';
import type { OversizeLine, PendingTail } from './manifest.js';
import { buildResponse } from './response-builder.js';
import { closeSession, openSession, writeTurns } from './session-writer.js';
import type { SessionSpec } from './session-writer.js';
import type { CorpusContext } from './thread.js';
import { emit, tick } from './thread.js';
import { writePrompt } from './turn-writer.js';
import { nextFacts } from './usage-factory.js';

const LATEST = eraById('v2.1-cost-state');

function latestSpec(ctx: CorpusContext, cwd: string, startMs: number): SessionSpec {
  return {
    era: LATEST,
    version: '2.1.332',
    configDir: ctx.tree.claudeDir,
    cwd,
    startMs,
    textScale: 0.12,
    maxStepsPerTurn: 3,
  };
}

/** A session file created but never written to (zero bytes). */
export function writeEmptyTranscript(ctx: CorpusContext, cwd: string): void {
  const location: ProjectLocation = {
    configDir: ctx.tree.claudeDir,
    folderCwd: cwd,
    version: '2.1.332',
  };
  ctx.tree.writeEmpty(ctx.tree.sessionPath(location, ctx.ids.uuid()));
}

/** A new session whose first line is still being written: no newline anywhere yet. */
export function writeNoCompleteLine(ctx: CorpusContext, cwd: string, startMs: number): void {
  const thread = openSession(ctx, latestSpec(ctx, cwd, startMs));
  const line = JSON.stringify(userPromptLine(thread, ctx.pool.sentence(ctx.rng), startMs));
  thread.file.raw(line.slice(0, Math.floor(line.length / 3)));
  thread.file.close();
}

/** A live session: a few turns, then half of an assistant usage line (the pending tail). */
export function writePendingTailSession(
  ctx: CorpusContext,
  cwd: string,
  startMs: number,
): PendingTail {
  const thread = openSession(ctx, latestSpec(ctx, cwd, startMs));
  writeTurns(thread, 2);
  const tail = writePartialTail(thread);
  thread.file.close();
  return tail;
}

/** A whole session written with CRLF line endings. */
export function writeCrlfSession(ctx: CorpusContext, cwd: string, startMs: number): void {
  const thread = openSession(ctx, {
    ...latestSpec(ctx, cwd, startMs),
    era: eraById('v2.1-final-usage'),
    version: '2.1.150',
    eol: '\r\n',
  });
  writeTurns(thread, 3);
  closeSession(thread);
}

/** A session file that starts with a UTF-8 byte order mark. */
export function writeBomSession(ctx: CorpusContext, cwd: string, startMs: number): void {
  const thread = openSession(ctx, {
    ...latestSpec(ctx, cwd, startMs),
    version: '2.1.300',
    bom: true,
  });
  writeTurns(thread, 3);
  closeSession(thread);
}

const MARKER = 'OVERSIZE-LINE-MARKER-5d1e9c';

/**
 * A session with one valid `user` tool-result line of exactly `bytes` bytes (newline not
 * counted), streamed to disk in ~1 MiB pieces.
 */
export function writeOversizeSession(
  ctx: CorpusContext,
  cwd: string,
  startMs: number,
  bytes: number,
): OversizeLine {
  const { rng } = ctx;
  const thread = openSession(ctx, { ...latestSpec(ctx, cwd, startMs), subagents: false });
  const newTokens = writePrompt(thread, 300);
  const toolUseId = ctx.ids.toolUseId();
  const read = {
    type: 'tool_use',
    id: toolUseId,
    name: 'Read',
    input: { file_path: `${cwd}/dist/bundle.min.js` },
  };
  for (const line of buildResponse(thread, {
    blocks: [textBlock(thread, 200), read],
    facts: nextFacts(thread, thread.mainModel, newTokens),
    stopReason: 'tool_use',
  })) {
    emit(thread, line);
  }
  const json = JSON.stringify(
    toolResultLine(thread, toolUseId, MARKER, tick(thread, 100, 2000), null),
  );
  const at = json.indexOf(MARKER);
  const prefix = json.slice(0, at);
  const suffix = json.slice(at + MARKER.length);
  const overhead = Buffer.byteLength(prefix, 'utf8') + Buffer.byteLength(suffix, 'utf8');
  if (bytes <= overhead) throw new Error(`oversizeLineBytes must exceed ${overhead}`);
  const byteOffset = thread.file.flush();
  thread.file.raw(prefix);
  for (const chunk of ctx.pool.escapedChunks(bytes - overhead)) thread.file.raw(chunk);
  thread.file.raw(suffix);
  thread.file.endLine();
  for (const line of buildResponse(thread, {
    blocks: [textBlock(thread, rng.int(100, 600))],
    facts: nextFacts(thread, thread.mainModel, 2000),
    stopReason: 'end_turn',
  })) {
    emit(thread, line);
  }
  closeSession(thread);
  return { file: thread.file.path, byteOffset, bytes };
}
