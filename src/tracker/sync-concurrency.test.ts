/**
 * Two writers on one ledger (spec: "`ctt sync` is safe to run while `ctt start` runs: nothing is
 * counted twice"). Stale commits are allowed; double counts are not. First two connections in
 * this process whose passes interleave slice by slice, then two real `ctt sync` processes.
 */
import { foldSlice } from './fold-slice.js';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assistantLine, jsonl, userLine } from '../../test/helpers/claude-lines.js';
import { count, ledgerTotals, responseRows, sync } from '../../test/helpers/ledger.js';
import { makeTempTree, type TempTree } from '../../test/helpers/temp-tree.js';
import { CTT_BIN } from '../../test/e2e/run-ctt.js';
import { scanTranscript } from '../sources/claude-code/scan-transcript.js';
import { openLedger, type Ledger } from '../store/database.js';
import { fileErrorCode, toScanTarget, type ScanExecutor } from './scan-executor.js';

let tree: TempTree;
beforeEach(() => {
  tree = makeTempTree();
});
afterEach(() => {
  tree.cleanup();
});

/**
 * Writes 50 session files of 12 lines each. Every fifth file also carries fork copies of the
 * previous file's responses, and every file has a streaming placeholder and its final copy, so the
 * two writers also race on merges of one response.
 */
function writeFiftyFiles(): number {
  let usageLines = 0;
  for (let f = 0; f < 50; f++) {
    const lines: string[] = [userLine()];
    for (let r = 0; r < 8; r++) {
      lines.push(
        assistantLine({
          messageId: `msg_${f}_${r}`,
          requestId: `req_${f}_${r}`,
          usage: { input: f + 1, output: 10 * r + 1, cacheRead: 1000 * f },
          sessionId: `session-${f}`,
          timestamp: new Date(Date.UTC(2026, 10, 1 + (f % 28), 8, r)).toISOString(),
        }),
      );
    }
    lines.push(
      assistantLine({ messageId: `msg_${f}_s`, stopReason: null, usage: { input: 3, output: 1 } }),
      assistantLine({ messageId: `msg_${f}_s`, usage: { input: 3, output: 99 } }),
    );
    if (f % 5 === 4) {
      lines.push(
        assistantLine({
          messageId: `msg_${f - 1}_0`,
          requestId: `req_${f - 1}_0`,
          usage: { input: f, output: 1, cacheRead: 1000 * (f - 1) },
          sessionId: `session-${f}`,
          forkedFrom: true,
        }),
      );
    } else {
      lines.push(userLine({ content: 'next' }));
    }
    usageLines += lines.filter((line) => line.includes('"type":"assistant"')).length;
    tree.write(tree.path(`-proj-${f % 7}`, `session-${f}.jsonl`), jsonl(...lines));
  }
  return usageLines;
}

/** Reads like `scanInline` but yields to the event loop after every slice. */
const yieldingExecutor: ScanExecutor = async (tasks, limits, onSlice, onRefused, onFileError) => {
  for (const task of tasks) {
    let fromOffset = task.file.byteOffset;
    try {
      for (const item of scanTranscript(toScanTarget(task), limits)) {
        if (item.kind !== 'slice') {
          onRefused(task, item);
          break;
        }
        const decision = onSlice(task, foldSlice(item, task.file.projectDir), fromOffset);
        fromOffset = item.endOffset;
        await new Promise((resolve) => setImmediate(resolve));
        if (decision === 'abort') break;
      }
    } catch (error) {
      const code = fileErrorCode(error);
      if (code === null) throw error;
      onFileError(task, code);
    }
  }
};

async function referenceRows(): Promise<ReturnType<typeof responseRows>> {
  const db = openLedger(':memory:');
  try {
    await sync(db, [tree.projectsDir]);
    return responseRows(db);
  } finally {
    db.close();
  }
}

function expectExactlyOnce(db: Ledger, usageLines: number, reference: unknown): void {
  expect(responseRows(db)).toEqual(reference);
  expect(count(db, 'response_copy')).toBe(usageLines);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
}

describe('two writers on one ledger', () => {
  it('two connections syncing at once, slice by slice, total exactly one sync', async () => {
    const usageLines = writeFiftyFiles();
    const reference = await referenceRows();
    const a = openLedger(tree.ledgerPath);
    const b = openLedger(tree.ledgerPath);
    try {
      const options = {
        executor: yieldingExecutor,
        limits: { sliceBytes: 2048 },
        batchRows: 1,
      };
      const [first, second] = await Promise.all([
        sync(a, [tree.projectsDir], options),
        sync(b, [tree.projectsDir], options),
      ]);
      expect(first.pass.dedupHitsRaw + second.pass.dedupHitsRaw).toBe(0);
      // The race really happened: one writer found ranges the other had committed.
      expect(first.pass.staleCommits + second.pass.staleCommits).toBeGreaterThan(0);
      expect(first.pass.newResponses + second.pass.newResponses).toBe(reference.length);
      expectExactlyOnce(a, usageLines, reference);
      const settle = await sync(b, [tree.projectsDir]);
      expect(settle.pass).toMatchObject({ bytesRead: 0, newResponses: 0, updatedResponses: 0 });
      expect(ledgerTotals(b)).toEqual(ledgerTotals(a));
    } finally {
      a.close();
      b.close();
    }
  });

  it('two `ctt sync` processes started together (inline and threaded) total exactly one sync', async () => {
    if (!existsSync(CTT_BIN)) throw new Error(`build first (npm run build): ${CTT_BIN} is missing`);
    const usageLines = writeFiftyFiles();
    const reference = await referenceRows();
    const run = (
      workers: string,
    ): Promise<{ code: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            CTT_BIN,
            'sync',
            '--json',
            ...['--workers', workers, '--claude-dir', tree.configDir, '--db', tree.ledgerPath],
          ],
          {
            env: { PATH: process.env['PATH'] ?? '', HOME: tree.base, TZ: 'UTC', NO_COLOR: '1' },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    // One reads on its main thread, the other in two reader threads.
    const results = await Promise.all([run('0'), run('2')]);
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect((JSON.parse(result.stdout) as { dedupHitsRaw: number }).dedupHitsRaw).toBe(0);
    }
    const db = openLedger(tree.ledgerPath);
    try {
      // Prices are the same bundled table, so rows must match the in-process reference.
      expectExactlyOnce(db, usageLines, reference);
    } finally {
      db.close();
    }
  });
});
