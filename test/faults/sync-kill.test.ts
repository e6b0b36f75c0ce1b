/**
 * Kill test (reliability §3 T1): a real `ctt sync` child is SIGKILLed at random moments while it
 * ingests a generated corpus, then resumed. After the final clean run the ledger must equal the
 * corpus oracle exactly: no response lost, none counted twice, every copy once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../tools/corpus/generate-corpus.js';
import type { CorpusManifest } from '../../tools/corpus/manifest.js';
import { CTT_BIN } from '../e2e/run-ctt.js';
import { readLedgerTotals } from './ledger-oracle.js';

const KILLS_REQUIRED = 100;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RunOutcome {
  readonly killed: boolean;
  readonly code: number | null;
  readonly stderr: string;
}

function runSync(
  args: string[],
  env: NodeJS.ProcessEnv,
  killAfterMs: number | null,
): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CTT_BIN, 'sync', '--quiet', ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let killed = false;
    const timer =
      killAfterMs === null
        ? null
        : setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, killAfterMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer !== null) clearTimeout(timer);
      resolve({ killed: killed && code === null, code, stderr });
    });
  });
}

function countResponses(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM response').get() as { n: number }).n;
  } catch {
    return 0; // killed before the schema was created
  } finally {
    db.close();
  }
}

describe('ctt sync under SIGKILL', () => {
  let root: string;
  let manifest: CorpusManifest;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ctt-kill-'));
    manifest = await generateCorpus({
      root: join(root, 'corpus'),
      seed: 7,
      targetBytes: 12_000_000,
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(`loses and duplicates nothing over ${KILLS_REQUIRED}+ kills`, async () => {
    const random = mulberry32(42);
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: join(root, 'home'),
      TZ: 'UTC',
      CTT_BATCH_ROWS: '400',
    };
    const dirs = manifest.configDirs.flatMap((dir) => ['--claude-dir', dir]);
    let kills = 0;
    let midIngestKills = 0;
    let cycle = 0;
    while (kills < KILLS_REQUIRED) {
      // Each cycle ingests into a fresh ledger, killed again and again until one run completes.
      const db = join(root, `ledger-${cycle}.db`);
      const workers = cycle % 2 === 0 ? ['--workers', '0'] : ['--workers', '2'];
      for (let attempt = 0; ; attempt++) {
        const killAfterMs = attempt < 40 ? 60 + Math.floor(random() * 500) : null;
        const outcome = await runSync([...dirs, '--db', db, ...workers], env, killAfterMs);
        if (outcome.killed) {
          kills++;
          // A kill that landed mid-ingest: some commits made, not all. Proves the test bites.
          const progress = existsSync(db) ? countResponses(db) : 0;
          if (progress > 0 && progress < manifest.expected.responses) midIngestKills++;
          continue;
        }
        expect(outcome.stderr).toBe('');
        expect(outcome.code).toBe(0);
        break;
      }
      const finalRun = await runSync([...dirs, '--db', db], env, null);
      expect(finalRun.code).toBe(0);
      const totals = readLedgerTotals(db);
      const expected = manifest.expected;
      expect(totals.integrity).toBe('ok');
      expect(totals.responses).toBe(expected.responses);
      expect(totals.copies).toBe(expected.usageLines);
      expect(totals.quarantined).toBe(expected.quarantinedLines);
      expect(totals.inputTokens).toBe(expected.totals.inputTokens);
      expect(totals.outputTokens).toBe(expected.totals.outputTokens);
      expect(totals.cacheCreationTokens).toBe(expected.totals.cacheCreationTokens);
      expect(totals.cacheCreation1hTokens).toBe(expected.totals.cacheCreation1hTokens);
      expect(totals.cacheReadTokens).toBe(expected.totals.cacheReadTokens);
      expect(totals.webSearchRequests).toBe(expected.totals.webSearchRequests);
      expect(totals.costUsd).toBeCloseTo(expected.totals.costUsd, 6);
      cycle++;
    }
    console.info(
      `kill test: ${kills} kills, ${midIngestKills} mid-ingest, ${cycle} full cycles, 0 lost, 0 duplicated`,
    );
    expect(kills).toBeGreaterThanOrEqual(KILLS_REQUIRED);
    expect(midIngestKills).toBeGreaterThanOrEqual(KILLS_REQUIRED / 2);
  }, 600_000);
});
