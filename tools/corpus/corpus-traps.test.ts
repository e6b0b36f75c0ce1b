import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from './generate-corpus.js';
import type { CorpusManifest } from './manifest.js';
import { isUsageLine, obj, scanCorpus, usageOf } from './scan-corpus.js';
import type { CorpusScan, Found } from './scan-corpus.js';

/** Scans the written files (not the generator's bookkeeping) for every duplicate and corruption trap. */

let root: string;
let manifest: CorpusManifest;
let scan: CorpusScan;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ctt-corpus-traps-'));
  manifest = await generateCorpus({ root, seed: 2026, targetBytes: 2e6 });
  scan = scanCorpus(manifest);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const groups = (predicate: (copies: Found[]) => boolean): number =>
  [...scan.responses.values()].filter(predicate).length;
const allNul = (text: string): boolean => text.length > 0 && text.replaceAll('\u0000', '') === '';

describe('a generated corpus with traps', () => {
  it('has streaming splits: placeholders then final, and equal-usage blocks (≥2.1.97)', () => {
    expect(
      groups(
        (c) =>
          c.some(
            (f) =>
              obj(f.record.message).stop_reason === null &&
              Number(usageOf(f.record).output_tokens) <= 5,
          ) && c.some((f) => Number(usageOf(f.record).output_tokens) > 5),
      ),
    ).toBeGreaterThanOrEqual(3);
    const modern = (f: Found): boolean =>
      /^2\.1\.(9[7-9]|[1-9]\d\d)$/.test(String(f.record.version));
    expect(
      groups(
        (c) =>
          c.length >= 2 &&
          c.every(modern) &&
          new Set(c.map((f) => JSON.stringify(usageOf(f.record)))).size === 1,
      ),
    ).toBeGreaterThanOrEqual(3);
  });

  it('has responses straddling UTC midnight and mid-stream model fallbacks', () => {
    expect(
      groups(
        (c) =>
          c.some((f) => String(f.record.timestamp).endsWith('T23:59:59.900Z')) &&
          c.some((f) => String(f.record.timestamp).endsWith('T00:00:01.000Z')),
      ),
    ).toBeGreaterThanOrEqual(3);
    expect(
      groups((c) => new Set(c.map((f) => obj(f.record.message).model)).size > 1),
    ).toBeGreaterThanOrEqual(3);
  });

  it('has fork copies and /btw sidechain replays', () => {
    const originals = new Map(
      scan.records
        .filter((f) => f.record.forkedFrom === undefined)
        .map((f) => [`${String(f.record.sessionId)}|${String(f.record.uuid)}`, f]),
    );
    const forks = scan.records.filter((f) => {
      const from = obj(f.record.forkedFrom);
      const source = originals.get(`${String(from.sessionId)}|${String(from.messageUuid)}`);
      return (
        from.sessionId !== f.record.sessionId && source !== undefined && source.file !== f.file
      );
    });
    expect(new Set(forks.map((f) => f.file)).size).toBeGreaterThanOrEqual(3);
    expect(forks.some((f) => isUsageLine(f.record))).toBe(true);
    const main = new Map(
      scan.records
        .filter((f) => isUsageLine(f.record) && f.record.isSidechain !== true)
        .map((f) => [String(obj(f.record.message).id), f]),
    );
    const replays = scan.records.filter((f) => {
      const original = main.get(String(obj(f.record.message).id));
      return (
        f.record.isSidechain === true &&
        f.file.includes(`${sep}subagents${sep}`) &&
        original !== undefined &&
        original.record.requestId !== f.record.requestId
      );
    });
    expect(new Set(replays.map((f) => f.file)).size).toBeGreaterThanOrEqual(2);
  });

  it('has two terminals interleaving one session file', () => {
    const interleaved = scan.files.filter((f) => {
      const chain = f.lines
        .flatMap((l) => l.records.map(obj))
        .filter((r) => r.isSidechain === false && typeof r.uuid === 'string');
      const heads = chain.filter((r) => r.type === 'user' && r.parentUuid === null).length;
      const switches = chain.filter(
        (r, i) => i > 0 && r.parentUuid !== null && r.parentUuid !== chain[i - 1]?.uuid,
      ).length;
      return heads >= 2 && switches >= 2;
    });
    expect(interleaved.length).toBeGreaterThanOrEqual(1);
  });

  it('has every kind of damaged line, spread over files', () => {
    const damaged = scan.files.flatMap((f) =>
      f.lines.filter((l) => l.damaged).map((l) => ({ file: f.path, line: l })),
    );
    const nulOnly = damaged.filter(({ line }) => allNul(line.text));
    const nulPrefixed = damaged.filter(
      ({ line }) => line.text.startsWith('\u0000') && line.records.length === 1,
    );
    const glued = damaged.filter(
      ({ line }) => line.records.length === 2 && line.text.includes('}{'),
    );
    const spliced = damaged.filter(
      ({ line }) => !line.text.startsWith('\u0000') && line.records.length === 1,
    );
    const torn = damaged.filter(
      ({ line }) => line.records.length === 0 && !line.text.startsWith('\u0000'),
    );
    expect(nulOnly.length).toBeGreaterThanOrEqual(3);
    expect(
      nulPrefixed.filter(({ line }) => isUsageLine(obj(line.records[0]))).length,
    ).toBeGreaterThanOrEqual(2);
    expect(glued.length).toBeGreaterThanOrEqual(4);
    expect(
      glued.filter(({ line }) => line.records.every((r) => isUsageLine(obj(r)))).length,
    ).toBeGreaterThanOrEqual(2);
    expect(spliced.length).toBeGreaterThanOrEqual(3);
    expect(
      spliced.filter(({ line }) => isUsageLine(obj(line.records[0]))).length,
    ).toBeGreaterThanOrEqual(2);
    expect(torn.length).toBeGreaterThanOrEqual(3);
    expect(new Set(damaged.map((d) => d.file)).size).toBeGreaterThanOrEqual(4);
    expect(scan.files.some((f) => f.lines.some((l) => l.text === ''))).toBe(true);
  });

  it('has unfinished files: a pending assistant tail, no first line yet, and an empty file', () => {
    const tails = scan.files.filter((f) => f.tail !== '');
    expect(tails.some((f) => f.lines.length > 0 && f.tail.includes('"type":"assistant"'))).toBe(
      true,
    );
    expect(tails.some((f) => f.lines.length === 0)).toBe(true);
    expect(scan.files.some((f) => f.bytes === 0)).toBe(true);
    expect(tails.map((f) => f.path)).toContain(manifest.expected.pendingTail?.file);
  });
});
