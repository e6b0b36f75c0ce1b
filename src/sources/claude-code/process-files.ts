/**
 * Claude Code's process files, `<config dir>/sessions/<pid>.json` (claude-code-data.md §8): one
 * per running process, naming its session, removed when the process exits. They say which
 * sessions are live. A file that does not parse (being written) is skipped this time and read at
 * the next poll; nothing here is ledger data, so nothing is quarantined.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessFile {
  readonly pid: number;
  readonly sessionId: string;
  readonly cwd: string | null;
  /** `startedAt` (epoch ms) when present. */
  readonly startedAtMs: number | null;
  readonly path: string;
}

export interface ProcessFileScan {
  readonly files: ProcessFile[];
  /** Files present but unreadable or unparsable right now. */
  readonly unreadable: number;
}

/** Larger than any process file; guards against reading something that is not one. */
const MAX_PROCESS_FILE_BYTES = 256 * 1024;

export function parseProcessFile(text: string, path: string): ProcessFile | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { pid, sessionId, cwd, startedAt } = record;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return null;
  if (typeof sessionId !== 'string' || sessionId === '') return null;
  return {
    pid,
    sessionId,
    cwd: typeof cwd === 'string' ? cwd : null,
    startedAtMs: typeof startedAt === 'number' && Number.isFinite(startedAt) ? startedAt : null,
    path,
  };
}

export function scanProcessFiles(configDirs: readonly string[]): ProcessFileScan {
  const files: ProcessFile[] = [];
  let unreadable = 0;
  for (const configDir of configDirs) {
    const dir = join(configDir, 'sessions');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // no sessions folder (older Claude Code, or none running yet)
    }
    for (const name of names) {
      if (!/^\d+\.json$/.test(name)) continue;
      const path = join(dir, name);
      try {
        const bytes = readFileSync(path);
        const parsed =
          bytes.length > MAX_PROCESS_FILE_BYTES
            ? null
            : parseProcessFile(bytes.toString('utf8'), path);
        if (parsed === null) unreadable++;
        else files.push(parsed);
      } catch (error) {
        // Removed between listing and reading: that process just exited.
        if ((error as { code?: unknown }).code !== 'ENOENT') unreadable++;
      }
    }
  }
  return { files, unreadable };
}
