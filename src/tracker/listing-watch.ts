/**
 * Whether a poll must list every transcript again. Stat-ing every file every 2 s is most of an
 * idle tracker's CPU (3,000 files: ~25 ms a poll), so between full listings a poll only stats
 * the folders (a new file changes its folder's mtime) and the files written recently (where
 * appends happen). Anything else — an append to a file quiet for a while — is found by the next
 * full listing, at most `fullListingEveryMs` later (30 s while file events are on), or at once
 * when a file event hints. A
 * latency trade only: every listing that matters still goes through the full pass.
 */
import { statSync } from 'node:fs';
import {
  dirKeyOf,
  type Discovery,
  type TranscriptFile,
} from '../sources/claude-code/discover-transcripts.js';

export interface ListingWatchSettings {
  /** Longest time between two full listings (default 10 s). */
  readonly fullListingEveryMs: number;
  /**
   * The same while file events are on (default 30 s): an event makes the next poll list fully,
   * so the periodic listing only backs up events that never came.
   */
  readonly fullListingWithEventsMs: number;
  /** Files whose mtime is this recent are stat-ed at every poll (default 10 min). */
  readonly hotWindowMs: number;
}

export const DEFAULT_LISTING_WATCH: ListingWatchSettings = Object.freeze({
  fullListingEveryMs: 10_000,
  fullListingWithEventsMs: 30_000,
  hotWindowMs: 10 * 60_000,
});

/** At most this many files are stat-ed between full listings (the most recently written). */
const MAX_HOT_FILES = 500;

interface Remembered {
  readonly atMonoMs: number;
  readonly dirs: readonly { readonly path: string; readonly key: string }[];
  /** Roots missing at the listing: one appearing is a change. */
  readonly missingRoots: readonly string[];
  readonly hotFiles: readonly TranscriptFile[];
}

function fileMoved(file: TranscriptFile): boolean {
  const stats = statSync(file.path, { bigint: true, throwIfNoEntry: false });
  if (stats === undefined) return true;
  return (
    String(stats.ino) !== file.ino ||
    Number(stats.size) !== file.size ||
    String(stats.mtimeNs) !== file.mtimeNs ||
    String(stats.ctimeNs) !== file.ctimeNs
  );
}

export class ListingWatch {
  private remembered: Remembered | null = null;

  constructor(private readonly settings: ListingWatchSettings = DEFAULT_LISTING_WATCH) {}

  /** Keeps what a full listing (made with `withDirs`) saw. */
  remember(discovery: Discovery, monoMs: number, wallMs: number): void {
    const cutoffNs = BigInt(Math.floor(wallMs - this.settings.hotWindowMs)) * 1_000_000n;
    const hotFiles = discovery.files
      .filter((file) => BigInt(file.mtimeNs) >= cutoffNs)
      .sort((a, b) => (BigInt(b.mtimeNs) > BigInt(a.mtimeNs) ? 1 : -1))
      .slice(0, MAX_HOT_FILES);
    this.remembered = {
      atMonoMs: monoMs,
      dirs: discovery.dirs ?? [],
      missingRoots: discovery.missingRoots,
      hotFiles,
    };
  }

  /** Forget: the next poll lists fully (after a failed or partial pass). */
  forget(): void {
    this.remembered = null;
  }

  /** True when this poll must list every file: due, hinted, or a folder or hot file moved. */
  needsFullListing(monoMs: number, hinted: boolean, eventsOn = false): boolean {
    const last = this.remembered;
    if (last === null || hinted) return true;
    const everyMs = eventsOn
      ? Math.max(this.settings.fullListingEveryMs, this.settings.fullListingWithEventsMs)
      : this.settings.fullListingEveryMs;
    if (monoMs - last.atMonoMs >= everyMs) return true;
    for (const dir of last.dirs) if (dirKeyOf(dir.path) !== dir.key) return true;
    for (const root of last.missingRoots) if (dirKeyOf(root) !== null) return true;
    for (const file of last.hotFiles) if (fileMoved(file)) return true;
    return false;
  }
}
