/**
 * One stable read of `~/.claude.json` (reliability §2.7). Claude Code rewrites the file while we
 * read it (atomic renames, and non-atomic fallback writes that leave it torn or empty), so a
 * read counts only when `stat → readFile → stat` agree on inode, size, mtime and ctime and the
 * bytes read equal the size, and the bytes parse. Anything else is retried and then reported as
 * `unstable`: the caller tries again at its next poll and never reads it as an empty file.
 * The file can be hundreds of MB, so an unchanged stat skips the read and an unchanged content
 * hash skips the parse; a stat taken in the same timestamp tick as a write is not trusted.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProjectSnapshot } from '../../core/counter-values.js';
import { extractProjects } from './claude-json-extract.js';

/** The parts of a bigint `stat` that change whenever the file's content may have. */
export interface FileStatNs {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

/** What a caller keeps of an accepted read to pass back as `previous` (see `fingerprintOf`). */
export interface ClaudeJsonFingerprint extends FileStatNs {
  readonly sha256: string;
  /**
   * The read began less than `RACY_WINDOW_MS` after the file's mtime/ctime: a write in the same
   * timestamp tick could leave inode, size, mtime and ctime as they were (git's "racily clean"
   * entries), so the next read compares the content hash instead of trusting the stat.
   */
  readonly racy?: boolean;
}

/**
 * Coarsest timestamp granularity worth guarding against: ext4 on older kernels ticks in 4–10 ms,
 * HFS+ and ext3 in 1 s, FAT in 2 s.
 */
export const RACY_WINDOW_MS = 2_000;

/** The file system calls the reader makes (injectable, so tests can count or fake them). */
export interface ClaudeJsonFs {
  stat(path: string): Promise<FileStatNs>;
  readFile(path: string): Promise<Buffer>;
}

export const NODE_CLAUDE_JSON_FS: ClaudeJsonFs = {
  async stat(path) {
    const s = await stat(path, { bigint: true });
    return { ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
  },
  readFile: (path) => readFile(path),
};

export interface ReadClaudeJsonOptions {
  /** Extra attempts after the first (default 5). */
  readonly retries?: number;
  /** Pause between attempts (default 50 ms). */
  readonly retryDelayMs?: number;
  /** The last accepted read: an equal stat or hash means `unchanged`. */
  readonly previous?: ClaudeJsonFingerprint;
  readonly fs?: ClaudeJsonFs;
  /** Wall clock for the racy check (default `Date.now`). */
  readonly nowMs?: () => number;
}

/**
 * `changing`: the file moved under every attempt (stats differ or a short read); `parse error`:
 * stable bytes that are not JSON (a torn non-atomic write); `no projects`: valid JSON without an
 * object `projects` (a reset to `{}`, not "zero projects"); `io error`: any other fs failure.
 */
export type UnstableReason = 'changing' | 'parse error' | 'no projects' | 'io error';

/** `attempts`: stat passes made, so `attempts − 1` torn reads were retried on success. */
export type ClaudeJsonRead =
  | {
      readonly kind: 'unchanged';
      /** The current stat: newer than `previous` when only the hash matched. */
      readonly stat: FileStatNs;
      readonly sha256: string;
      readonly racy: boolean;
      readonly attempts: number;
    }
  | { readonly kind: 'missing'; readonly attempts: number }
  | {
      readonly kind: 'snapshot';
      readonly stat: FileStatNs;
      readonly sha256: string;
      readonly racy: boolean;
      readonly projects: ProjectSnapshot[];
      readonly attempts: number;
    }
  | {
      readonly kind: 'unstable';
      readonly reason: UnstableReason;
      readonly detail: string;
      readonly attempts: number;
    };

/** What to pass back as `previous` after an accepted read. */
export function fingerprintOf(
  read: Extract<ClaudeJsonRead, { kind: 'snapshot' | 'unchanged' }>,
): ClaudeJsonFingerprint {
  return { ...read.stat, sha256: read.sha256, racy: read.racy };
}

export function sameStat(a: FileStatNs, b: FileStatNs): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}

const isMissing = (code: string): boolean => code === 'ENOENT' || code === 'ENOTDIR';

type Attempt =
  | { readonly kind: 'done'; readonly result: ClaudeJsonRead }
  | { readonly kind: 'retry'; readonly reason: UnstableReason; readonly detail: string };

/** True when the file changed within `RACY_WINDOW_MS` before the read began. */
function isRacy(stat: FileStatNs, readStartMs: number): boolean {
  const changedNs = stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs;
  return readStartMs - Number(changedNs / 1_000_000n) < RACY_WINDOW_MS;
}

async function attemptRead(
  path: string,
  fs: ClaudeJsonFs,
  previous: ClaudeJsonFingerprint | undefined,
  nowMs: () => number,
  attempts: number,
): Promise<Attempt> {
  const readStartMs = nowMs();
  let before: FileStatNs;
  try {
    before = await fs.stat(path);
  } catch (error) {
    const code = errorCode(error);
    if (isMissing(code)) return { kind: 'done', result: { kind: 'missing', attempts } };
    return { kind: 'retry', reason: 'io error', detail: `stat: ${code}` };
  }
  if (previous !== undefined && previous.racy !== true && sameStat(before, previous)) {
    const result = {
      kind: 'unchanged',
      stat: before,
      sha256: previous.sha256,
      racy: false,
      attempts,
    } as const;
    return { kind: 'done', result };
  }
  let bytes: Buffer;
  let after: FileStatNs;
  try {
    bytes = await fs.readFile(path);
    after = await fs.stat(path);
  } catch (error) {
    const code = errorCode(error);
    const reason = isMissing(code) ? 'changing' : 'io error';
    return { kind: 'retry', reason, detail: `read: ${code}` };
  }
  if (!sameStat(before, after)) return { kind: 'retry', reason: 'changing', detail: 'stat moved' };
  if (BigInt(bytes.length) !== before.size) {
    return {
      kind: 'retry',
      reason: 'changing',
      detail: `read ${bytes.length} of ${before.size} bytes`,
    };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const racy = isRacy(before, readStartMs);
  if (previous !== undefined && sha256 === previous.sha256) {
    return { kind: 'done', result: { kind: 'unchanged', stat: before, sha256, racy, attempts } };
  }
  let document: unknown;
  try {
    const text = bytes.toString('utf8');
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { kind: 'retry', reason: 'parse error', detail: (error as Error).message };
  }
  const projects = extractProjects(document);
  if (projects === null) {
    const result = {
      kind: 'unstable',
      reason: 'no projects',
      detail: 'no object `projects`',
      attempts,
    } as const;
    return { kind: 'done', result };
  }
  const result = { kind: 'snapshot', stat: before, sha256, racy, projects, attempts } as const;
  return { kind: 'done', result };
}

/**
 * Reads `path` until one attempt is stable and parses, at most `1 + retries` times. A valid
 * document without `projects` is not retried (a reset file stays reset): it is `unstable`
 * with reason `no projects`, and no baseline may follow it.
 */
export async function readClaudeJsonStable(
  path: string,
  options: ReadClaudeJsonOptions = {},
): Promise<ClaudeJsonRead> {
  const { retries = 5, retryDelayMs = 50, previous, fs = NODE_CLAUDE_JSON_FS } = options;
  const nowMs = options.nowMs ?? Date.now;
  let attempts = 0;
  for (;;) {
    attempts++;
    const attempt = await attemptRead(path, fs, previous, nowMs, attempts);
    if (attempt.kind === 'done') return attempt.result;
    if (attempts > retries) {
      return { kind: 'unstable', reason: attempt.reason, detail: attempt.detail, attempts };
    }
    await sleep(retryDelayMs);
  }
}
