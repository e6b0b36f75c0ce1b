/**
 * Finds every `*.jsonl` below each `<config dir>/projects/`, of every era: session files, flat
 * `agent-*.jsonl`, and `<session>/subagents/**`. Stat only (bigint device and inode); nothing
 * is opened here. Unreadable folders and missing roots are reported, so that files under them
 * are never taken for deleted.
 */
import { readdirSync, statSync, type BigIntStats, type Dirent } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

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

export interface Discovery {
  readonly files: TranscriptFile[];
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
  const first = relative(root, path).split(sep)[0];
  const inFolder = first !== undefined && first !== '' && !first.endsWith('.jsonl');
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

export function discoverTranscripts(projectsDirs: readonly string[]): Discovery {
  const discovery: Discovery = { files: [], readableRoots: [], missingRoots: [], unreadable: [] };
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
    if (walk(root, root, discovery, seenDirs)) discovery.readableRoots.push(root);
  }
  return discovery;
}

function walk(dir: string, root: string, discovery: Discovery, seenDirs: Set<string>): boolean {
  let entries: Dirent[];
  try {
    const dirStats = statSync(dir, { bigint: true });
    const key = `${dirStats.dev}:${dirStats.ino}`;
    if (seenDirs.has(key)) return true; // a symlink loop or the same folder twice
    seenDirs.add(key);
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    discovery.unreadable.push({ path: dir, code: errorCode(error) });
    return false;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(path, root, discovery, seenDirs);
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
    const stats = statSync(path, { bigint: true });
    if (stats.isFile()) discovery.files.push(toFile(path, root, stats));
  } catch (error) {
    // Vanished between readdir and stat: it is simply not there this pass.
    if (errorCode(error) !== 'ENOENT') discovery.unreadable.push({ path, code: errorCode(error) });
  }
}

function followLink(path: string, root: string, discovery: Discovery, seenDirs: Set<string>): void {
  try {
    if (statSync(path).isDirectory()) walk(path, root, discovery, seenDirs);
  } catch {
    // A dangling link holds no transcripts.
  }
}
