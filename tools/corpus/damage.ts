import { textBlock, thinkingBlock } from './content-blocks.js';
import type { JsonObject } from './json.js';
import { userPromptLine } from './line-builders.js';
import type { PendingTail } from './manifest.js';
import { buildResponse } from './response-builder.js';
import type { Thread } from './thread.js';
import { emit, tick } from './thread.js';
import { nextFacts } from './usage-factory.js';

/**
 * Damaged physical lines as seen in real transcripts (§3.9, claude-code#81843, #49876):
 * - `torn`: a record cut mid-way, then the newline Claude Code writes to seal it;
 * - `glued`: two complete records joined `}{` with no newline (both intact);
 * - `glued-mixed`: the same with a user prompt and an assistant line;
 * - `spliced-assistant` / `spliced-user`: record A cut off, then complete record B (intact);
 * - `nul-only`: only NUL bytes; `nul-prefixed(-user)`: NULs, then an intact record;
 * - `blank`: an empty line (not damage: neither counted nor quarantined).
 */
export type DamageKind =
  | 'torn'
  | 'glued'
  | 'glued-mixed'
  | 'spliced-assistant'
  | 'spliced-user'
  | 'nul-only'
  | 'nul-prefixed'
  | 'nul-prefixed-user'
  | 'blank';

/**
 * A prefix of a serialized record that ends inside a JSON string (never after an escape
 * backslash), so no parser can complete it and no `{` inside it starts a complete object.
 */
export function cutInsideString(json: string, fraction: number): string {
  const target = Math.floor(json.length * fraction);
  let inString = false;
  let escaped = false;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (!inString) {
      if (code === 0x22) inString = true;
      continue;
    }
    if (escaped) escaped = false;
    else if (code === 0x5c) escaped = true;
    else if (code === 0x22) inString = false;
    else if (i >= target && /[A-Za-z0-9]/.test(json.charAt(i))) return json.slice(0, i);
  }
  throw new Error('cutInsideString: no string to cut');
}

/** A short response (thinking + text; two responses' worth of lines in one-line eras). */
function smallResponseLines(thread: Thread): JsonObject[] {
  const { rng } = thread.ctx;
  const one = (): JsonObject[] =>
    buildResponse(thread, {
      blocks: [thinkingBlock(thread, rng.int(40, 400)), textBlock(thread, rng.int(40, 600))],
      facts: nextFacts(thread, thread.mainModel, rng.int(200, 3000)),
      stopReason: 'end_turn',
    });
  const lines = one();
  return lines.length >= 2 ? lines : [...lines, ...one()];
}

function promptLine(thread: Thread): JsonObject {
  const { rng, pool } = thread.ctx;
  return userPromptLine(thread, pool.sentence(rng), tick(thread, 5000, 60_000));
}

const NUL = '\u0000';

/** Writes one damaged (or blank) line into the thread's file, with the records around it. */
export function writeDamage(thread: Thread, kind: DamageKind): void {
  const { file, ctx } = thread;
  const { rng } = ctx;
  const json = (record: JsonObject): string => JSON.stringify(record);
  switch (kind) {
    case 'torn': {
      emit(thread, promptLine(thread));
      const [first, ...rest] = smallResponseLines(thread);
      if (first !== undefined) file.damaged(cutInsideString(json(first), 0.5), []);
      for (const line of rest) emit(thread, line);
      return;
    }
    case 'glued': {
      emit(thread, promptLine(thread));
      const [a, b, ...rest] = smallResponseLines(thread);
      if (a !== undefined && b !== undefined) file.damaged(json(a) + json(b), [a, b]);
      for (const line of rest) emit(thread, line);
      return;
    }
    case 'glued-mixed': {
      const prompt = promptLine(thread);
      const [a, ...rest] = smallResponseLines(thread);
      if (a !== undefined) file.damaged(json(prompt) + json(a), [prompt, a]);
      for (const line of rest) emit(thread, line);
      return;
    }
    case 'spliced-assistant': {
      const prompt = promptLine(thread);
      const [a, ...rest] = smallResponseLines(thread);
      if (a !== undefined) file.damaged(cutInsideString(json(prompt), 0.6) + json(a), [a]);
      for (const line of rest) emit(thread, line);
      return;
    }
    case 'spliced-user': {
      emit(thread, promptLine(thread));
      const lost = smallResponseLines(thread);
      const prompt = promptLine(thread);
      const first = lost[0];
      if (first !== undefined)
        file.damaged(cutInsideString(json(first), 0.7) + json(prompt), [prompt]);
      for (const line of smallResponseLines(thread)) emit(thread, line);
      return;
    }
    case 'nul-only':
      file.damaged(NUL.repeat(rng.int(1, 2048)), []);
      return;
    case 'nul-prefixed': {
      emit(thread, promptLine(thread));
      const [a, ...rest] = smallResponseLines(thread);
      if (a !== undefined) file.damaged(NUL.repeat(rng.int(1, 512)) + json(a), [a]);
      for (const line of rest) emit(thread, line);
      return;
    }
    case 'nul-prefixed-user': {
      const prompt = promptLine(thread);
      file.damaged(NUL.repeat(rng.int(1, 512)) + json(prompt), [prompt]);
      for (const line of smallResponseLines(thread)) emit(thread, line);
      return;
    }
    case 'blank':
      file.blankLine();
      return;
  }
}

/**
 * Ends the file with half of a fresh assistant usage line and no newline: a write in progress.
 * Must be the last thing written to the file. The response appears nowhere else.
 */
export function writePartialTail(thread: Thread): PendingTail {
  const { rng } = thread.ctx;
  emit(thread, promptLine(thread));
  const [line] = buildResponse(thread, {
    blocks: [textBlock(thread, rng.int(200, 1200))],
    facts: nextFacts(thread, thread.mainModel, rng.int(200, 3000)),
    stopReason: 'end_turn',
  });
  if (line === undefined) throw new Error('writePartialTail: no line');
  const text = JSON.stringify(line);
  const partial = text.slice(0, Math.floor(text.length / 2));
  thread.file.raw(partial);
  return { file: thread.file.path, bytes: Buffer.byteLength(partial, 'utf8') };
}
