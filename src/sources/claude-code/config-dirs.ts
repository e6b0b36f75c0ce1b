/**
 * Where Claude Code keeps its data (spec/cli.md "Where data comes from"): each entry of
 * `$CLAUDE_CONFIG_DIR` (comma-separated), else `~/.claude` and `~/.config/claude`, those that
 * exist; `--claude-dir` replaces both. Pure: the environment and home directory are passed in.
 */
import { join, resolve, basename, dirname } from 'node:path';

export interface ClaudeDirOptions {
  readonly explicitDirs: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
}

export function expandHome(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/')) return join(homeDir, path.slice(2));
  return path;
}

/** A config dir given as its `projects` folder is taken as the folder above it. */
function normalizeDir(path: string, homeDir: string): string {
  const absolute = resolve(expandHome(path.trim(), homeDir));
  return basename(absolute) === 'projects' ? dirname(absolute) : absolute;
}

export interface ClaudeDirCandidates {
  readonly dirs: readonly string[];
  /** True when the user named the dirs (flag or env): a missing one is then worth a warning. */
  readonly explicit: boolean;
}

export function claudeDirCandidates(options: ClaudeDirOptions): ClaudeDirCandidates {
  const { explicitDirs, env, homeDir } = options;
  let raw: string[];
  let explicit = true;
  if (explicitDirs.length > 0) raw = [...explicitDirs];
  else if ((env['CLAUDE_CONFIG_DIR'] ?? '').trim() !== '')
    raw = (env['CLAUDE_CONFIG_DIR'] ?? '').split(',');
  else {
    raw = [join(homeDir, '.claude'), join(homeDir, '.config', 'claude')];
    explicit = false;
  }
  const dirs: string[] = [];
  for (const entry of raw) {
    if (entry.trim() === '') continue;
    const dir = normalizeDir(entry, homeDir);
    if (!dirs.includes(dir)) dirs.push(dir);
  }
  return { dirs, explicit };
}

/** `$CLAUDE_CONFIG_DIR/.claude.json` (first entry) when set, else `~/.claude.json`. */
export function defaultClaudeJsonPath(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): string {
  const first = (env['CLAUDE_CONFIG_DIR'] ?? '').split(',')[0]?.trim() ?? '';
  if (first !== '') return join(normalizeDir(first, homeDir), '.claude.json');
  return join(homeDir, '.claude.json');
}

export function projectsDirOf(configDir: string): string {
  return join(configDir, 'projects');
}
