import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A deliberately naive reader of a written corpus, for tests: reads whole files, splits on
 * "\n", `JSON.parse`s every complete line, and recovers intact records from damaged lines by
 * brute force. It shares no code with the generator's oracle.
 */

export interface ScannedLine {
  /** The physical line without its terminator (`\n` or `\r\n`). */
  readonly text: string;
  /** Records read from it: one for a good line, any recovered from a damaged one. */
  readonly records: readonly unknown[];
  /** Not an empty line and not one clean JSON record. */
  readonly damaged: boolean;
}

export interface ScannedFile {
  readonly path: string;
  readonly bytes: number;
  readonly hasBom: boolean;
  readonly crlf: boolean;
  readonly lines: readonly ScannedLine[];
  /** Text after the last newline ("" when the file ends with one). */
  readonly tail: string;
}

/** Every `*.jsonl` under `dir`, recursively, sorted. */
export function listTranscripts(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.jsonl')) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * The intact records inside a damaged line: the shortest suffix starting at a `{` that parses
 * is the last record; the rest of the line is parsed the same way, recursively.
 */
export function recoverRecords(text: string): unknown[] {
  const whole = tryParse(text);
  if (whole.ok) return [whole.value];
  for (let i = 1; i < text.length; i++) {
    if (text.charCodeAt(i) !== 0x7b) continue;
    const tail = tryParse(text.slice(i));
    if (tail.ok) return [...recoverRecords(text.slice(0, i)), tail.value];
  }
  return [];
}

export function scanFile(path: string): ScannedFile {
  const buffer = readFileSync(path);
  let text = buffer.toString('utf8');
  const hasBom = text.startsWith('\uFEFF');
  if (hasBom) text = text.slice(1);
  const pieces = text.split('\n');
  const tail = pieces.pop() ?? '';
  let crlf = false;
  const lines = pieces.map((piece): ScannedLine => {
    const line = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
    if (line !== piece) crlf = true;
    if (line === '') return { text: line, records: [], damaged: false };
    let nuls = 0;
    while (line.charCodeAt(nuls) === 0) nuls++;
    const withoutNuls = line.slice(nuls);
    const parsed = tryParse(withoutNuls);
    if (parsed.ok) return { text: line, records: [parsed.value], damaged: withoutNuls !== line };
    return {
      text: line,
      records: withoutNuls === '' ? [] : recoverRecords(withoutNuls),
      damaged: true,
    };
  });
  return { path, bytes: buffer.length, hasBom, crlf, lines, tail };
}
