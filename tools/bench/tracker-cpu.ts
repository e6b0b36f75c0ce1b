import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../corpus/random.js';
import { TextPool } from '../corpus/text-pool.js';
import type { Contenders } from './contenders.js';
import type { Log } from './corpus-cache.js';
import type { TrackerCpuResult, TrackerCpuWindow } from './results.js';
import {
  cpuTicksOf,
  loadAverage1m,
  memoryOf,
  sleepMs,
  TrackerChild,
  trackerEnv,
  type TrackerEventLine,
} from './tracker-child.js';
import type { TrackerLedger } from './tracker-ledger.js';
import { assistantLine, projectOf, uuidOf, type BenchThread } from './tracker-lines.js';
import { RowWatch } from './tracker-row-watch.js';
import { meanOf, percentilesOf } from './tracker-stats.js';
import type { TrackerTree } from './tracker-tree.js';

/**
 * CPU and memory of `ctt start --debug` (default intervals; `--debug` only adds one NDJSON line
 * per poll, which gives each poll's duration) on the tracker tree, starting from a copy of its
 * caught-up ledger. Three windows of `seconds` each, CPU from /proc/<pid>/stat (utime + stime of
 * every thread) at both ends of the window over the parent's monotonic wall clock:
 *   idle          after the tracker reports idle mode (2,000 ms polls), nothing written;
 *   steady        5 lines/s spread round-robin over 10 session files of a new project folder;
 *   active-quiet  right after (the tracker stays active, 500 ms polls, for 60 s after the last
 *                 change), nothing written: a session open while its user reads.
 * The steady files are removed afterwards, so the cached tree stays as its ledger knows it.
 */

export interface CpuInput {
  readonly contenders: Contenders;
  readonly benchDir: string;
  readonly tree: TrackerTree;
  readonly ledger: TrackerLedger;
  readonly watch: 'hybrid' | 'poll';
  readonly seconds: number;
  readonly clockTicksPerSecond: number;
  readonly seed: number;
  readonly log: Log;
}

export const IDLE_CPU_GOAL_PERCENT = 1;
const STEADY_FILES = 10;
const STEADY_SPACING_MS = 200;
const IDLE_WAIT_MS = 120_000;
const CATCH_UP_TIMEOUT_MS = 10 * 60_000;
const DRAIN_TIMEOUT_MS = 10_000;

function steadyFolder(tree: TrackerTree): string {
  return join(tree.configDir, 'projects', projectOf('bench-steady').folder);
}

interface WindowProbe {
  readonly tracker: TrackerChild;
  readonly clockTicksPerSecond: number;
}

async function measureWindow(
  { tracker, clockTicksPerSecond }: WindowProbe,
  label: TrackerCpuWindow['label'],
  seconds: number,
  work: (endMs: number) => Promise<number> = async (endMs) => {
    await sleepMs(endMs - performance.now());
    return 0;
  },
): Promise<TrackerCpuWindow> {
  const from = tracker.events.length;
  const loadAverage = loadAverage1m();
  const startMs = performance.now();
  const startTicks = cpuTicksOf(tracker.pid);
  const appends = await work(startMs + seconds * 1_000);
  const endTicks = cpuTicksOf(tracker.pid);
  const endMs = performance.now();
  const polls = tracker.events
    .slice(from)
    .filter((e: TrackerEventLine) => e.event === 'poll' && e.receivedMs <= endMs);
  const durations = polls.map((e) => Number(e.fields['durationMs']));
  const cpuMs = ((endTicks - startTicks) / clockTicksPerSecond) * 1_000;
  return {
    label,
    seconds: (endMs - startMs) / 1_000,
    appends,
    cpuMs,
    cpuPercent: (cpuMs / (endMs - startMs)) * 100,
    polls: polls.length,
    meanPollMs: meanOf(durations),
    maxPollMs: durations.length === 0 ? 0 : Math.max(...durations),
    modes: [...new Set(polls.map((e) => String(e.fields['mode'])))],
    rssMb: memoryOf(tracker.pid).rssMb,
    loadAverage,
    latency: null,
    missingRows: 0,
  };
}

/** Appends 5 lines/s round-robin over the steady files until `endMs`; returns how many. */
async function steadyAppends(
  tree: TrackerTree,
  seed: number,
  endMs: number,
  rows: RowWatch,
): Promise<number> {
  const rng = new Random(seed, 11);
  const pool = new TextPool(rng.derive('text'), 1 << 18);
  const folder = steadyFolder(tree);
  mkdirSync(folder, { recursive: true });
  const { cwd } = projectOf('bench-steady');
  const threads: BenchThread[] = Array.from({ length: STEADY_FILES }, () => {
    const sessionId = uuidOf(rng);
    return {
      path: join(folder, `${sessionId}.jsonl`),
      sessionId,
      cwd,
      agentId: null,
      lastUuid: null,
    };
  });
  const startMs = performance.now();
  let appends = 0;
  for (;;) {
    // Scheduled from the start, so the rate does not drift with the time each append takes.
    const dueMs = startMs + appends * STEADY_SPACING_MS;
    if (dueMs >= endMs) break;
    await sleepMs(dueMs - performance.now());
    const thread = threads[appends % STEADY_FILES];
    if (thread === undefined) throw new Error('no steady file');
    const line = assistantLine(thread, rng, pool, Date.now(), rng.int(1_024, 3_072));
    appendFileSync(thread.path, line.text);
    rows.appended(line.messageId);
    appends++;
  }
  await sleepMs(endMs - performance.now());
  return appends;
}

export async function measureTrackerCpu(input: CpuInput): Promise<TrackerCpuResult> {
  const { contenders, tree, watch, seconds, log } = input;
  rmSync(steadyFolder(tree), { recursive: true, force: true }); // a leftover of a killed run
  mkdirSync(input.benchDir, { recursive: true });
  const dir = mkdtempSync(join(input.benchDir, `tracker-cpu-${watch}-`));
  const db = join(dir, 'ledger.db');
  copyFileSync(input.ledger.path, db);
  const args = ['--debug', '--db', db, ...(watch === 'poll' ? ['--watch', 'poll'] : [])];
  const tracker = TrackerChild.start(contenders, args, trackerEnv(tree.home));
  try {
    const catchUp = await tracker.waitFor(
      'catch-up',
      (e) => e.event === 'catch-up',
      CATCH_UP_TIMEOUT_MS,
    );
    const idleFrom = tracker.events.indexOf(catchUp);
    await tracker.waitFor(
      'idle mode',
      (e) => e.event === 'poll' && e.fields['mode'] === 'idle',
      IDLE_WAIT_MS,
      idleFrom,
    );
    const probe: WindowProbe = { tracker, clockTicksPerSecond: input.clockTicksPerSecond };
    log(
      `tracker CPU (${watch}): idle, steady appends, then active without writes, ${seconds} s each…`,
    );
    const idle = await measureWindow(probe, 'idle', seconds);
    // The steady lines' latency on this tree too (the check runs in this process, not the tracker).
    const rows = new RowWatch(db);
    let steady: TrackerCpuWindow;
    try {
      const window = await measureWindow(probe, 'steady', seconds, (endMs) =>
        steadyAppends(tree, input.seed, endMs, rows),
      );
      const missingRows = await rows.drain(DRAIN_TIMEOUT_MS);
      steady = { ...window, latency: percentilesOf(rows.latenciesMs), missingRows };
    } finally {
      rows.close();
    }
    const activeQuiet = await measureWindow(probe, 'active-quiet', seconds);
    const peakRssMb = memoryOf(tracker.pid).hwmMb;
    await tracker.stop();
    return {
      watch,
      catchUpMs: Number(catchUp.fields['durationMs']),
      filesSeen: Number(catchUp.fields['filesSeen']),
      windows: [idle, steady, activeQuiet],
      peakRssMb,
      trackerErrors: tracker.errors(),
      met: idle.cpuPercent <= IDLE_CPU_GOAL_PERCENT,
    };
  } finally {
    tracker.kill();
    rmSync(steadyFolder(tree), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
