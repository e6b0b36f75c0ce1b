import { createHash } from 'node:crypto';
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  NODE_CLAUDE_JSON_FS,
  RACY_WINDOW_MS,
  fingerprintOf,
  readClaudeJsonStable,
  type ClaudeJsonFingerprint,
  type ClaudeJsonFs,
  type ClaudeJsonRead,
  type FileStatNs,
} from './claude-json-read.js';

const SESSION = '5b0e6c1a-3d7e-4c55-9b1e-6f2f0d1b9a77';

function documentText(inputTokens: number, extraProjects = 0): string {
  const projects: Record<string, unknown> = {
    '/home/alice/src/webapp': {
      hasTrustDialogAccepted: true,
      history: [{ display: 'x'.repeat(200) }],
      lastCost: 1.5,
      lastTotalInputTokens: inputTokens,
      lastTotalOutputTokens: 900,
      lastModelUsage: { 'claude-opus-5-5': { inputTokens, costUSD: 1.5 } },
      lastSessionId: SESSION,
    },
  };
  for (let i = 0; i < extraProjects; i++) projects[`/srv/p${i}`] = { lastTotalInputTokens: i + 1 };
  return JSON.stringify({ numStartups: 3, tipsHistory: { a: 1 }, projects }, null, 2) + '\n';
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctt-claude-json-'));
  file = join(dir, '.claude.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function countingFs(inner: ClaudeJsonFs = NODE_CLAUDE_JSON_FS) {
  const calls = { stat: 0, readFile: 0 };
  const fs: ClaudeJsonFs = {
    stat: (path) => (calls.stat++, inner.stat(path)),
    readFile: (path) => (calls.readFile++, inner.readFile(path)),
  };
  return { calls, fs };
}

function fingerprint(read: ClaudeJsonRead): ClaudeJsonFingerprint {
  if (read.kind !== 'snapshot' && read.kind !== 'unchanged') throw new Error(read.kind);
  return fingerprintOf(read);
}

const FAST = { retries: 2, retryDelayMs: 0 } as const;

describe('readClaudeJsonStable', () => {
  it('reads a snapshot with its bigint stat and the sha256 of the bytes', async () => {
    const text = documentText(18_231, 1);
    writeFileSync(file, text);
    const read = await readClaudeJsonStable(file);
    const st = statSync(file, { bigint: true });
    expect(read).toMatchObject({
      kind: 'snapshot',
      attempts: 1,
      stat: { ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs },
      sha256: createHash('sha256').update(text).digest('hex'),
    });
    if (read.kind !== 'snapshot') return;
    expect(read.projects.map((p) => [p.projectPath, p.sessionId, p.counters.inputTokens])).toEqual([
      ['/home/alice/src/webapp', SESSION, 18_231],
      ['/srv/p0', null, 1],
    ]);
  });

  it('reports a missing file as missing', async () => {
    expect(await readClaudeJsonStable(file)).toEqual({ kind: 'missing', attempts: 1 });
    expect(await readClaudeJsonStable(join(file, 'below'))).toMatchObject({ kind: 'missing' });
  });

  it('reports valid JSON without an object `projects` as unstable, unretried', async () => {
    for (const text of ['{}', '{"projects":[]}', '[]', 'null']) {
      writeFileSync(file, text);
      const { calls, fs } = countingFs();
      expect(await readClaudeJsonStable(file, { ...FAST, fs })).toMatchObject({
        kind: 'unstable',
        reason: 'no projects',
        attempts: 1,
      });
      expect(calls.readFile).toBe(1);
    }
  });

  it('retries a torn file and then reports it unstable, never as empty', async () => {
    writeFileSync(file, documentText(5).slice(0, 120));
    const { calls, fs } = countingFs();
    const read = await readClaudeJsonStable(file, { ...FAST, fs });
    expect(read).toMatchObject({ kind: 'unstable', reason: 'parse error', attempts: 3 });
    expect(calls.readFile).toBe(3);
    writeFileSync(file, '');
    expect(await readClaudeJsonStable(file, FAST)).toMatchObject({ reason: 'parse error' });
  });

  it('does not read an unchanged file at all: one stat, even for a 200 MB file', async () => {
    const fd = openSync(file, 'w');
    writeSync(fd, '{"projects":{}}');
    ftruncateSync(fd, 200 * 1024 * 1024); // sparse: reading it would cost 200 MB
    closeSync(fd);
    const st = await NODE_CLAUDE_JSON_FS.stat(file);
    const previous = { ...st, sha256: 'sha-of-the-last-read' };
    const { calls, fs } = countingFs();
    const startedMs = performance.now();
    for (let i = 0; i < 100; i++) {
      expect(await readClaudeJsonStable(file, { previous, fs })).toEqual({
        kind: 'unchanged',
        stat: st,
        sha256: 'sha-of-the-last-read',
        racy: false,
        attempts: 1,
      });
    }
    expect(performance.now() - startedMs).toBeLessThan(1000);
    expect(calls).toEqual({ stat: 100, readFile: 0 });
  });

  it('reads a touched file once, finds the same hash and reports unchanged with the new stat', async () => {
    writeFileSync(file, documentText(7));
    const previous = fingerprint(await readClaudeJsonStable(file));
    utimesSync(file, new Date(2030, 0, 1), new Date(2030, 0, 1));
    const { calls, fs } = countingFs();
    const read = await readClaudeJsonStable(file, { previous, fs });
    expect(read).toMatchObject({ kind: 'unchanged', sha256: previous.sha256 });
    expect(read.kind === 'unchanged' && read.stat.mtimeNs !== previous.mtimeNs).toBe(true);
    expect(calls.readFile).toBe(1);
    writeFileSync(file, documentText(8));
    expect(await readClaudeJsonStable(file, { previous })).toMatchObject({ kind: 'snapshot' });
  });

  it('reads atomic-rename writes (tmp + rename): the new inode, the new values', async () => {
    writeFileSync(file, documentText(1));
    let previous = fingerprint(await readClaudeJsonStable(file));
    for (let value = 2; value <= 50; value++) {
      const tmp = join(dir, `.claude.json.tmp.${process.pid}.${value}`);
      writeFileSync(tmp, documentText(value));
      renameSync(tmp, file);
      const read = await readClaudeJsonStable(file, { previous });
      expect(read.kind).toBe('snapshot');
      if (read.kind !== 'snapshot') return;
      expect(read.projects[0]?.counters.inputTokens).toBe(value);
      previous = fingerprint(read);
    }
  });

  it('strips a byte-order mark', async () => {
    writeFileSync(file, '\uFEFF' + documentText(3));
    expect(await readClaudeJsonStable(file)).toMatchObject({ kind: 'snapshot' });
  });

  it('every read of a file truncated at 1,000 random points is unstable or the whole snapshot', async () => {
    const text = documentText(18_231, 20);
    const full = Buffer.from(text);
    writeFileSync(file, full);
    const whole = await readClaudeJsonStable(file);
    expect(whole.kind).toBe('snapshot');
    const cuts = fc.sample(fc.noBias(fc.integer({ min: 0, max: full.length })), {
      numRuns: 1000,
      seed: 7,
    });
    const kinds = { snapshot: 0, unstable: 0 };
    for (const cut of cuts) {
      writeFileSync(file, full);
      truncateSync(file, cut);
      const read = await readClaudeJsonStable(file, { retries: 0 });
      if (read.kind === 'snapshot' && whole.kind === 'snapshot') {
        expect(read.projects).toEqual(whole.projects);
        kinds.snapshot++;
      } else {
        expect(read).toMatchObject({ kind: 'unstable', reason: 'parse error' });
        kinds.unstable++;
      }
    }
    // only the whole text, with or without its final newline, parses
    expect(kinds.snapshot).toBe(cuts.filter((cut) => cut >= full.length - 1).length);
    expect(kinds.snapshot + kinds.unstable).toBe(1000);
  });
});

describe('readClaudeJsonStable with a file changing under it', () => {
  const text = documentText(42);
  const bytes = Buffer.from(text);
  const stable: FileStatNs = { ino: 7n, size: BigInt(bytes.length), mtimeNs: 1n, ctimeNs: 1n };

  it('retries while the stat moves between the two stats, then accepts a stable read', async () => {
    let stats = 0;
    const fs: ClaudeJsonFs = {
      stat: () => Promise.resolve(++stats <= 4 ? { ...stable, mtimeNs: BigInt(stats) } : stable),
      readFile: () => Promise.resolve(bytes),
    };
    const read = await readClaudeJsonStable(file, { ...FAST, fs });
    expect(read).toMatchObject({ kind: 'snapshot', attempts: 3 });
  });

  it('retries a short read (bytes read ≠ size) and gives up as `changing`', async () => {
    const fs: ClaudeJsonFs = {
      stat: () => Promise.resolve(stable),
      readFile: () => Promise.resolve(bytes.subarray(0, 10)),
    };
    expect(await readClaudeJsonStable(file, { ...FAST, fs })).toMatchObject({
      kind: 'unstable',
      reason: 'changing',
      detail: `read 10 of ${bytes.length} bytes`,
      attempts: 3,
    });
  });

  it('retries a file that disappears between stat and read (a rename in flight)', async () => {
    let reads = 0;
    const fs: ClaudeJsonFs = {
      stat: () => Promise.resolve(stable),
      readFile: () =>
        ++reads === 1
          ? Promise.reject(Object.assign(new Error('gone'), { code: 'ENOENT' }))
          : Promise.resolve(bytes),
    };
    expect(await readClaudeJsonStable(file, { ...FAST, fs })).toMatchObject({
      kind: 'snapshot',
      attempts: 2,
    });
  });

  it('does not trust a stat taken in the same timestamp tick as a write (racy) and checks the hash', async () => {
    let content = bytes;
    const fs: ClaudeJsonFs = {
      stat: () => Promise.resolve(stable), // a same-size rewrite within one mtime tick
      readFile: () => Promise.resolve(content),
    };
    const nowMs = () => 1 + RACY_WINDOW_MS / 2; // mtime is 1 ns after the epoch
    const first = await readClaudeJsonStable(file, { fs, nowMs });
    expect(first).toMatchObject({ kind: 'snapshot', racy: true });
    content = Buffer.from(text.replace('42', '43'));
    const second = await readClaudeJsonStable(file, { fs, nowMs, previous: fingerprint(first) });
    expect(second.kind === 'snapshot' && second.projects[0]?.counters.inputTokens).toBe(43);
    // settled: the same stat long after the mtime is trusted without a read
    const later = () => 10 * RACY_WINDOW_MS;
    const settled = await readClaudeJsonStable(file, {
      fs,
      nowMs: later,
      previous: fingerprint(second),
    });
    expect(settled).toMatchObject({ kind: 'unchanged', racy: false });
    const { calls, fs: counted } = countingFs(fs);
    const previous = fingerprint(settled);
    expect(previous.racy).toBe(false);
    expect(await readClaudeJsonStable(file, { fs: counted, nowMs: later, previous })).toMatchObject(
      {
        kind: 'unchanged',
      },
    );
    expect(calls.readFile).toBe(0);
  });

  it('reports other fs errors as unstable io errors after the retries', async () => {
    const fs: ClaudeJsonFs = {
      stat: () => Promise.reject(Object.assign(new Error('denied'), { code: 'EACCES' })),
      readFile: () => Promise.resolve(bytes),
    };
    expect(await readClaudeJsonStable(file, { ...FAST, fs })).toEqual({
      kind: 'unstable',
      reason: 'io error',
      detail: 'stat: EACCES',
      attempts: 3,
    });
  });
});
