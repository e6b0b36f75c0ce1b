/**
 * Decides, for one pass, which transcripts need reading and from where. A file whose device,
 * inode, size, mtime and ctime all equal what the ledger saw is skipped without being opened
 * (ctime cannot be set back by user tools, so a rewrite always shows). Otherwise its first line
 * is hashed to tell a rename from a reused inode. Files the walk no longer finds are marked gone
 * only when their root was listed completely; a missing root purges nothing.
 */
import { readFileHead } from '../sources/claude-code/file-head.js';
import type { Discovery, TranscriptFile } from '../sources/claude-code/discover-transcripts.js';
import type { Ledger } from '../store/database.js';
import {
  loadActiveStats,
  loadFile,
  markGone,
  markReplaced,
  moveFile,
  registerFile,
  type SourceFileStat,
  type SourceFileState,
} from '../store/source-files.js';

export interface ScanTask {
  readonly file: SourceFileState;
  readonly seen: TranscriptFile;
}

export interface PassPlan {
  readonly tasks: ScanTask[];
  readonly counts: {
    seen: number;
    unchanged: number;
    added: number;
    renamed: number;
    pending: number;
    gone: number;
    inodeReused: number;
    vanished: number;
  };
}

function isUnchanged(state: SourceFileStat, seen: TranscriptFile): boolean {
  return (
    state.sizeSeen === seen.size &&
    state.mtimeNs === seen.mtimeNs &&
    state.ctimeNs === seen.ctimeNs &&
    state.path === seen.path
  );
}

function isUnder(path: string, dirs: readonly string[]): boolean {
  return dirs.some((dir) => path === dir || path.startsWith(`${dir}/`));
}

export function planPass(db: Ledger, discovery: Discovery, nowMs: number): PassPlan {
  const counts = {
    seen: 0,
    unchanged: 0,
    added: 0,
    renamed: 0,
    pending: 0,
    gone: 0,
    inodeReused: 0,
    vanished: 0,
  };
  const tasks: ScanTask[] = [];
  const active = new Map<string, SourceFileStat>();
  for (const stat of loadActiveStats(db)) active.set(`${stat.dev}:${stat.ino}`, stat);
  const matched = new Set<number>();
  for (const seen of discovery.files) {
    counts.seen++;
    const knownStat = active.get(`${seen.dev}:${seen.ino}`);
    if (knownStat !== undefined) matched.add(knownStat.id);
    if (knownStat !== undefined && isUnchanged(knownStat, seen)) {
      counts.unchanged++;
      continue;
    }
    const known = knownStat === undefined ? undefined : loadFile(db, knownStat.id);
    let head;
    try {
      head = readFileHead(seen.path);
    } catch {
      counts.vanished++; // gone between the walk and the open: next pass sees the truth
      continue;
    }
    if (head.kind === 'pending') {
      counts.pending++;
      continue;
    }
    if (known !== undefined && known.headHash === head.hash) {
      if (known.path !== seen.path) {
        moveFile(db, known, seen.path, seen.root, seen.projectDir, nowMs);
        counts.renamed++;
      }
      tasks.push({ file: { ...known, path: seen.path, projectDir: seen.projectDir }, seen });
      continue;
    }
    if (known !== undefined) {
      markReplaced(db, known, nowMs);
      counts.inodeReused++;
    }
    const file = registerFile(
      db,
      {
        dev: seen.dev,
        ino: seen.ino,
        headHash: head.hash,
        path: seen.path,
        root: seen.root,
        projectDir: seen.projectDir,
      },
      nowMs,
    );
    if (file.byteOffset === 0 && file.generation === 0) counts.added++;
    tasks.push({ file, seen });
  }
  for (const stat of active.values()) {
    if (matched.has(stat.id)) continue;
    const state = loadFile(db, stat.id);
    if (state === undefined) continue;
    if (!isUnder(state.path, discovery.readableRoots)) continue; // root missing: purge nothing
    if (
      isUnder(
        state.path,
        discovery.unreadable.map((u) => u.path),
      )
    )
      continue;
    markGone(db, state, nowMs);
    counts.gone++;
  }
  return { tasks, counts };
}
