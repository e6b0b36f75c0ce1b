import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Random } from '../corpus/random.js';
import { TextPool } from '../corpus/text-pool.js';
import type { Contenders } from './contenders.js';
import type { Log } from './corpus-cache.js';
import type { TrackerLatencyResult } from './results.js';
import { loadAverage1m, sleepMs, TrackerChild, trackerEnv } from './tracker-child.js';
import {
  assistantLine,
  processFileText,
  projectOf,
  userLine,
  uuidOf,
  type BenchThread,
} from './tracker-lines.js';
import { RowWatch } from './tracker-row-watch.js';
import { percentilesOf } from './tracker-stats.js';

/**
 * Latency from an appended line to its ledger row, with `ctt start` at its defaults (500 ms
 * active / 2,000 ms idle; only HOME is set, so every path is the default one). The appender
 * plays Claude Code: a few open sessions, each with a live process file (a sleeping child's pid),
 * one assistant line per append (a new response, 1–3 KB), spaced 20–300 ms at random, mostly to
 * the open session files and now and then to a new file (a subagent or another session).
 *
 * Detection: tracker-row-watch.ts (the ledger itself, read-only, every 2 ms).
 */

export interface LatencyInput {
  readonly contenders: Contenders;
  readonly benchDir: string;
  readonly watch: 'hybrid' | 'poll';
  readonly appends: number;
  readonly seed: number;
  readonly log: Log;
}

export const LATENCY_GOAL_P99_MS = 1_000;
const MIN_SPACING_MS = 20;
const MAX_SPACING_MS = 300;
const NEW_FILE_SHARE = 0.04;
const OPEN_SESSIONS = 3;
const DRAIN_TIMEOUT_MS = 30_000;

interface Scene {
  readonly configDir: string;
  readonly threads: BenchThread[];
  readonly sleepers: ChildProcess[];
}

/** Three open sessions in two projects, each with a live process file, and a config file. */
function setScene(home: string, rng: Random, pool: TextPool): Scene {
  const configDir = join(home, '.claude');
  mkdirSync(join(configDir, 'sessions'), { recursive: true });
  const projects = [projectOf('ledger-api'), projectOf('web-console')];
  const threads: BenchThread[] = [];
  const sleepers: ChildProcess[] = [];
  const nowMs = Date.now();
  for (let i = 0; i < OPEN_SESSIONS; i++) {
    const project = projects[i % projects.length] ?? projects[0];
    if (project === undefined) throw new Error('no project');
    const sessionId = uuidOf(rng);
    const folder = join(configDir, 'projects', project.folder);
    mkdirSync(folder, { recursive: true });
    const thread: BenchThread = {
      path: join(folder, `${sessionId}.jsonl`),
      sessionId,
      cwd: project.cwd,
      agentId: null,
      lastUuid: null,
    };
    appendFileSync(thread.path, userLine(thread, rng, pool, nowMs, 600));
    appendFileSync(thread.path, assistantLine(thread, rng, pool, nowMs, 1_500).text);
    // A live "Claude Code" per session: the tracker follows its process file, as in real use.
    const sleeper = spawn('sleep', ['3600'], { stdio: 'ignore' });
    if (sleeper.pid === undefined) throw new Error('could not start a sleeping child');
    sleepers.push(sleeper);
    writeFileSync(
      join(configDir, 'sessions', `${sleeper.pid}.json`),
      processFileText(sleeper.pid, sessionId, project.cwd),
    );
    threads.push(thread);
  }
  const claudeJson = { numStartups: 42, installMethod: 'native', autoUpdates: true, projects: {} };
  writeFileSync(join(home, '.claude.json'), JSON.stringify(claudeJson, null, 2));
  return { configDir, threads, sleepers };
}

/** A new file: a subagent of an open session (most often) or a session of its own. */
function newThread(scene: Scene, rng: Random): BenchThread {
  const parent = rng.pick(scene.threads.slice(0, OPEN_SESSIONS));
  if (rng.chance(0.7)) {
    const agentId = rng.hex(17);
    const dir = join(parent.path.slice(0, -'.jsonl'.length), 'subagents');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `agent-${agentId}.jsonl`);
    return { path, sessionId: parent.sessionId, cwd: parent.cwd, agentId, lastUuid: null };
  }
  const sessionId = uuidOf(rng);
  const path = join(parent.path, '..', `${sessionId}.jsonl`);
  return { path, sessionId, cwd: parent.cwd, agentId: null, lastUuid: null };
}

/** How many of these message ids a fresh read-only connection finds in the ledger. */
function countPresent(ledgerPath: string, messageIds: readonly string[]): number {
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    const one = db.prepare('SELECT 1 FROM response WHERE message_id = ?');
    return messageIds.filter((id) => one.get(id) !== undefined).length;
  } finally {
    db.close();
  }
}

export async function measureLatency(input: LatencyInput): Promise<TrackerLatencyResult> {
  const { contenders, watch, appends, log } = input;
  const rng = new Random(input.seed, watch === 'poll' ? 2 : 1);
  const pool = new TextPool(rng.derive('text'), 1 << 18);
  mkdirSync(input.benchDir, { recursive: true });
  const dir = mkdtempSync(join(input.benchDir, `tracker-latency-${watch}-`));
  const home = join(dir, 'home');
  const scene = setScene(home, rng, pool);
  const args = watch === 'poll' ? ['--watch', 'poll'] : [];
  const tracker = TrackerChild.start(contenders, args, trackerEnv(home));
  let rows: RowWatch | null = null;
  let keep = false;
  try {
    const started = await tracker.waitFor('start event', (e) => e.event === 'start', 30_000);
    await tracker.waitFor('catch-up', (e) => e.event === 'catch-up', 60_000);
    await sleepMs(1_000); // the first polls open the sessions; appends start in steady state
    rows = new RowWatch(String(started.fields['ledger']));
    log(`tracker latency (${watch}): ${appends} appends, 20–300 ms apart…`);
    const fileOf = new Map<string, string>();
    let newFiles = 0;
    let bytes = 0;
    for (let i = 0; i < appends; i++) {
      await sleepMs(rng.int(MIN_SPACING_MS, MAX_SPACING_MS));
      let thread: BenchThread;
      if (rng.chance(NEW_FILE_SHARE)) {
        thread = newThread(scene, rng);
        scene.threads.push(thread);
        newFiles++;
      } else {
        const open = scene.threads.slice(0, OPEN_SESSIONS);
        thread = rng.chance(0.75) ? rng.pick(open) : rng.pick(scene.threads);
      }
      const line = assistantLine(thread, rng, pool, Date.now(), rng.int(1_024, 3_072));
      appendFileSync(thread.path, line.text);
      rows.appended(line.messageId);
      fileOf.set(line.messageId, thread.path);
      bytes += line.text.length;
    }
    const missing = await rows.drain(DRAIN_TIMEOUT_MS);
    const meanCheckIntervalMs = rows.close();
    if (missing > 0) {
      // Kept for inspection: which files the lost lines went to, and the ledger as it is.
      keep = true;
      const byFile = new Map<string, number>();
      for (const id of rows.pendingIds()) {
        const path = fileOf.get(id) ?? '?';
        byFile.set(path, (byFile.get(path) ?? 0) + 1);
      }
      const present = countPresent(String(started.fields['ledger']), rows.pendingIds());
      log(
        `tracker latency (${watch}): ${missing} rows never arrived (a fresh connection finds ${present} of them); kept ${dir}`,
      );
      for (const [path, count] of byFile) log(`  ${count} in ${path}`);
    }
    const stats = percentilesOf(rows.latenciesMs);
    return {
      watch,
      appends,
      detected: rows.latenciesMs.length,
      newFiles,
      openSessions: OPEN_SESSIONS,
      meanLineBytes: bytes / Math.max(1, appends),
      meanCheckIntervalMs,
      loadAverage: loadAverage1m(),
      ...stats,
      trackerErrors: tracker.errors(),
      met: missing === 0 && stats.p99Ms <= LATENCY_GOAL_P99_MS,
    };
  } finally {
    rows?.close();
    try {
      await tracker.stop();
    } finally {
      tracker.kill();
      for (const sleeper of scene.sleepers) sleeper.kill();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  }
}
