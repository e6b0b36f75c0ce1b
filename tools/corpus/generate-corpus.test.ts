import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTranscripts } from './corpus-reader.js';
import { generateCorpus } from './generate-corpus.js';
import type { CorpusOptions } from './generate-corpus.js';
import type { CorpusManifest } from './manifest.js';
import { naiveRecount } from './naive-recount.js';

const TARGET_BYTES = 2e6;
const roots: string[] = [];

function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'ctt-corpus-'));
  roots.push(root);
  return root;
}

async function generate(
  options: Omit<CorpusOptions, 'root'>,
): Promise<{ root: string; manifest: CorpusManifest }> {
  const root = freshRoot();
  return { root, manifest: await generateCorpus({ root, ...options }) };
}

/** Hash of every file under root/home (relative path + bytes), in a stable order. */
function treeHash(root: string): string {
  const hash = createHash('sha256');
  const home = join(root, 'home');
  for (const path of [...listTranscripts(home), join(home, '.claude.json')]) {
    hash.update(`${relative(home, path)}\n`);
    hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

/** What the manifest expects, minus the fields a re-count of the files cannot know. */
function recountable(manifest: CorpusManifest): object {
  const expected = Object.fromEntries(
    Object.entries(manifest.expected).filter(
      ([key]) => key !== 'pendingTail' && key !== 'oversizeLine',
    ),
  );
  return { files: manifest.files, bytes: manifest.bytes, lines: manifest.lines, ...expected };
}

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('generateCorpus', () => {
  let first: { root: string; manifest: CorpusManifest };

  beforeAll(async () => {
    first = await generate({ seed: 7, targetBytes: TARGET_BYTES });
  });

  it('is deterministic: same seed, same bytes and manifest; another seed differs', async () => {
    const again = await generate({ seed: 7, targetBytes: TARGET_BYTES });
    expect(treeHash(again.root)).toBe(treeHash(first.root));
    const normalize = (m: CorpusManifest, root: string): unknown =>
      JSON.parse(JSON.stringify(m).replaceAll(root, '<root>'));
    expect(normalize(again.manifest, again.root)).toEqual(normalize(first.manifest, first.root));
    const manifestFile = readFileSync(join(first.root, 'manifest.json'), 'utf8');
    expect(JSON.parse(manifestFile)).toEqual(first.manifest);
    const other = await generate({ seed: 8, targetBytes: TARGET_BYTES });
    expect(treeHash(other.root)).not.toBe(treeHash(first.root));
  });

  it('roughly honours targetBytes (±20%)', async () => {
    expect(first.manifest.bytes).toBeGreaterThan(TARGET_BYTES * 0.8);
    expect(first.manifest.bytes).toBeLessThan(TARGET_BYTES * 1.2);
    const bigger = await generate({ seed: 3, targetBytes: 6e6, traps: false });
    expect(bigger.manifest.bytes).toBeGreaterThan(6e6 * 0.8);
    expect(bigger.manifest.bytes).toBeLessThan(6e6 * 1.2);
  });

  it('matches a naive re-count of the written files', () => {
    expect(naiveRecount(first.manifest)).toEqual(recountable(first.manifest));
    expect(first.manifest.expected.responses).toBeGreaterThan(300);
    expect(first.manifest.expected.quarantinedLines).toBeGreaterThanOrEqual(15);
  });

  it('writes clean modern data only when traps are off, still matching a re-count', async () => {
    const clean = await generate({ seed: 11, targetBytes: TARGET_BYTES, traps: false });
    const recount = naiveRecount(clean.manifest);
    expect(recount).toEqual(recountable(clean.manifest));
    expect(recount.quarantinedLines).toBe(0);
    expect(recount.forkCopies).toBe(0);
    expect(recount.sidechainReplays).toBe(0);
    expect(recount.unpricedModels).toEqual({});
    expect(clean.manifest.expected.pendingTail).toBeNull();
    for (const path of listTranscripts(join(clean.root, 'home'))) {
      const text = readFileSync(path, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text).not.toMatch(/"version":"(1\.|2\.0\.|2\.1\.(\d|[1-8]\d|9[0-6])")/);
    }
  });

  it('places the pending tail at the end of its file, not yet complete', () => {
    const tail = first.manifest.expected.pendingTail;
    expect(tail).not.toBeNull();
    if (tail === null) return;
    const text = readFileSync(tail.file, 'utf8');
    const partial = text.slice(text.lastIndexOf('\n') + 1);
    expect(Buffer.byteLength(partial)).toBe(tail.bytes);
    expect(partial).toMatch(/^\{.*"type":"assistant"/);
    expect(() => JSON.parse(partial) as unknown).toThrow();
  });

  it('writes exactly one huge valid user line when oversizeLineBytes is set', async () => {
    const bytes = 3 * 1024 * 1024 + 17;
    const { manifest } = await generate({ seed: 5, targetBytes: 1e6, oversizeLineBytes: bytes });
    const oversize = manifest.expected.oversizeLine;
    expect(oversize).toMatchObject({ bytes });
    if (oversize === null) return;
    const buffer = Buffer.alloc(bytes + 1);
    const fd = openSync(oversize.file, 'r');
    readSync(fd, buffer, 0, bytes + 1, oversize.byteOffset);
    closeSync(fd);
    expect(buffer[bytes]).toBe(0x0a);
    const record = JSON.parse(buffer.subarray(0, bytes).toString('utf8')) as { type: string };
    expect(record.type).toBe('user');
    expect(naiveRecount(manifest)).toEqual(recountable(manifest));
  });
});
