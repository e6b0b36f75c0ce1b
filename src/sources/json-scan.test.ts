import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiUsage, assistantLine } from '../../test/helpers/claude-lines.js';
import {
  keyEquals,
  readBoolean,
  readNumber,
  readString,
  scanObject,
  skipString,
  skipWhitespace,
} from './json-scan.js';
import { scanLine } from './claude-code/transcript-line.js';
import { toTokenUsage } from './claude-code/transcript-record.js';

/** True when the scanner takes the whole buffer (surrounding whitespace aside) as one object. */
function scannerAccepts(buf: Buffer): boolean {
  const start = skipWhitespace(buf, 0, buf.length);
  const end = scanObject(buf, start, buf.length, undefined);
  return end >= 0 && skipWhitespace(buf, end, buf.length) === buf.length;
}

function jsonParseAcceptsObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const NUMBER_CHARS = /^[0-9+\-.eE]+$/;
const WORD_CHAR = /[A-Za-z0-9+\-.]/;
const VALID_ESCAPE = /^(["\\/bfnrt]|u[0-9a-fA-F]{4})/;

/**
 * The scanner's documented leniency, as a rewrite that makes JSON.parse see what the scanner
 * sees. The scanner validates structure only:
 * - a number is any run of the bytes `0-9 + - . e E` where a value may start (`1.2.3`, `--1`,
 *   `01`, `+1`, `.5`, `e`), so every such run becomes `0` here;
 * - a string body is anything up to the first quote preceded by an even run of backslashes: raw
 *   control characters and unknown escapes (`\q`, `\u12`) are not checked, so they are made
 *   valid here (control characters become spaces, a bad escape's backslash is doubled);
 * - objects and arrays nest at most 256 deep (a bound for the stack; not reached here).
 * Everything else (literals, punctuation, whitespace, UTF-8 outside strings) is strict. Usage
 * numbers, message ids and other decoded values are re-parsed strictly (see transcript-line tests).
 */
function canonicalize(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      out += '"';
      i++;
      while (i < text.length && text[i] !== '"') {
        const c = text[i] as string;
        if (c === '\\') {
          const rest = text.slice(i + 1, i + 6);
          if (VALID_ESCAPE.test(rest)) {
            out += '\\';
          } else {
            out += '\\\\';
            if (i + 1 < text.length && text[i + 1] !== '"' && text[i + 1] !== '\\') {
              i++;
              continue;
            }
          }
          i++;
          if (i < text.length) {
            const escaped = text[i] as string;
            out += escaped.charCodeAt(0) < 0x20 ? ' ' : escaped;
            i++;
          }
          continue;
        }
        out += c.charCodeAt(0) < 0x20 ? ' ' : c;
        i++;
      }
      if (i < text.length) {
        out += '"';
        i++;
      }
      continue;
    }
    if (WORD_CHAR.test(ch)) {
      let j = i;
      while (j < text.length && WORD_CHAR.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      out += NUMBER_CHARS.test(word) ? '0' : word;
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * The bytes of `message.usage` of the record on the line, found with the scanner's primitives;
 * undefined when there is no usage object.
 */
function usageSpanOf(buf: Buffer): string | undefined {
  const found: { message?: [number, number]; usage?: [number, number] } = {};
  scanObject(buf, skipWhitespace(buf, 0, buf.length), buf.length, (b, ks, ke, vs, ve) => {
    if (keyEquals(b, ks, ke, 'message')) found.message = [vs, ve];
  });
  if (found.message === undefined || buf[found.message[0]] !== 0x7b) return undefined;
  scanObject(buf, found.message[0], found.message[1], (b, ks, ke, vs, ve) => {
    if (keyEquals(b, ks, ke, 'usage')) found.usage = [vs, ve];
  });
  if (found.usage === undefined || buf[found.usage[0]] !== 0x7b) return undefined;
  return buf.toString('utf8', found.usage[0], found.usage[1]);
}

/** One random edit of a line: the damage a torn write, a bit flip or a bad splice leaves. */
const corruption = fc.oneof(
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('insert-ascii' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      '"',
      '\\',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '.',
      '-',
      'e',
      '0',
      ' ',
      '\t',
      '+',
      'x',
      'u',
    ),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

type Corruption = typeof corruption extends fc.Arbitrary<infer T> ? T : never;

function corrupt(line: Buffer, edits: readonly Corruption[]): Buffer {
  let buf = line;
  for (const edit of edits) {
    const at = buf.length === 0 ? 0 : edit.at % buf.length;
    switch (edit.kind) {
      case 'delete':
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + edit.length)]);
        break;
      case 'insert':
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from([edit.byte]), buf.subarray(at)]);
        break;
      case 'replace':
        buf = Buffer.from(buf);
        if (buf.length > 0) buf[at] = edit.byte;
        break;
      case 'insert-ascii':
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(edit.text), buf.subarray(at)]);
        break;
      case 'duplicate':
        buf = Buffer.concat([buf.subarray(0, at + edit.length), buf.subarray(at)]);
        break;
      case 'truncate':
        buf = buf.subarray(0, at);
        break;
    }
  }
  // A newline ends the line in the file, so it cannot occur inside one.
  return Buffer.from(buf.toString('latin1').replaceAll('\n', ' '), 'latin1');
}

const jsonObjectLine = fc
  .dictionary(fc.string({ unit: 'binary', maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), {
    maxKeys: 8,
  })
  .map((value) => JSON.stringify(value));

const assistantLines = fc
  .record({
    messageId: fc.string({ unit: 'binary', maxLength: 20 }),
    text: fc.string({ unit: 'binary', maxLength: 40 }),
    input: fc.nat(),
    output: fc.nat(),
    input2: fc.jsonValue({ maxDepth: 3 }),
  })
  .map(({ messageId, text, input, output, input2 }) =>
    assistantLine({
      messageId,
      usage: { input, output },
      content: [{ type: 'tool_use', id: 'toolu_1', name: text, input: { text, input2 } }],
    }),
  );

describe('json-scan primitives', () => {
  it('skips strings with escaped quotes and runs of backslashes', () => {
    const cases: [string, number][] = [
      ['""', 2],
      ['"a\\"b"', 6],
      ['"\\\\"', 4],
      ['"\\\\\\""', 6],
      ['"unterminated\\"', -1],
    ];
    for (const [text, end] of cases) {
      expect(skipString(Buffer.from(text), 0, text.length), text).toBe(end);
    }
  });

  it('decodes strings, numbers and booleans from their spans', () => {
    const buf = Buffer.from('"a\\u00e9\\"" 12.5e1 true false null');
    expect(readString(buf, 0, 11)).toBe('aé"');
    expect(readNumber(buf, 12, 18)).toBe(125);
    expect(readBoolean(buf, 19, 23)).toBe(true);
    expect(readBoolean(buf, 24, 29)).toBe(false);
    expect(readNumber(buf, 30, 34)).toBeNull();
    expect(readString(buf, 30, 34)).toBeNull();
  });

  it('reads a loose number token as null when it is no number at all', () => {
    const buf = Buffer.from('1.2.3');
    expect(readNumber(buf, 0, buf.length)).toBeNull();
  });

  it('matches keys by their raw bytes', () => {
    const buf = Buffer.from('"type"');
    expect(keyEquals(buf, 0, 6, 'type')).toBe(true);
    expect(keyEquals(buf, 0, 6, 'typo')).toBe(false);
    expect(keyEquals(buf, 0, 6, 'types')).toBe(false);
  });

  it('rejects nesting deeper than 256 levels instead of overflowing the stack', () => {
    // A documented bound: JSON.parse would accept this line; the scanner quarantines it.
    const deep = (n: number): string => `{"a":${'['.repeat(n)}1${']'.repeat(n)}}`;
    expect(scannerAccepts(Buffer.from(deep(250)))).toBe(true);
    expect(scannerAccepts(Buffer.from(deep(300)))).toBe(false);
    const hostile = Buffer.from('{"a":'.repeat(200_000));
    expect(scanObject(hostile, 0, hostile.length, undefined)).toBe(-1);
  });

  it('visits every top-level member with its key and value spans', () => {
    const text = '{ "a" : 1 , "b":{"c":[1,2]},"d":"x" }';
    const buf = Buffer.from(text);
    const seen: string[] = [];
    const end = scanObject(buf, 0, buf.length, (b, ks, ke, vs, ve) => {
      seen.push(`${b.toString('utf8', ks, ke)}=${b.toString('utf8', vs, ve)}`);
    });
    expect(end).toBe(text.length);
    expect(seen).toEqual(['"a"=1', '"b"={"c":[1,2]}', '"d"="x"']);
  });
});

describe('json-scan agrees with JSON.parse', () => {
  it('accepts every valid JSON object line', () => {
    fc.assert(
      fc.property(jsonObjectLine, (line) => {
        expect(scannerAccepts(Buffer.from(line, 'utf8'))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives any valid JSON line the outcome JSON.parse implies: an object is a record, the rest is not-an-object', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4, stringUnit: 'binary' }), (text) => {
        const buf = Buffer.from(text, 'utf8');
        const result = scanLine(buf, 0, buf.length, 0, buf.indexOf(0));
        if (jsonParseAcceptsObject(text)) {
          expect(result).toMatchObject({ records: 1, damage: null });
        } else {
          expect(result).toMatchObject({ records: 0, damage: 'not-an-object', copies: [] });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts a corrupted line exactly when JSON.parse accepts its documented-leniency rewrite', () => {
    fc.assert(
      fc.property(
        fc.oneof(jsonObjectLine, assistantLines),
        fc.array(corruption, { minLength: 1, maxLength: 3 }),
        (line, edits) => {
          const buf = corrupt(Buffer.from(line, 'utf8'), edits);
          const text = buf.toString('utf8');
          const accepted = scannerAccepts(buf);
          expect(accepted).toBe(jsonParseAcceptsObject(canonicalize(text)));
          // Strict JSON rejection with scanner acceptance only ever comes from the leniency.
          if (accepted && !jsonParseAcceptsObject(text)) {
            expect(canonicalize(text)).not.toBe(text);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('parses usage strictly: a damaged usage object counts only when JSON.parse reads it, as JSON.parse reads it', () => {
    const usageText = fc
      .record({ input: fc.nat(), output: fc.nat(), cacheRead: fc.nat(), cacheWrite: fc.nat() })
      .map((tokens) => JSON.stringify(apiUsage(tokens)));
    fc.assert(
      fc.property(
        usageText,
        fc.array(corruption, { minLength: 1, maxLength: 3 }),
        (usage, edits) => {
          const damaged = corrupt(Buffer.from(usage), edits).toString('latin1');
          const line = assistantLine({ messageId: 'msg_1' }).replace(
            /"usage":\{[^}]*\{[^}]*\}[^}]*\{[^}]*\}[^}]*\}/,
            () => `"usage":${damaged}`,
          );
          expect(line).toContain(damaged);
          const buf = Buffer.from(line, 'latin1');
          if (buf.indexOf(0) >= 0 || !scannerAccepts(buf)) return;
          const result = scanLine(buf, 0, buf.length, 0, -1);
          // The usage object as the scanner delimits it, parsed strictly.
          const span = usageSpanOf(buf);
          const strict = span === undefined ? null : parseObject(span);
          if (span === undefined) {
            expect(result).toMatchObject({ copies: [], damage: null });
          } else if (strict === null) {
            expect(result).toMatchObject({ copies: [], damage: 'bad-usage' });
          } else {
            expect(result.damage).toBeNull();
            expect(result.copies.map((c) => c.usage)).toEqual([toTokenUsage(strict)]);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
