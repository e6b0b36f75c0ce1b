import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Contenders } from './contenders.js';
import type { Log } from './corpus-cache.js';
import { TrackerChild, trackerEnv } from './tracker-child.js';
import type { TrackerTree } from './tracker-tree.js';

/**
 * The tracker tree's ledger, built once by `ctt start` itself (so it also holds the
 * `~/.claude.json` baseline and the session watermarks a `ctt sync` would not write) and cached
 * as `.bench/tracker-ledger-<files>-seed<seed>.db`. Each measured run starts on a copy: its
 * catch-up then finds nothing new, and the tracker is idle from its first poll.
 */

export interface TrackerLedger {
  readonly path: string;
  /** The catch-up over the whole tree when built by this run, else null (reused). */
  readonly firstCatchUpMs: number | null;
}

const BUILD_TIMEOUT_MS = 20 * 60_000;

function removeLedgerFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '.tracker.json', '.tracker.lock', '.json'])
    rmSync(`${path}${suffix}`, { force: true });
}

export async function ensureTrackerLedger(
  repoRoot: string,
  contenders: Contenders,
  tree: TrackerTree,
  seed: number,
  log: Log,
): Promise<TrackerLedger> {
  const path = `${repoRoot}/.bench/tracker-ledger-${tree.files}-seed${seed}.db`;
  const donePath = `${path}.json`;
  if (tree.generationMs === null && existsSync(donePath) && existsSync(path)) {
    log(`reusing .bench/tracker-ledger-${tree.files}-seed${seed}.db`);
    return { path, firstCatchUpMs: null };
  }
  removeLedgerFiles(path);
  const buildingPath = `${path}.building.db`;
  removeLedgerFiles(buildingPath);
  log(
    `building the tracker tree's ledger with ctt start (first catch-up over ${tree.files} files)…`,
  );
  const tracker = TrackerChild.start(
    contenders,
    ['--debug', '--db', buildingPath],
    trackerEnv(tree.home),
  );
  let catchUpMs: number;
  try {
    const catchUp = await tracker.waitFor(
      'catch-up',
      (e) => e.event === 'catch-up',
      BUILD_TIMEOUT_MS,
    );
    catchUpMs = Number(catchUp.fields['durationMs']);
    const responses = Number(catchUp.fields['newResponses']);
    if (responses !== tree.responses)
      throw new Error(`catch-up recorded ${responses} responses, the tree has ${tree.responses}`);
    // One regular poll after it: session and config steps have seen everything once.
    await tracker.waitFor(
      'first poll',
      (e) => e.event === 'poll',
      30_000,
      tracker.events.indexOf(catchUp),
    );
    await tracker.stop();
  } finally {
    tracker.kill();
  }
  // A clean stop checkpoints and removes the WAL; a leftover one would hold rows the copy lacks.
  if (existsSync(`${buildingPath}-wal`) && statSync(`${buildingPath}-wal`).size > 0)
    throw new Error(`${buildingPath}-wal was left with content after a clean stop`);
  renameSync(buildingPath, path);
  removeLedgerFiles(buildingPath);
  writeFileSync(
    donePath,
    `${JSON.stringify({ firstCatchUpMs: catchUpMs, builtAt: new Date().toISOString() })}\n`,
  );
  log(`ledger built: catch-up ${(catchUpMs / 1000).toFixed(1)} s`);
  return { path, firstCatchUpMs: catchUpMs };
}

/** The first catch-up time recorded when the cached ledger was built (for the report). */
export function recordedFirstCatchUpMs(ledger: TrackerLedger): number | null {
  if (ledger.firstCatchUpMs !== null) return ledger.firstCatchUpMs;
  try {
    const done = JSON.parse(readFileSync(`${ledger.path}.json`, 'utf8')) as {
      firstCatchUpMs?: unknown;
    };
    return typeof done.firstCatchUpMs === 'number' ? done.firstCatchUpMs : null;
  } catch {
    return null;
  }
}
