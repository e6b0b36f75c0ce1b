/**
 * How far the ledger is behind the transcripts on disk, for `ctt status`: the live size of every
 * file against the offset the ledger committed for the same file identity (device + inode), the
 * way a pass would see it before hashing anything. Files the ledger does not know yet are behind
 * by their whole size.
 */
import { statSync } from 'node:fs';
import type { TranscriptFile } from '../../sources/claude-code/discover-transcripts.js';
import type { CommittedFile } from '../../store/status-queries.js';

/** A transcript as it is on disk now. */
export interface LiveFile {
  readonly path: string;
  readonly dev: string;
  readonly ino: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface TranscriptLag {
  /** Bytes on disk the ledger has not committed yet. */
  readonly pendingBytes: number;
  /** Known files with unread bytes (a shrunk file counts: it will be read again from byte 0). */
  readonly filesBehind: number;
  /** Files the ledger has never seen, pending from byte 0. */
  readonly newFiles: number;
  /** Files looked at. */
  readonly filesChecked: number;
  /**
   * Age of the oldest unread byte, as well as a stat can tell: now minus the modification time of
   * the least recently written file that is behind (its unread bytes are at least that old).
   * Null when nothing is pending.
   */
  readonly oldestPendingAgeMs: number | null;
}

function identityOf(file: { readonly dev: string; readonly ino: string }): string {
  return `${file.dev}:${file.ino}`;
}

/** Pure: committed offsets × live files → lag. */
export function measureLag(
  committed: readonly CommittedFile[],
  live: readonly LiveFile[],
  nowMs: number,
): TranscriptLag {
  const byIdentity = new Map<string, CommittedFile[]>();
  for (const row of committed) {
    const key = identityOf(row);
    const rows = byIdentity.get(key);
    if (rows === undefined) byIdentity.set(key, [row]);
    else rows.push(row);
  }
  let pendingBytes = 0;
  let filesBehind = 0;
  let newFiles = 0;
  let oldestMtimeMs: number | null = null;
  for (const file of live) {
    const rows = byIdentity.get(identityOf(file));
    // A renamed file keeps its identity; among several rows (rare), the one at this path wins.
    const row = rows?.find((r) => r.path === file.path) ?? rows?.[0];
    let pending: number;
    if (row === undefined) {
      pending = file.size;
      if (pending > 0) newFiles++;
    } else {
      pending = file.size >= row.byteOffset ? file.size - row.byteOffset : file.size;
      if (pending > 0) filesBehind++;
    }
    if (pending <= 0) continue;
    pendingBytes += pending;
    if (oldestMtimeMs === null || file.mtimeMs < oldestMtimeMs) oldestMtimeMs = file.mtimeMs;
  }
  return {
    pendingBytes,
    filesBehind,
    newFiles,
    filesChecked: live.length,
    oldestPendingAgeMs: oldestMtimeMs === null ? null : Math.max(0, nowMs - oldestMtimeMs),
  };
}

/**
 * The live files to measure: every committed path that still exists (even under a root this
 * invocation was not told about) and every transcript found under the configured roots.
 */
export function liveFilesOf(
  committed: readonly CommittedFile[],
  discovered: readonly TranscriptFile[],
): LiveFile[] {
  const live = new Map<string, LiveFile>();
  for (const file of discovered) {
    live.set(file.path, {
      path: file.path,
      dev: file.dev,
      ino: file.ino,
      size: file.size,
      mtimeMs: Number(BigInt(file.mtimeNs) / 1_000_000n),
    });
  }
  for (const row of committed) {
    if (live.has(row.path)) continue;
    try {
      const stats = statSync(row.path, { bigint: true });
      if (!stats.isFile()) continue;
      live.set(row.path, {
        path: row.path,
        dev: String(stats.dev),
        ino: String(stats.ino),
        size: Number(stats.size),
        mtimeMs: Number(stats.mtimeNs / 1_000_000n),
      });
    } catch {
      // Deleted or unreadable since: nothing to read there.
    }
  }
  return [...live.values()];
}
