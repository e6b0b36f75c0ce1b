/**
 * Reads a transcript from a committed byte offset and turns its complete lines into slices of
 * usage copies and quarantined lines. Only whole lines are consumed: a trailing fragment is left
 * for the next pass and its bytes are never kept as state (reliability §2.3). A slice ends after
 * about `sliceBytes` so one commit stays small and memory stays bounded on huge files.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { scanLine, type DamageReason } from './transcript-line.js';
import type { UsageCopy } from './transcript-record.js';
import type { CostStateRecord } from './cost-state-record.js';

/**
 * The anchor covers the 4 KiB before the committed offset. The last 64 bytes of every line of a
 * session are alike (`…"sessionId":"…","version":"…","gitBranch":"…"}`), so a shorter anchor
 * cannot tell a rewritten line that ends at the old offset from the line that was read; 4 KiB
 * reaches back to the line's own `uuid` and `timestamp`.
 */
export const ANCHOR_BYTES = 4096;
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
const DEFAULT_SLICE_BYTES = 32 * 1024 * 1024;
const NEWLINE = 0x0a;

export interface QuarantinedLine {
  readonly byteOffset: number;
  readonly lineBytes: number;
  readonly reason: DamageReason;
  readonly sha256: string;
  /** Intact records recovered from the line (they are counted like any other). */
  readonly recoveredRecords: number;
}

export interface ScanSlice {
  readonly kind: 'slice';
  readonly startOffset: number;
  /** Offset after the last complete line consumed; the next slice or pass starts here. */
  readonly endOffset: number;
  /** sha256 of the ≤4 KiB before `endOffset`: proves on the next pass that nothing moved. */
  readonly anchorHash: string | null;
  readonly copies: UsageCopy[];
  /** Claude Code's own `cost-state` totals found in the slice (rare: one per session exit). */
  readonly costStates: CostStateRecord[];
  readonly quarantine: QuarantinedLine[];
  readonly lines: number;
  readonly records: number;
  readonly synthetic: number;
  /** File size when this slice was read. */
  readonly sizeSeen: number;
  /** True when this slice reached the end of the file (the rest is an incomplete line). */
  readonly atEnd: boolean;
}

export interface ScanRefused {
  readonly kind: 'identity-changed' | 'truncated' | 'anchor-mismatch';
  readonly sizeSeen: number;
}

export interface ScanTarget {
  readonly path: string;
  readonly dev: string;
  readonly ino: string;
  readonly fromOffset: number;
  readonly anchorHash: string | null;
}

export interface ScanLimits {
  readonly maxLineBytes?: number;
  readonly sliceBytes?: number;
  readonly chunkBytes?: number;
}

export function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readAnchor(fd: number, endOffset: number): string | null {
  if (endOffset === 0) return null;
  const length = Math.min(ANCHOR_BYTES, endOffset);
  const bytes = Buffer.allocUnsafe(length);
  const read = readSync(fd, bytes, 0, length, endOffset - length);
  return hashBytes(bytes.subarray(0, read));
}

/** Yields slices until the end of the file, or one refusal when the file is not what we think. */
export function* scanTranscript(
  target: ScanTarget,
  limits: ScanLimits = {},
): Generator<ScanSlice | ScanRefused> {
  const fd = openSync(target.path, 'r');
  try {
    const stat = fstatSync(fd, { bigint: true });
    const size = Number(stat.size);
    if (String(stat.dev) !== target.dev || String(stat.ino) !== target.ino) {
      yield { kind: 'identity-changed', sizeSeen: size };
      return;
    }
    if (size < target.fromOffset) {
      yield { kind: 'truncated', sizeSeen: size };
      return;
    }
    if (target.fromOffset > 0 && readAnchor(fd, target.fromOffset) !== target.anchorHash) {
      yield { kind: 'anchor-mismatch', sizeSeen: size };
      return;
    }
    yield* readSlices(fd, target.fromOffset, size, limits);
  } finally {
    closeSync(fd);
  }
}

interface SliceBuilder {
  startOffset: number;
  copies: UsageCopy[];
  costStates: CostStateRecord[];
  quarantine: QuarantinedLine[];
  lines: number;
  records: number;
  synthetic: number;
}

function newSlice(startOffset: number): SliceBuilder {
  return {
    startOffset,
    copies: [],
    costStates: [],
    quarantine: [],
    lines: 0,
    records: 0,
    synthetic: 0,
  };
}

// Read buffers are reused across files: allocating 4 MiB per small file dominated a catch-up.
const freeChunks: Buffer[] = [];

function acquireChunk(bytes: number): Buffer {
  const index = freeChunks.findIndex((chunk) => chunk.length === bytes);
  if (index < 0) return Buffer.allocUnsafe(bytes);
  return freeChunks.splice(index, 1)[0] ?? Buffer.allocUnsafe(bytes);
}

function releaseChunk(chunk: Buffer): void {
  if (chunk.length <= DEFAULT_CHUNK_BYTES && freeChunks.length < 4) freeChunks.push(chunk);
}

function* readSlices(
  fd: number,
  fromOffset: number,
  initialSize: number,
  limits: ScanLimits,
): Generator<ScanSlice> {
  const maxLineBytes = limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const sliceBytes = limits.sliceBytes ?? DEFAULT_SLICE_BYTES;
  let buf = acquireChunk(Math.min(limits.chunkBytes ?? DEFAULT_CHUNK_BYTES, maxLineBytes + 1));
  try {
    yield* readLines(fd, fromOffset, initialSize, maxLineBytes, sliceBytes, buf, (grown) => {
      buf = grown;
    });
  } finally {
    releaseChunk(buf);
  }
}

function* readLines(
  fd: number,
  fromOffset: number,
  initialSize: number,
  maxLineBytes: number,
  sliceBytes: number,
  initialBuf: Buffer,
  onGrow: (grown: Buffer) => void,
): Generator<ScanSlice> {
  let buf = initialBuf;
  let carry = 0; // bytes at buf[0, carry) that start an unfinished line
  let readPos = fromOffset; // file offset of the next byte to read
  let lineFileOffset = fromOffset; // file offset of buf[0]
  let consumed = fromOffset; // file offset after the last consumed line
  let slice = newSlice(fromOffset);
  let size = initialSize;
  for (;;) {
    const read = readSync(fd, buf, carry, buf.length - carry, readPos);
    readPos += read;
    size = Math.max(size, readPos);
    const view = buf.subarray(0, carry + read);
    let pos = 0;
    if (
      lineFileOffset === 0 &&
      view.length >= 3 &&
      view[0] === 0xef &&
      view[1] === 0xbb &&
      view[2] === 0xbf
    ) {
      pos = 3; // UTF-8 byte order mark at the start of the file
    }
    let nul = view.indexOf(0);
    for (;;) {
      const newline = view.indexOf(NEWLINE, pos);
      if (newline < 0) break;
      if (nul >= 0 && nul < pos) nul = view.indexOf(0, pos);
      handleLine(view, pos, newline, lineFileOffset, nul, slice);
      pos = newline + 1;
      consumed = lineFileOffset + pos;
      if (consumed - slice.startOffset >= sliceBytes) {
        yield finishSlice(fd, slice, consumed, size, false);
        slice = newSlice(consumed);
      }
    }
    const leftover = view.length - pos;
    if (read === 0) break; // end of file: the leftover is an incomplete line, not consumed
    if (leftover >= maxLineBytes) {
      const skipped = skipOversizeLine(fd, view.subarray(pos), readPos);
      if (skipped === null) break; // no newline yet: it stays pending
      slice.lines++;
      slice.quarantine.push({
        byteOffset: lineFileOffset + pos,
        lineBytes: skipped.lineBytes,
        reason: 'oversize',
        sha256: skipped.sha256,
        recoveredRecords: 0,
      });
      readPos = lineFileOffset + pos + skipped.lineBytes + 1;
      consumed = readPos;
      lineFileOffset = readPos;
      carry = 0;
      continue;
    }
    if (leftover === buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLineBytes + 1));
      buf.copy(bigger, 0, 0, leftover);
      buf = bigger;
      onGrow(bigger);
    } else if (leftover > 0) {
      buf.copy(buf, 0, pos, view.length);
    }
    carry = leftover;
    lineFileOffset += pos;
  }
  yield finishSlice(fd, slice, consumed, size, true);
}

function handleLine(
  view: Buffer,
  start: number,
  end: number,
  bufFileOffset: number,
  nul: number,
  slice: SliceBuilder,
): void {
  slice.lines++;
  const result = scanLine(view, start, end, bufFileOffset + start, nul);
  slice.records += result.records;
  slice.synthetic += result.synthetic;
  for (const copy of result.copies) slice.copies.push(copy);
  if (result.costStates.length > 0) slice.costStates.push(...result.costStates);
  if (result.damage !== null) {
    slice.quarantine.push({
      byteOffset: bufFileOffset + start,
      lineBytes: end - start,
      reason: result.damage,
      sha256: hashBytes(view.subarray(start, end)),
      recoveredRecords: result.recovered,
    });
  }
}

function finishSlice(
  fd: number,
  slice: SliceBuilder,
  endOffset: number,
  sizeSeen: number,
  atEnd: boolean,
): ScanSlice {
  return {
    kind: 'slice',
    ...slice,
    endOffset,
    anchorHash: readAnchor(fd, endOffset),
    sizeSeen,
    atEnd,
  };
}

/** Streams past a line longer than the limit, hashing it; null when it has no newline yet. */
function skipOversizeLine(
  fd: number,
  head: Buffer,
  readPos: number,
): { lineBytes: number; sha256: string } | null {
  const hash = createHash('sha256').update(head);
  let lineBytes = head.length;
  let pos = readPos;
  const chunk = Buffer.allocUnsafe(DEFAULT_CHUNK_BYTES);
  for (;;) {
    const read = readSync(fd, chunk, 0, chunk.length, pos);
    if (read === 0) return null;
    const newline = chunk.subarray(0, read).indexOf(NEWLINE);
    if (newline >= 0) {
      hash.update(chunk.subarray(0, newline));
      return { lineBytes: lineBytes + newline, sha256: hash.digest('hex') };
    }
    hash.update(chunk.subarray(0, read));
    lineBytes += read;
    pos += read;
  }
}
