import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { MeasureMethod } from './results.js';

/**
 * Runs one child process and measures its wall time (the parent's monotonic clock, spawn to
 * exit) and peak RSS: through GNU time's `%M` (max resident set, kB) when `/usr/bin/time`
 * works, else by polling `/proc/<pid>/status` VmHWM (the kernel's own high-water mark).
 */

export type MeasurePreference = 'auto' | 'time' | 'proc';

export interface ChildRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly wallMs: number;
  readonly peakRssKb: number;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const TIME_FORMAT = '%e %M';
const TIME_LINE = /^(\d+(?:\.\d+)?) (\d+)$/;
const PROC_POLL_INTERVAL_MS = 5;

function gnuTimeWorks(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const probe = spawnSync(GNU_TIME, ['-f', TIME_FORMAT, 'true'], { encoding: 'utf8' });
  return probe.status === 0 && TIME_LINE.test(probe.stderr.trim().split('\n').pop() ?? '');
}

function procWorks(): boolean {
  return existsSync(`/proc/${process.pid}/status`);
}

export function chooseMeasureMethod(preference: MeasurePreference): MeasureMethod {
  if (preference !== 'proc' && gnuTimeWorks()) return 'gnu-time';
  if (preference === 'time') throw new Error(`${GNU_TIME} -f '${TIME_FORMAT}' does not work here`);
  if (!procWorks()) throw new Error('neither GNU time nor /proc/<pid>/status is available');
  return 'proc-vmhwm';
}

export function describeMethod(method: MeasureMethod): string {
  return method === 'gnu-time'
    ? `GNU time -f '${TIME_FORMAT}' (peak RSS = %M; wall = parent's monotonic clock, spawn to exit)`
    : `polling /proc/<pid>/status VmHWM every ${PROC_POLL_INTERVAL_MS} ms (wall = parent's monotonic clock)`;
}

function readVmHwmKb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

function collect(child: ChildProcess): { stdout: Buffer[]; stderr: Buffer[] } {
  const out: { stdout: Buffer[]; stderr: Buffer[] } = { stdout: [], stderr: [] };
  child.stdout?.on('data', (chunk: Buffer) => out.stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => out.stderr.push(chunk));
  return out;
}

/** Splits GNU time's report (the last stderr line) from the child's own stderr. */
function splitTimeReport(stderr: string): { childStderr: string; peakRssKb: number } {
  const lines = stderr.replace(/\n+$/, '').split('\n');
  const last = lines.pop() ?? '';
  const match = TIME_LINE.exec(last.trim());
  if (match?.[2] === undefined) throw new Error(`no GNU time report in stderr: ${last}`);
  return { childStderr: lines.join('\n'), peakRssKb: Number(match[2]) };
}

export function runMeasured(
  method: MeasureMethod,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ChildRun> {
  const viaTime = method === 'gnu-time';
  const startedMs = performance.now();
  const child = viaTime
    ? spawn(GNU_TIME, ['-f', TIME_FORMAT, command, ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  let polledKb = 0;
  let poller: NodeJS.Timeout | null = null;
  const pid = child.pid;
  if (!viaTime && pid !== undefined) {
    const poll = (): void => {
      polledKb = Math.max(polledKb, readVmHwmKb(pid));
    };
    poll();
    poller = setInterval(poll, PROC_POLL_INTERVAL_MS);
  }
  return new Promise((resolve, reject) => {
    let wallMs = 0;
    child.once('error', reject);
    child.once('exit', () => {
      wallMs = performance.now() - startedMs;
      if (poller !== null) clearInterval(poller);
    });
    child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      const stdout = Buffer.concat(output.stdout).toString('utf8');
      const stderr = Buffer.concat(output.stderr).toString('utf8');
      try {
        if (!viaTime) {
          resolve({ exitCode, signal, wallMs, peakRssKb: polledKb, stdout, stderr });
          return;
        }
        const { childStderr, peakRssKb } = splitTimeReport(stderr);
        resolve({ exitCode, signal, wallMs, peakRssKb, stdout, stderr: childStderr });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
