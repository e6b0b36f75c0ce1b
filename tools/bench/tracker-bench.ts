import { availableParallelism } from 'node:os';
import { discoverTranscripts } from '../../src/sources/claude-code/discover-transcripts.js';
import { join } from 'node:path';
import { ccusageDaily, type Contenders } from './contenders.js';
import { warmPageCache, type Log } from './corpus-cache.js';
import { runMeasured } from './measure.js';
import type {
  Goal,
  MeasureMethod,
  TrackerCpuResult,
  TrackerLatencyResult,
  TrackerResults,
} from './results.js';
import { clockTicksPerSecond } from './tracker-child.js';
import { IDLE_CPU_GOAL_PERCENT, measureTrackerCpu } from './tracker-cpu.js';
import { LATENCY_GOAL_P99_MS, measureLatency } from './tracker-latency.js';
import { ensureTrackerLedger, recordedFirstCatchUpMs } from './tracker-ledger.js';
import { trackerFiguresLine } from './tracker-report.js';
import { ensureTrackerTree } from './tracker-tree.js';

/**
 * The tracker part of `npm run bench`: append-to-row latency of `ctt start` in hybrid and poll
 * mode, its CPU and memory on a 3,000-file tree (idle, steady appends, active without writes),
 * and one `ccusage daily` over the same tree (what a ccusage user runs instead of a tracker).
 * Everything runs one after the other so no measurement disturbs another.
 */

export interface TrackerBenchInput {
  readonly repoRoot: string;
  readonly contenders: Contenders;
  readonly method: MeasureMethod;
  readonly appends: number;
  readonly files: number;
  readonly windowSeconds: number;
  readonly seed: number;
  readonly log: Log;
}

export const DETECTION =
  'a read-only connection polls the ledger every 2 ms for response rows above the last id seen; append time = when the write returned, arrival = when the query first returned the row (both on the bench’s monotonic clock)';

const WATCH_MODES = ['hybrid', 'poll'] as const;

function goalsOf(
  latency: readonly TrackerLatencyResult[],
  cpu: readonly TrackerCpuResult[],
): Goal[] {
  const goals: Goal[] = [];
  for (const result of latency)
    goals.push({
      name: `append → ledger row p99 (${result.watch})`,
      target: `≤ ${LATENCY_GOAL_P99_MS} ms`,
      actual:
        result.detected === result.appends
          ? `${Math.round(result.p99Ms)} ms`
          : `${result.appends - result.detected} of ${result.appends} rows missing`,
      met: result.met,
    });
  for (const result of cpu) {
    const idle = result.windows.find((w) => w.label === 'idle');
    goals.push({
      name: `idle CPU, ${result.filesSeen} files (${result.watch})`,
      target: `≤ ${IDLE_CPU_GOAL_PERCENT}% of a core`,
      actual: idle === undefined ? 'not measured' : `${idle.cpuPercent.toFixed(2)}%`,
      met: result.met,
    });
  }
  return goals;
}

const LISTING_ROUNDS = 20;

/**
 * CPU of one listing of the tree as every poll does it (`discoverTranscripts`: readdir of every
 * folder, a bigint stat of every file), measured in this process: what an idle poll is made of.
 */
function listingCpuMs(projectsDir: string): number {
  discoverTranscripts([projectsDir]); // warm
  const start = process.cpuUsage();
  for (let i = 0; i < LISTING_ROUNDS; i++) discoverTranscripts([projectsDir]);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1_000 / LISTING_ROUNDS;
}

export async function benchTracker(input: TrackerBenchInput): Promise<TrackerResults> {
  const { repoRoot, contenders, method, log } = input;
  const benchDir = join(repoRoot, '.bench');
  const ticks = clockTicksPerSecond();
  const latency: TrackerLatencyResult[] = [];
  for (const watch of WATCH_MODES)
    latency.push(
      await measureLatency({
        contenders,
        benchDir,
        watch,
        appends: input.appends,
        seed: input.seed,
        log,
      }),
    );
  const tree = await ensureTrackerTree(repoRoot, input.files, input.seed, log);
  const ledger = await ensureTrackerLedger(repoRoot, contenders, tree, input.seed, log);
  log(`warming the page cache (${(warmPageCache([tree.configDir]) / 1024 ** 2).toFixed(0)} MB)`);
  const cpu: TrackerCpuResult[] = [];
  for (const watch of WATCH_MODES)
    cpu.push(
      await measureTrackerCpu({
        contenders,
        benchDir,
        tree,
        ledger,
        watch,
        seconds: input.windowSeconds,
        clockTicksPerSecond: ticks,
        seed: input.seed,
        log,
      }),
    );
  const listingMs = listingCpuMs(join(tree.configDir, 'projects'));
  log(`ccusage daily over the same ${tree.files} files…`);
  const invocation = ccusageDaily(contenders, [tree.configDir], tree.home);
  const ccusage = await runMeasured(method, invocation.command, invocation.args, invocation.env);
  if (ccusage.exitCode !== 0)
    throw new Error(
      `ccusage daily exited ${ccusage.exitCode ?? ccusage.signal}: ${ccusage.stderr}`,
    );
  const hybridIdle = cpu[0]?.windows.find((w) => w.label === 'idle');
  const partial = {
    generatedAt: new Date().toISOString(),
    cpus: availableParallelism(),
    node: process.versions.node,
    clockTicksPerSecond: ticks,
    detection: DETECTION,
    latency,
    tree: {
      dir: tree.relativeDir,
      files: tree.files,
      projects: tree.projects,
      bytes: tree.bytes,
      lines: tree.lines,
      responses: tree.responses,
      generationMs: tree.generationMs,
      firstCatchUpMs: recordedFirstCatchUpMs(ledger),
    },
    cpu,
    listingCpuMs: listingMs,
    ccusageDaily: { wallMs: ccusage.wallMs, peakRssMb: ccusage.peakRssKb / 1024 },
    ccusageOverIdlePoll:
      hybridIdle === undefined || hybridIdle.meanPollMs <= 0
        ? 0
        : ccusage.wallMs / hybridIdle.meanPollMs,
    goals: goalsOf(latency, cpu),
  };
  return { ...partial, figures: trackerFiguresLine(partial) };
}
