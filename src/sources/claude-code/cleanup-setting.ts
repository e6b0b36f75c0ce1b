/**
 * Claude Code's `cleanupPeriodDays` (claude-code-data §3.10): transcripts whose mtime is older
 * than that many days are deleted at a session start. Default 30; read from the user settings
 * of each config dir (project settings can override it per project; not read here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_CLEANUP_PERIOD_DAYS = 30;

export interface CleanupSetting {
  readonly days: number;
  /** The settings file it came from, or null for Claude Code's default. */
  readonly source: string | null;
}

export function readCleanupSetting(configDirs: readonly string[]): CleanupSetting {
  for (const dir of configDirs) {
    const path = join(dir, 'settings.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // no settings file in this dir
    }
    try {
      const days = (JSON.parse(text) as { cleanupPeriodDays?: unknown }).cleanupPeriodDays;
      if (typeof days === 'number' && Number.isFinite(days) && days >= 1)
        return { days, source: path };
    } catch {
      // An unreadable settings file: Claude Code itself pauses its sweep then; report the default.
    }
  }
  return { days: DEFAULT_CLEANUP_PERIOD_DAYS, source: null };
}
