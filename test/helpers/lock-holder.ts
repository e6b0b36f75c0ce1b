/**
 * Real processes that take a ledger's tracker lock through the built module, for tests of what
 * the OS does with the lock when a holder dies. A child prints `refused` on its first failed
 * attempt (wait mode), `held` once it holds the lock, then idles until killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CTT_BIN } from '../e2e/run-ctt.js';

const LOCK_MODULE = pathToFileURL(join(CTT_BIN, '..', 'store', 'tracker-lock.js')).href;

const HOLDER_SCRIPT = `
const [moduleUrl, dbPath, mode] = process.argv.slice(2);
const { acquireTrackerLock } = await import(moduleUrl);
let reported = false;
const options = mode === 'wait'
  ? { waitMs: 600000, retryDelayMs: 10, sleep: (ms) => {
      if (!reported) { reported = true; process.stdout.write('refused\\n'); }
      return new Promise((resolve) => setTimeout(resolve, ms));
    } }
  : { waitMs: 0 };
try {
  await acquireTrackerLock(dbPath, options);
  process.stdout.write('held\\n');
  setInterval(() => {}, 1 << 30);
} catch (error) {
  process.stdout.write('error ' + error.code + '\\n');
  process.exitCode = error.exitCode ?? 1;
}
`;

/** Writes the holder script into `dir`; returns its path. */
export function writeHolderScript(dir: string): string {
  const path = join(dir, 'lock-holder.mjs');
  writeFileSync(path, HOLDER_SCRIPT);
  return path;
}

export interface LockHolder {
  readonly child: ChildProcess;
  /** Resolves with the next line the child prints. */
  nextLine(): Promise<string>;
  /** Whether a printed line is waiting to be taken. */
  hasPendingLine(): boolean;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** `once`: one attempt (exit 75 when held elsewhere); `wait`: retries every 10 ms until it holds. */
export function spawnLockHolder(script: string, dbPath: string, mode: 'once' | 'wait'): LockHolder {
  const child = spawn(process.execPath, [script, LOCK_MODULE, dbPath, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let cut: number;
    while ((cut = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, cut);
      buffered = buffered.slice(cut + 1);
      const waiter = waiters.shift();
      if (waiter === undefined) lines.push(line);
      else waiter(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    exited,
    hasPendingLine: () => lines.length > 0,
    nextLine: () =>
      new Promise((resolve, reject) => {
        const line = lines.shift();
        if (line !== undefined) resolve(line);
        else {
          waiters.push(resolve);
          void exited.then(() => reject(new Error('lock holder exited without a line')));
        }
      }),
  };
}
