/** Runs the built `ctt` as a child process with an isolated HOME. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CTT_BIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));

export interface CttRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCtt(args: readonly string[], env: Record<string, string>): CttRun {
  const result = spawnSync(process.execPath, [CTT_BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', NO_COLOR: '1', COLUMNS: '120', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
