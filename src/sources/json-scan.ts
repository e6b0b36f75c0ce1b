/**
 * A structural JSON scanner over raw bytes. It validates a value and reports the byte spans of
 * the few keys we need without decoding the rest: string bodies are skipped with the native
 * `Buffer.indexOf`, so the megabytes of message text in a transcript are never turned into JS
 * strings. Numbers are checked loosely (their characters, not their grammar); the numbers we
 * keep are re-parsed by `JSON.parse` from their span.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MAX_DEPTH = 256;

/** Called for each key of an object being scanned; return a nested visitor to look inside. */
export type KeyVisitor = (
  buf: Buffer,
  keyStart: number,
  keyEnd: number,
  valueStart: number,
  valueEnd: number,
) => void;

export function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export function skipWhitespace(buf: Buffer, pos: number, end: number): number {
  let p = pos;
  while (p < end && isWhitespace(buf[p] as number)) p++;
  return p;
}

/** `pos` at the opening quote; returns the index after the closing quote, or -1. */
export function skipString(buf: Buffer, pos: number, end: number): number {
  // Most strings are short keys and ids: a plain loop beats the native call's fixed cost.
  const shortEnd = Math.min(end, pos + 48);
  for (let p = pos + 1; p < shortEnd; p++) {
    const byte = buf[p];
    if (byte === BACKSLASH) break;
    if (byte === QUOTE) return p + 1;
    if (p === shortEnd - 1) return skipLongString(buf, pos, p + 1, end);
  }
  return skipLongString(buf, pos, pos + 1, end);
}

function skipLongString(buf: Buffer, pos: number, start: number, end: number): number {
  let from = start;
  for (;;) {
    const quote = buf.indexOf(QUOTE, from);
    if (quote < 0 || quote >= end) return -1;
    let backslashes = 0;
    for (let k = quote - 1; k > pos && buf[k] === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

function isNumberByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x2d ||
    byte === 0x2b ||
    byte === 0x2e ||
    byte === 0x65 ||
    byte === 0x45
  );
}

function skipLiteral(buf: Buffer, pos: number, end: number, literal: string): number {
  const stop = pos + literal.length;
  if (stop > end) return -1;
  for (let i = 0; i < literal.length; i++) {
    if (buf[pos + i] !== literal.charCodeAt(i)) return -1;
  }
  return stop;
}

/** Skips one JSON value starting at `pos` (no leading whitespace); returns its end or -1. */
export function skipValue(buf: Buffer, pos: number, end: number, depth = 0): number {
  if (pos >= end) return -1;
  const byte = buf[pos] as number;
  if (byte === QUOTE) return skipString(buf, pos, end);
  if (byte === OPEN_BRACE) return scanObject(buf, pos, end, undefined, depth);
  if (byte === OPEN_BRACKET) return skipArray(buf, pos, end, depth);
  if (byte === 0x74) return skipLiteral(buf, pos, end, 'true');
  if (byte === 0x66) return skipLiteral(buf, pos, end, 'false');
  if (byte === 0x6e) return skipLiteral(buf, pos, end, 'null');
  if (isNumberByte(byte)) {
    let p = pos + 1;
    while (p < end && isNumberByte(buf[p] as number)) p++;
    return p;
  }
  return -1;
}

function skipArray(buf: Buffer, pos: number, end: number, depth: number): number {
  if (depth >= MAX_DEPTH) return -1;
  let p = skipWhitespace(buf, pos + 1, end);
  if (buf[p] === CLOSE_BRACKET) return p + 1;
  for (;;) {
    p = skipValue(buf, p, end, depth + 1);
    if (p < 0) return -1;
    p = skipWhitespace(buf, p, end);
    const byte = buf[p];
    if (byte === CLOSE_BRACKET) return p + 1;
    if (byte !== COMMA) return -1;
    p = skipWhitespace(buf, p + 1, end);
  }
}

/**
 * Scans the object at `pos` (which must be `{`), calling `visit` for each member with the key's
 * span (quotes included) and the value's span. Returns the index after `}` or -1 when invalid.
 */
export function scanObject(
  buf: Buffer,
  pos: number,
  end: number,
  visit: KeyVisitor | undefined,
  depth = 0,
): number {
  if (depth >= MAX_DEPTH || buf[pos] !== OPEN_BRACE) return -1;
  let p = skipWhitespace(buf, pos + 1, end);
  if (buf[p] === CLOSE_BRACE) return p + 1;
  for (;;) {
    if (buf[p] !== QUOTE) return -1;
    const keyStart = p;
    const keyEnd = skipString(buf, p, end);
    if (keyEnd < 0) return -1;
    p = skipWhitespace(buf, keyEnd, end);
    if (buf[p] !== COLON) return -1;
    const valueStart = skipWhitespace(buf, p + 1, end);
    const valueEnd = skipValue(buf, valueStart, end, depth + 1);
    if (valueEnd < 0) return -1;
    if (visit !== undefined) visit(buf, keyStart, keyEnd, valueStart, valueEnd);
    p = skipWhitespace(buf, valueEnd, end);
    const byte = buf[p];
    if (byte === CLOSE_BRACE) return p + 1;
    if (byte !== COMMA) return -1;
    p = skipWhitespace(buf, p + 1, end);
  }
}

/** True when the key span (with quotes) equals `"name"`; `name` must be plain ASCII. */
export function keyEquals(buf: Buffer, keyStart: number, keyEnd: number, name: string): boolean {
  if (keyEnd - keyStart !== name.length + 2) return false;
  for (let i = 0; i < name.length; i++) {
    if (buf[keyStart + 1 + i] !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** Decodes a string value span (with quotes); returns null for any other value. */
export function readString(buf: Buffer, start: number, end: number): string | null {
  if (buf[start] !== QUOTE) return null;
  for (let i = start + 1; i < end - 1; i++) {
    if (buf[i] === BACKSLASH) return JSON.parse(buf.toString('utf8', start, end)) as string;
  }
  return buf.toString('utf8', start + 1, end - 1);
}

/** Decodes a number value span; null for anything else (including JSON null). */
export function readNumber(buf: Buffer, start: number, end: number): number | null {
  if (!isNumberByte(buf[start] as number)) return null;
  const value = Number(buf.toString('latin1', start, end));
  return Number.isFinite(value) ? value : null;
}

export function readBoolean(buf: Buffer, start: number, end: number): boolean | null {
  if (end - start === 4 && buf[start] === 0x74) return true;
  if (end - start === 5 && buf[start] === 0x66) return false;
  return null;
}
