import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Contenders } from './contenders.js';

/**
 * A running `ctt start --json` child: its NDJSON events as they arrive (each stamped with the
 * parent's monotonic clock on receipt), waits on them, a graceful stop, and the kernel's own
 * accounting of its CPU time and memory from `/proc/<pid>/stat` and `/proc/<pid>/status`
 * (a child's `process.cpuUsage()` is not reachable from here; /proc counts every thread of it).
 */

export interface TrackerEventLine {
  readonly event: string;
  readonly receivedMs: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

const STOP_TIMEOUT_MS = 15_000;

export class TrackerChild {
  readonly events: TrackerEventLine[] = [];
  private stdoutRest = '';
  private stderrText = '';
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: (() => void)[] = [];
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrText += chunk;
    });
    this.exited = new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.exitInfo = { code, signal };
        for (const wake of this.waiters.splice(0)) wake();
        resolve({ code, signal });
      });
    });
  }

  /** `node dist/src/main.js start --json <args…>` under `env` (HOME decides every default). */
  static start(contenders: Contenders, args: readonly string[], env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, [contenders.cttMain, 'start', '--json', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error('ctt start did not spawn');
    return new TrackerChild(child);
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error('ctt start has no pid');
    return pid;
  }

  /** The errors the tracker reported (`error` events), as "class: message". */
  errors(): string[] {
    return this.events
      .filter((e) => e.event === 'error')
      .map((e) => `${String(e.fields['errorClass'])}: ${String(e.fields['message'])}`);
  }

  get stderr(): string {
    return this.stderrText;
  }

  private onStdout(chunk: string): void {
    const receivedMs = performance.now();
    const lines = (this.stdoutRest + chunk).split('\n');
    this.stdoutRest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const fields = JSON.parse(line) as Record<string, unknown>;
      const event = typeof fields['event'] === 'string' ? fields['event'] : '?';
      this.events.push({ event, receivedMs, fields });
    }
    if (lines.length > 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /** The first event from index `from` on that matches, waiting up to `timeoutMs` for it. */
  async waitFor(
    what: string,
    match: (line: TrackerEventLine) => boolean,
    timeoutMs: number,
    from = 0,
  ): Promise<TrackerEventLine> {
    const deadlineMs = performance.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found !== undefined) return found;
      if (this.exitInfo !== null)
        throw new Error(
          `ctt start exited (${this.exitInfo.code ?? this.exitInfo.signal}) before ${what}: ${this.stderrText.trim()}`,
        );
      const leftMs = deadlineMs - performance.now();
      if (leftMs <= 0) throw new Error(`ctt start: no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, leftMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** SIGINT (the graceful stop) and the exit; SIGKILL if it hangs. Throws unless it exits 0. */
  async stop(): Promise<void> {
    if (this.exitInfo === null) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const { code, signal } = await this.exited;
    clearTimeout(timer);
    if (code !== 0)
      throw new Error(`ctt start exited ${code ?? signal} after SIGINT: ${this.stderrText.trim()}`);
  }

  /** Kills without waiting (cleanup after a failure). */
  kill(): void {
    if (this.exitInfo === null) this.child.kill('SIGKILL');
  }
}

/** `getconf CLK_TCK` (the unit of utime/stime in /proc/<pid>/stat), 100 when unknown. */
export function clockTicksPerSecond(): number {
  const probe = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const value = Number(probe.stdout?.trim());
  return probe.status === 0 && Number.isInteger(value) && value > 0 ? value : 100;
}

/** utime + stime from the text of a `/proc/<pid>/stat`, in clock ticks. */
export function cpuTicksFromStat(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces and parentheses itself:
  // count from after the last `)`. Fields 14 and 15 are then the 12th and 13th (state is 3rd).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`unexpected /proc/<pid>/stat: ${stat.slice(0, 80)}`);
  return ticks;
}

/** utime + stime of the whole process (every thread), in clock ticks. */
export function cpuTicksOf(pid: number): number {
  return cpuTicksFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** Resident set now and its high-water mark, in MB (1024² bytes). */
export function memoryOf(pid: number): { readonly rssMb: number; readonly hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number =>
    Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

export function loadAverage1m(): number {
  return loadavg()[0] ?? 0;
}

/** A minimal environment for the tracker: nothing of the caller's leaks in (no XDG_*, CTT_*). */
export function trackerEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: home, TZ: 'UTC', NO_COLOR: '1' };
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
