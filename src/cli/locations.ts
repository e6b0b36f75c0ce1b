/**
 * Resolves where data comes from and goes (spec/cli.md), from the options every command shares.
 * `~` is `$HOME`, so `HOME=/some/dir` isolates every default.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  claudeDirCandidates,
  defaultClaudeJsonPath,
  projectsDirOf,
} from '../sources/claude-code/config-dirs.js';
import { defaultUserPricesPath } from '../pricing/user-prices.js';

export interface CommonOptions {
  readonly claudeDir?: string[];
  readonly claudeJson?: string;
  readonly db?: string;
  readonly prices?: string;
}

export interface Locations {
  readonly configDirs: readonly string[];
  readonly configDirsExplicit: boolean;
  readonly projectsDirs: readonly string[];
  readonly claudeJson: string;
  readonly ledgerPath: string;
  readonly pricesPath: string;
}

export function homeDirOf(env: NodeJS.ProcessEnv): string {
  return env['HOME'] ?? homedir();
}

export function defaultLedgerPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const fromEnv = env['CTT_DB'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const dataHome = env['XDG_DATA_HOME'] ?? '';
  const base = dataHome !== '' ? dataHome : join(homeDir, '.local', 'share');
  return join(base, 'claude-token-tracker', 'ledger.db');
}

export function resolveLocations(options: CommonOptions, env: NodeJS.ProcessEnv): Locations {
  const homeDir = homeDirOf(env);
  const candidates = claudeDirCandidates({ explicitDirs: options.claudeDir ?? [], env, homeDir });
  return {
    configDirs: candidates.dirs,
    configDirsExplicit: candidates.explicit,
    projectsDirs: candidates.dirs.map(projectsDirOf),
    claudeJson: options.claudeJson ?? defaultClaudeJsonPath(env, homeDir),
    ledgerPath: options.db ?? defaultLedgerPath(env, homeDir),
    pricesPath: options.prices ?? defaultUserPricesPath(env, homeDir),
  };
}
