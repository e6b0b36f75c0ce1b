/**
 * The setting shared by the `ctt start` fault tests: a temp HOME and Claude config dir, the ledger
 * path, the tracker's arguments, a transcript writer configured like a busy Claude Code, and small
 * probes of the ledger and the files between tracker lives.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { trackerEnv } from './tracker-child.js';
import type { WriterConfig } from './transcript-writer.js';

export interface TrackerFixture {
  readonly root: string;
  readonly home: string;
  readonly claudeDir: string;
  readonly projectsDir: string;
  readonly dbPath: string;
  readonly env: NodeJS.ProcessEnv;
  /** `ctt start` arguments for this tree, polling every 50 ms, plus `extra`. */
  args(...extra: string[]): string[];
  /** A writer for this tree: several files, split writes, streamed copies, corrupt lines. */
  writerConfig(seed: number, overrides?: Partial<WriterConfig>): WriterConfig;
}

export function trackerFixture(root: string): TrackerFixture {
  const home = join(root, 'home');
  const claudeDir = join(root, 'claude');
  const projectsDir = join(claudeDir, 'projects');
  mkdirSync(home, { recursive: true });
  mkdirSync(projectsDir, { recursive: true });
  const dbPath = join(root, 'ledger.db');
  return {
    root,
    home,
    claudeDir,
    projectsDir,
    dbPath,
    env: trackerEnv(home),
    args: (...extra) => [
      '--claude-dir',
      claudeDir,
      '--claude-json',
      join(home, '.claude.json'),
      '--db',
      dbPath,
      '--active-interval',
      '50',
      '--idle-interval',
      '200',
      '--lock-wait',
      '5000',
      ...extra,
    ],
    writerConfig: (seed, overrides = {}) => ({
      projectsDir,
      sessionsDir: join(claudeDir, 'sessions'),
      truthPath: join(root, 'truth.json'),
      seed,
      maxLines: 1_000_000,
      initialFiles: 4,
      maxFiles: 12,
      burstLines: 12,
      burstPauseMs: [2, 20],
      splitRatio: 0.2,
      splitPauseMs: [2, 40],
      corruptRatio: 0.01,
      replayRatio: 0.02,
      maxCopies: 4,
      ...overrides,
    }),
  };
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes the ledger has committed, all files together (0 before the ledger exists). */
export function committedBytes(dbPath: string): number {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT sum(byte_offset) AS n FROM source_file').get() as {
        n: number | null;
      };
      return row.n ?? 0;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet, or killed before the schema was
  }
}

/** Bytes in the transcript files right now. */
export function writtenBytes(projectsDir: string): number {
  let total = 0;
  for (const name of readdirSync(projectsDir, { recursive: true, encoding: 'utf8' })) {
    if (name.endsWith('.jsonl')) total += statSync(join(projectsDir, name)).size;
  }
  return total;
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
