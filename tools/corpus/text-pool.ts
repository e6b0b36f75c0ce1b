import type { Random } from './random.js';

/**
 * Filler text for prompts, tool results and assistant blocks: code, logs, compiler output and
 * prose, with quotes, backslashes, tabs and some non-ASCII (BMP only, so a slice never splits a
 * surrogate pair). Built once per corpus; texts are slices of it, which keeps generation fast.
 */

const IDENTIFIERS = [
  'config',
  'options',
  'result',
  'handler',
  'userId',
  'session',
  'buffer',
  'offset',
  'payload',
  'request',
  'response',
  'ledger',
  'tokens',
  'cursor',
  'schema',
  'parser',
  'worker',
  'queue',
  'retry',
  'timeout',
  'items',
  'index',
  'stream',
  'reader',
  'writer',
  'state',
  'cache',
  'model',
];
const KEYWORDS = ['const', 'let', 'return', 'await', 'export', 'import', 'if', 'for', 'while'];
const WORDS = [
  'the',
  'a',
  'test',
  'fails',
  'because',
  'value',
  'is',
  'not',
  'defined',
  'when',
  'we',
  'read',
  'file',
  'line',
  'after',
  'before',
  'update',
  'function',
  'error',
  'should',
  'return',
  'check',
  'this',
  'change',
  'makes',
  'sure',
  'that',
  'every',
  'call',
  'counts',
  'once',
  'and',
  'only',
];
const NON_ASCII = [
  'café',
  'naïve',
  'über',
  '日本語',
  'données',
  'Привет',
  '→',
  '…',
  '—',
  'résumé',
  'Ωmega',
];
const LEVELS = ['INFO', 'DEBUG', 'WARN', 'ERROR'];

function sentence(rng: Random): string {
  const count = rng.int(6, 18);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    words.push(rng.chance(0.04) ? rng.pick(NON_ASCII) : rng.pick(WORDS));
  }
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function poolLine(rng: Random): string {
  const id = rng.pick(IDENTIFIERS);
  const other = rng.pick(IDENTIFIERS);
  switch (rng.int(0, 7)) {
    case 0:
      return `${'  '.repeat(rng.int(0, 4))}${rng.pick(KEYWORDS)} ${id} = ${other}.${rng.pick(IDENTIFIERS)}(${rng.int(0, 999)}, "${rng.pick(WORDS)}");`;
    case 1:
      return `2025-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:07.412Z ${rng.pick(LEVELS)} [${id}-${rng.int(1, 9)}] processed ${rng.int(1, 5000)} items in ${rng.int(1, 900)}ms`;
    case 2:
      return `src/${id}/${other}.ts:${rng.int(1, 900)}:${rng.int(1, 80)} - error TS${rng.int(2000, 2999)}: Type '${id}' is not assignable to type '${other}'.`;
    case 3:
      return `\t${rng.int(1, 400)}\t${sentence(rng)}`;
    case 4:
      return `{"${id}": ${rng.int(0, 99999)}, "${other}": "${rng.pick(WORDS)} \\"quoted\\"", "ok": ${rng.chance(0.5)}}`;
    case 5:
      return `C:\\Users\\dev\\${id}\\${other}.log  ${rng.int(100, 99999)} bytes`;
    default:
      return sentence(rng);
  }
}

export class TextPool {
  private readonly pool: string;
  /** ASCII text already escaped for a JSON string (`\n`, `\"`, `\\`): filler for huge lines. */
  private readonly escapedAscii: string;

  constructor(rng: Random, sizeChars = 1 << 20) {
    const lines: string[] = [];
    let length = 0;
    while (length < sizeChars) {
      const line = poolLine(rng);
      lines.push(line);
      length += line.length + 1;
    }
    // No `}{` inside strings: keeps record boundaries of glued lines unambiguous.
    this.pool = `${lines.join('\n')}\n`.replaceAll('}{', '} {');
    const ascii = this.pool.replace(/[^\x20-\x7e\n\t]/g, '?');
    this.escapedAscii = JSON.stringify(ascii).slice(1, -1);
  }

  /** `length` characters of filler starting at a random place. */
  text(rng: Random, length: number): string {
    const size = this.pool.length;
    if (length <= size) {
      const start = rng.int(0, size - length);
      return this.pool.slice(start, start + length);
    }
    const parts: string[] = [];
    let remaining = length;
    while (remaining > 0) {
      const take = Math.min(remaining, size);
      parts.push(this.text(rng, take));
      remaining -= take;
    }
    return parts.join('');
  }

  /** A short one-line text (titles, prompts, summaries). */
  sentence(rng: Random): string {
    return sentence(rng);
  }

  /**
   * Exactly `length` bytes of ASCII that can sit inside a JSON string as written (escapes are
   * complete), delivered in pieces of at most ~1 MiB so a huge line is never one string.
   */
  *escapedChunks(length: number): Generator<string> {
    const unit = this.escapedAscii;
    let remaining = length;
    while (remaining > 0) {
      let chunk = unit.slice(0, Math.min(remaining, unit.length));
      let backslashes = 0;
      for (let i = chunk.length - 1; i >= 0 && chunk.charCodeAt(i) === 0x5c; i--) backslashes++;
      if (backslashes % 2 === 1) chunk = `${chunk.slice(0, -1)} `;
      remaining -= chunk.length;
      yield chunk;
    }
  }
}
