import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { versionAtLeast } from './eras.js';
import type { CorpusStats, LineObserver } from './transcript-file.js';
import { TranscriptFile } from './transcript-file.js';

const MAX_FOLDER_CHARS = 200;

function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = ((hash << 5) - hash + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * Claude Code's project folder name for a launch directory (§3.1): every character outside
 * [A-Za-z0-9] becomes "-" (lossy: /home/dev/a-b and /home/dev/a/b collide). Newer versions cut
 * names over 200 characters and append "-" + base36(|hashCode|).
 */
export function projectFolderName(cwd: string, truncateLongNames: boolean): string {
  const name = cwd.replace(/[^A-Za-z0-9]/g, '-');
  if (!truncateLongNames || name.length <= MAX_FOLDER_CHARS) return name;
  return `${name.slice(0, MAX_FOLDER_CHARS)}-${Math.abs(javaHashCode(cwd)).toString(36)}`;
}

/** Where a session's files go: config dir, launch directory and the writing version. */
export interface ProjectLocation {
  readonly configDir: string;
  readonly folderCwd: string;
  readonly version: string;
}

/** The directory layout of a corpus: `<root>/home/.claude`, `<root>/home/.config/claude`. */
export class CorpusTree {
  readonly home: string;
  readonly claudeDir: string;
  readonly xdgDir: string;
  readonly claudeJson: string;
  private readonly madeDirs = new Set<string>();

  constructor(
    root: string,
    private readonly observer: LineObserver,
    private readonly stats: CorpusStats,
  ) {
    this.home = join(root, 'home');
    this.claudeDir = join(this.home, '.claude');
    this.xdgDir = join(this.home, '.config', 'claude');
    this.claudeJson = join(this.home, '.claude.json');
    this.ensureDir(join(this.claudeDir, 'projects'));
    this.ensureDir(join(this.xdgDir, 'projects'));
  }

  private ensureDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  projectDir(location: ProjectLocation): string {
    const truncate = versionAtLeast(location.version, '2.1.100');
    return join(location.configDir, 'projects', projectFolderName(location.folderCwd, truncate));
  }

  sessionPath(location: ProjectLocation, sessionId: string): string {
    return join(this.projectDir(location), `${sessionId}.jsonl`);
  }

  /** ≤2.1.1 subagent transcript: `<project>/agent-<id>.jsonl`. */
  flatAgentPath(location: ProjectLocation, agentId: string): string {
    return join(this.projectDir(location), `agent-${agentId}.jsonl`);
  }

  /** ≥2.1.2 subagent transcript: `<project>/<session>/subagents/[<subdir>/]agent-<id>.jsonl`. */
  nestedAgentPath(
    location: ProjectLocation,
    sessionId: string,
    agentId: string,
    subdir?: string,
  ): string {
    const parts = [this.projectDir(location), sessionId, 'subagents'];
    if (subdir !== undefined) parts.push(subdir);
    return join(...parts, `agent-${agentId}.jsonl`);
  }

  open(path: string, eol: '\n' | '\r\n' = '\n'): TranscriptFile {
    this.ensureDir(dirname(path));
    return new TranscriptFile(path, this.observer, this.stats, eol);
  }

  /** A file with fixed content and no records (an empty transcript). */
  writeEmpty(path: string): void {
    this.ensureDir(dirname(path));
    writeFileSync(path, '', { mode: 0o600 });
    this.stats.files += 1;
  }
}
