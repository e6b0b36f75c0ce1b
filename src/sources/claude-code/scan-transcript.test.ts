import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assistantLine, jsonl, summaryLine, userLine } from '../../../test/helpers/claude-lines.js';
import { makeTempTree, type TempTree } from '../../../test/helpers/temp-tree.js';
import {
  ANCHOR_BYTES,
  scanTranscript,
  type ScanLimits,
  type ScanRefused,
  type ScanSlice,
  type ScanTarget,
} from './scan-transcript.js';

let tree: TempTree;
beforeEach(() => {
  tree = makeTempTree();
});
afterEach(() => {
  tree.cleanup();
});

function targetOf(path: string, fromOffset = 0, anchorHash: string | null = null): ScanTarget {
  const stat = statSync(path, { bigint: true });
  return { path, dev: String(stat.dev), ino: String(stat.ino), fromOffset, anchorHash };
}

function scanAll(target: ScanTarget, limits: ScanLimits = {}): (ScanSlice | ScanRefused)[] {
  return [...scanTranscript(target, limits)];
}

function slicesOf(target: ScanTarget, limits: ScanLimits = {}): ScanSlice[] {
  const items = scanAll(target, limits);
  for (const item of items) if (item.kind !== 'slice') throw new Error(`refused: ${item.kind}`);
  return items as ScanSlice[];
}

function anchorAt(path: string, offset: number): string | null {
  if (offset === 0) return null;
  const bytes = readFileSync(path).subarray(Math.max(0, offset - ANCHOR_BYTES), offset);
  return createHash('sha256').update(bytes).digest('hex');
}

const lines = [
  assistantLine({ messageId: 'msg_1', usage: { input: 1, output: 10 } }),
  userLine({ content: 'ok' }),
  assistantLine({ messageId: 'msg_2', usage: { input: 2, output: 20 } }),
];
const content = jsonl(...lines);

describe('scanTranscript: whole lines only', () => {
  it('reads every complete line and reports the end offset, anchor and size', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, content);
    const [slice] = slicesOf(targetOf(path));
    expect(slice).toMatchObject({
      startOffset: 0,
      endOffset: Buffer.byteLength(content),
      lines: 3,
      records: 3,
      atEnd: true,
      sizeSeen: Buffer.byteLength(content),
      quarantine: [],
    });
    expect(slice?.copies.map((c) => c.messageId)).toEqual(['msg_1', 'msg_2']);
    expect(slice?.copies[1]?.byteOffset).toBe(
      Buffer.byteLength(lines[0] ?? '') + 1 + Buffer.byteLength(lines[1] ?? '') + 1,
    );
    expect(slice?.anchorHash).toBe(anchorAt(path, Buffer.byteLength(content)));
  });

  it('holds back a partial last line and consumes it once complete, for a split at every byte', () => {
    const compact = (id: string, output: number): string =>
      JSON.stringify({
        type: 'assistant',
        message: { id, model: 'm', usage: { input_tokens: 1, output_tokens: output } },
        requestId: 'r',
        text: 'a\u2028"\\}{',
      });
    const bytes = Buffer.from(jsonl(compact('msg_1', 10), '{"type":"user"}', compact('msg_2', 20)));
    const path = tree.path('p', 's.jsonl');
    for (const chunkBytes of [undefined, 7]) {
      const limits: ScanLimits = chunkBytes === undefined ? {} : { chunkBytes };
      for (let split = 0; split <= bytes.length; split++) {
        tree.write(path, bytes.subarray(0, split));
        const first = slicesOf(targetOf(path), limits);
        const last = first[first.length - 1];
        const consumed = last?.endOffset ?? 0;
        expect(consumed, `split ${split}`).toBe(bytes.subarray(0, split).lastIndexOf(0x0a) + 1);
        tree.append(path, bytes.subarray(split));
        const rest = slicesOf(targetOf(path, consumed, anchorAt(path, consumed)), limits);
        const all = [...first, ...rest];
        expect(
          all.flatMap((s) => s.copies.map((c) => c.messageId)),
          `split ${split}`,
        ).toEqual(['msg_1', 'msg_2']);
        expect(all.flatMap((s) => s.quarantine)).toEqual([]);
        expect(all.reduce((n, s) => n + s.lines, 0)).toBe(3);
        expect(rest[rest.length - 1]?.endOffset).toBe(bytes.length);
      }
    }
  });

  it('does not consume a final line that has no newline, even when it is valid JSON', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, `${content}${assistantLine({ messageId: 'msg_3' })}`);
    const [slice] = slicesOf(targetOf(path));
    expect(slice?.endOffset).toBe(Buffer.byteLength(content));
    expect(slice?.copies.map((c) => c.messageId)).toEqual(['msg_1', 'msg_2']);
    expect(slice?.sizeSeen).toBeGreaterThan(Buffer.byteLength(content));
  });

  it('strips a UTF-8 BOM at the start of the file and accepts CRLF line ends', () => {
    const path = tree.path('p', 's.jsonl');
    const crlf = lines.map((l) => `${l}\r\n`).join('');
    tree.write(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]));
    for (const chunkBytes of [undefined, 2, 5]) {
      const slices = slicesOf(targetOf(path), chunkBytes === undefined ? {} : { chunkBytes });
      expect(slices.flatMap((s) => s.copies.map((c) => c.messageId))).toEqual(['msg_1', 'msg_2']);
      expect(slices.flatMap((s) => s.quarantine)).toEqual([]);
      expect(slices[0]?.copies[0]?.byteOffset).toBe(3);
    }
  });

  it('counts empty lines as lines and nothing else', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, `\n\n${lines[0]}\n\r\n`);
    const [slice] = slicesOf(targetOf(path));
    expect(slice).toMatchObject({ lines: 4, records: 1, quarantine: [] });
    expect(slice?.copies).toHaveLength(1);
  });

  it('quarantines damaged lines with their offsets and keeps reading', () => {
    const path = tree.path('p', 's.jsonl');
    const torn = (lines[0] ?? '').slice(0, 50);
    const nulLine = Buffer.concat([Buffer.alloc(10, 0), Buffer.from(lines[2] ?? '')]);
    tree.write(
      path,
      Buffer.concat([
        Buffer.from(`${torn}\n${summaryLine()}\n`),
        nulLine,
        Buffer.from(`\n${lines[0]}\n`),
      ]),
    );
    const [slice] = slicesOf(targetOf(path));
    expect(slice?.quarantine.map((q) => [q.byteOffset, q.reason, q.lineBytes])).toEqual([
      [0, 'torn', 50],
      [51 + Buffer.byteLength(summaryLine()) + 1, 'nul-bytes', nulLine.length],
    ]);
    expect(slice?.copies.map((c) => c.messageId)).toEqual(['msg_2', 'msg_1']);
  });
});

describe('scanTranscript: oversize lines', () => {
  const big = assistantLine({
    messageId: 'msg_big',
    content: [{ type: 'text', text: 'x'.repeat(5000) }],
  });

  it('quarantines a line above maxLineBytes, hashes it, and counts the lines after it', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, jsonl(lines[0] ?? '', big, lines[2] ?? ''));
    for (const chunkBytes of [undefined, 64, 1000]) {
      const limits: ScanLimits = {
        maxLineBytes: 1024,
        ...(chunkBytes === undefined ? {} : { chunkBytes }),
      };
      const slices = slicesOf(targetOf(path), limits);
      const quarantine = slices.flatMap((s) => s.quarantine);
      expect(quarantine).toEqual([
        {
          byteOffset: Buffer.byteLength(lines[0] ?? '') + 1,
          lineBytes: Buffer.byteLength(big),
          reason: 'oversize',
          sha256: createHash('sha256').update(big).digest('hex'),
          recoveredRecords: 0,
        },
      ]);
      expect(slices.flatMap((s) => s.copies.map((c) => c.messageId))).toEqual(['msg_1', 'msg_2']);
      expect(slices[slices.length - 1]?.endOffset).toBe(tree.size(path));
      expect(slices.reduce((n, s) => n + s.lines, 0)).toBe(3);
    }
  });

  it('leaves an oversize line without its newline pending, then quarantines it once complete', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, `${lines[0]}\n${big}`);
    const limits: ScanLimits = { maxLineBytes: 1024 };
    const first = slicesOf(targetOf(path), limits);
    const offset = first[first.length - 1]?.endOffset ?? -1;
    expect(offset).toBe(Buffer.byteLength(lines[0] ?? '') + 1);
    expect(first.flatMap((s) => s.quarantine)).toEqual([]);
    tree.append(path, `\n${lines[2]}\n`);
    const rest = slicesOf(targetOf(path, offset, anchorAt(path, offset)), limits);
    expect(rest.flatMap((s) => s.quarantine.map((q) => q.reason))).toEqual(['oversize']);
    expect(rest.flatMap((s) => s.copies.map((c) => c.messageId))).toEqual(['msg_2']);
  });

  it('parses a long line below the limit normally, growing its buffer', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, jsonl(big, lines[0] ?? ''));
    const slices = slicesOf(targetOf(path), { maxLineBytes: 100_000, chunkBytes: 16 });
    expect(slices.flatMap((s) => s.copies.map((c) => c.messageId))).toEqual(['msg_big', 'msg_1']);
  });
});

describe('scanTranscript: slices', () => {
  it('cuts a file into ordered slices that tile it and together equal one whole read', () => {
    const path = tree.path('p', 's.jsonl');
    const many = Array.from({ length: 40 }, (_, i) =>
      assistantLine({ messageId: `msg_${i}`, usage: { input: i, output: 1 } }),
    );
    tree.write(path, jsonl(...many));
    const whole = slicesOf(targetOf(path));
    expect(whole).toHaveLength(1);
    const slices = slicesOf(targetOf(path), { sliceBytes: 1500, chunkBytes: 700 });
    expect(slices.length).toBeGreaterThan(5);
    let offset = 0;
    for (const [i, slice] of slices.entries()) {
      expect(slice.startOffset).toBe(offset);
      // Only the closing slice may be empty: it reports that the end was reached.
      if (i < slices.length - 1) expect(slice.endOffset).toBeGreaterThan(offset);
      expect(slice.atEnd).toBe(i === slices.length - 1);
      expect(slice.anchorHash).toBe(anchorAt(path, slice.endOffset));
      offset = slice.endOffset;
    }
    expect(offset).toBe(tree.size(path));
    expect(slices.flatMap((s) => s.copies)).toEqual(whole[0]?.copies);
  });

  it('resumes from a slice end with its anchor as if it had never stopped', () => {
    const path = tree.path('p', 's.jsonl');
    const many = Array.from({ length: 10 }, (_, i) => assistantLine({ messageId: `msg_${i}` }));
    tree.write(path, jsonl(...many));
    const [first] = slicesOf(targetOf(path), { sliceBytes: 1 });
    expect(first?.copies.map((c) => c.messageId)).toEqual(['msg_0']);
    const rest = slicesOf(targetOf(path, first?.endOffset ?? 0, first?.anchorHash ?? null));
    expect(rest.flatMap((s) => s.copies.map((c) => c.messageId))).toEqual(
      many.slice(1).map((_, i) => `msg_${i + 1}`),
    );
  });
});

describe('scanTranscript: refusals', () => {
  it('refuses a file whose device or inode is not the one planned', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, content);
    const target = { ...targetOf(path), ino: '1' };
    expect(scanAll(target)).toEqual([{ kind: 'identity-changed', sizeSeen: tree.size(path) }]);
  });

  it('refuses a file now shorter than the committed offset', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, content);
    const end = tree.size(path);
    const anchor = anchorAt(path, end);
    tree.truncate(path, end - 10);
    expect(scanAll(targetOf(path, end, anchor))).toEqual([
      { kind: 'truncated', sizeSeen: end - 10 },
    ]);
  });

  it('refuses a file whose bytes before the offset changed, even when it grew', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, content);
    const end = tree.size(path);
    const anchor = anchorAt(path, end);
    const rewritten = jsonl(
      lines[0] ?? '',
      userLine({ content: 'a different tail' }),
      assistantLine({ messageId: 'msg_9' }),
      assistantLine({ messageId: 'msg_10' }),
    );
    tree.write(path, rewritten);
    expect(scanAll(targetOf(path, end, anchor))).toEqual([
      { kind: 'anchor-mismatch', sizeSeen: Buffer.byteLength(rewritten) },
    ]);
  });

  it('accepts a file that only grew', () => {
    const path = tree.path('p', 's.jsonl');
    tree.write(path, content);
    const end = tree.size(path);
    const anchor = anchorAt(path, end);
    tree.append(path, jsonl(assistantLine({ messageId: 'msg_3' })));
    const slices = slicesOf(targetOf(path, end, anchor));
    expect(slices.flatMap((s) => s.copies.map((c) => c.messageId))).toEqual(['msg_3']);
  });
});
