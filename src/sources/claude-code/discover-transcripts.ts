/**
 * Finds every `*.jsonl` below each `<config dir>/projects/`, of every era: session files, flat
 * `agent-*.jsonl`, and `<session>/subagents/**`. Stat only (bigint device and inode); nothing
 * is opened here. Unreadable folders and missing roots are reported, so that files under them
 * are never taken for deleted.
 */
import { readdirSync, statSync, type BigIntStats, type Dirent } from 'node:fs';
import { resolve, sep } from 'node:path';

export interface TranscriptFile {
  readonly path: string;
  /** The `projects` folder this file was found under. */
  readonly root: string;
  /** The project folder name (first component under `projects/`), or null for stray files. */
  readonly projectDir: string | null;
  readonly dev: string;
  readonly ino: string;
  readonly size: number;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
}

/** A folder as listed, with the stat taken just before its listing (see `DiscoverOptions`). */
export interface ListedDir {
  readonly path: string;
  /** `ino:mtimeMs` of the folder: it changes when an entry is added, removed or renamed. */
  readonly key: string;
}

export interface DiscoverOptions {
  /**
   * Also stat every folder just before listing it. The tracker then notices new files by a
   * folder's stat alone, without listing it again (a stat taken after the listing could hide a
   * file created in between).
   */
  readonly withDirs?: boolean;
}

export interface Discovery {
  readonly files: TranscriptFile[];
  /** With `withDirs`: every folder listed, roots included. */
  readonly dirs?: ListedDir[];
  /** Roots that exist and were listed. */
  readonly readableRoots: string[];
  readonly missingRoots: string[];
  /** Folders (or files) that could not be read, with the error code. */
  readonly unreadable: { path: string; code: string }[];
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

function toFile(path: string, root: string, stats: BigIntStats): TranscriptFile {
  // Paths are built as root + sep + names, so the project folder is the first name after root.
  const rest = path.slice(root.length + 1);
  const cut = rest.indexOf(sep);
  const first = cut < 0 ? rest : rest.slice(0, cut);
  const inFolder = cut > 0;
  return {
    path,
    root,
    projectDir: inFolder ? first : null,
    dev: String(stats.dev),
    ino: String(stats.ino),
    size: Number(stats.size),
    mtimeNs: String(stats.mtimeNs),
    ctimeNs: String(stats.ctimeNs),
  };
}

/** `ino:mtimeMs` of a folder, or null when it is not there. */
export function dirKeyOf(path: string): string | null {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats === undefined ? null : `${stats.ino}:${stats.mtimeMs}`;
}

export function discoverTranscripts(
  projectsDirs: readonly string[],
  options: DiscoverOptions = {},
): Discovery {
  const discovery: Discovery = {
    files: [],
    readableRoots: [],
    missingRoots: [],
    unreadable: [],
    ...(options.withDirs === true ? { dirs: [] } : {}),
  };
  const seenDirs = new Set<string>();
  for (const given of projectsDirs) {
    // Absolute and without a trailing slash: files are matched to their root by path prefix.
    const root = resolve(given);
    let rootStats: BigIntStats;
    try {
      rootStats = statSync(root, { bigint: true });
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR')
        discovery.missingRoots.push(root);
      else discovery.unreadable.push({ path: root, code: errorCode(error) });
      continue;
    }
    if (!rootStats.isDirectory()) {
      discovery.missingRoots.push(root);
      continue;
    }
    if (walk(root, root, discovery, seenDirs, true)) discovery.readableRoots.push(root);
  }
  return discovery;
}

/**
 * Lists `dir` recursively. Only folders reached through a root or a symbolic link are checked
 * for having been seen (a link loop, or two roots naming one folder): plain subfolders cannot
 * loop, and a stat per folder was a third of a no-change pass.
 */
function walk(
  dir: string,
  root: string,
  discovery: Discovery,
  seenDirs: Set<string>,
  checkIdentity: boolean,
): boolean {
  let entries: Dirent[];
  try {
    if (checkIdentity) {
      const dirStats = statSync(dir, { bigint: true });
      const key = `${dirStats.dev}:${dirStats.ino}`;
      if (seenDirs.has(key)) return true;
      seenDirs.add(key);
    }
    if (discovery.dirs !== undefined) {
      const key = dirKeyOf(dir);
      if (key !== null) discovery.dirs.push({ path: dir, key });
    }
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    discovery.unreadable.push({ path: dir, code: errorCode(error) });
    return false;
  }
  for (const entry of entries) {
    const path = `${dir}${sep}${entry.name}`;
    if (entry.isDirectory()) {
      walk(path, root, discovery, seenDirs, false);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.jsonl')) {
      addFile(path, root, discovery);
    } else if (entry.isSymbolicLink()) {
      followLink(path, root, discovery, seenDirs);
    }
  }
  return true;
}

function addFile(path: string, root: string, discovery: Discovery): void {
  try {
    const stats = statSync(path, { bigint: true, throwIfNoEntry: false });
    // Undefined: it vanished between readdir and stat, so it is simply not there this pass.
    if (stats?.isFile() === true) discovery.files.push(toFile(path, root, stats));
  } catch (error) {
    // Vanished between readdir and stat: it is simply not there this pass.
    if (errorCode(error) !== 'ENOENT') discovery.unreadable.push({ path, code: errorCode(error) });
  }
}

function followLink(path: string, root: string, discovery: Discovery, seenDirs: Set<string>): void {
  try {
    if (statSync(path).isDirectory()) walk(path, root, discovery, seenDirs, true);
  } catch {
    // A dangling link holds no transcripts.
  }
}
