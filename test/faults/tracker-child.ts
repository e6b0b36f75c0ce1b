/**
 * `ctt start` as a real child process for fault and e2e tests: its stdout lines as they arrive,
 * waits for a line or an NDJSON event, a stop by signal (exit code and the wall time from the
 * signal to the exit) and SIGKILL. Waits have a generous timeout only to fail a hung test; no
 * test asserts a duration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CTT_BIN } from '../e2e/run-ctt.js';

export interface TrackerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface TrackerStop extends TrackerExit {
  /** From sending the signal to the exit event, as the parent saw it. */
  readonly wallMs: number;
}

export interface TrackerEventLine {
  readonly event: string;
  readonly time: string;
  readonly [field: string]: unknown;
}

export interface TrackerChild {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every complete stdout line so far. */
  readonly lines: readonly string[];
  stderr(): string;
  readonly exited: Promise<TrackerExit>;
  /** Resolves with the first line (from the start) that matches. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** `--json`: resolves with the first event of that name (and matching `match`). */
  waitForEvent(
    name: string,
    match?: (event: TrackerEventLine) => boolean,
    timeoutMs?: number,
  ): Promise<TrackerEventLine>;
  /** Parsed NDJSON lines so far (throws on a line that is not JSON). */
  events(): TrackerEventLine[];
  stop(signal?: NodeJS.Signals): Promise<TrackerStop>;
  kill(): Promise<TrackerExit>;
}

const DEFAULT_WAIT_MS = 60_000;

/**
 * The binary under test; `CTT_FAULT_BIN` points the fault tests at another build (a mutant that
 * commits rows and offsets apart must make the kill test fail: it proves the test bites).
 */
const TRACKER_BIN = process.env['CTT_FAULT_BIN'] ?? CTT_BIN;

export function trackerEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: home, TZ: 'UTC', NO_COLOR: '1', ...extra };
}

export function spawnTracker(args: readonly string[], env: NodeJS.ProcessEnv): TrackerChild {
  const child = spawn(process.execPath, [TRACKER_BIN, 'start', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('ctt start did not spawn');
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    let cut: number;
    while ((cut = partial.indexOf('\n')) >= 0) {
      lines.push(partial.slice(0, cut));
      partial = partial.slice(cut + 1);
    }
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let done = false;
  const exited = new Promise<TrackerExit>((resolve, reject) => {
    child.on('error', reject);
    // `close`: the exit and the end of both output streams (the last lines are in).
    child.on('close', (code, signal) => {
      done = true;
      notify();
      resolve({ code, signal });
    });
  });

  const waitForLine = (match: (line: string) => boolean, timeoutMs = DEFAULT_WAIT_MS) =>
    new Promise<string>((resolve, reject) => {
      let scanned = 0;
      const check = (): void => {
        for (; scanned < lines.length; scanned++) {
          const line = lines[scanned] ?? '';
          if (match(line)) {
            finish();
            resolve(line);
            return;
          }
        }
        if (done) {
          finish();
          reject(
            new Error(
              `ctt start exited before the line; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`no such line within ${timeoutMs} ms; stdout:\n${lines.slice(-20).join('\n')}`),
        );
      }, timeoutMs);
      function finish(): void {
        clearTimeout(timer);
        listeners.delete(check);
      }
      listeners.add(check);
      check();
    });

  const parse = (line: string): TrackerEventLine => JSON.parse(line) as TrackerEventLine;
  return {
    child,
    pid: child.pid,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine,
    async waitForEvent(name, match = () => true, timeoutMs = DEFAULT_WAIT_MS) {
      const line = await waitForLine((text) => {
        if (!text.startsWith('{')) return false;
        const event = parse(text);
        return event.event === name && match(event);
      }, timeoutMs);
      return parse(line);
    },
    events: () => lines.map(parse),
    async stop(signal = 'SIGTERM') {
      const sentMs = performance.now();
      child.kill(signal);
      const exit = await exited;
      return { ...exit, wallMs: performance.now() - sentMs };
    },
    async kill() {
      if (!done) child.kill('SIGKILL');
      return exited;
    },
  };
}
