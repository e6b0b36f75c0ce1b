/**
 * What `ctt status` gathers: is a tracker running (the lock probe, not the report file, which
 * survives a SIGKILL), what it last reported, how far the ledger is behind the transcripts, and
 * how big the ledger is. It never creates the ledger, the lock or the report.
 */
import { existsSync } from 'node:fs';
import { resolveTimeZone } from '../../core/time-zone.js';
import { discoverTranscripts } from '../../sources/claude-code/discover-transcripts.js';
import { openLedger } from '../../store/database.js';
import {
  committedActiveFiles,
  ledgerCounts,
  ledgerFileSizes,
  type CommittedFile,
  type LedgerCounts,
} from '../../store/status-queries.js';
import { isTrackerLockHeld, lockPathOf } from '../../store/tracker-lock.js';
import { readTrackerStatus, statusPathOf } from '../../store/tracker-status-file.js';
import type { CliContext } from '../context.js';
import { resolveLocations } from '../locations.js';
import type { CommonOptionValues } from '../shared-options.js';
import { liveFilesOf, measureLag } from './status-lag.js';
import { statusToJson, statusToText, type StatusReport } from './status-view.js';

export interface StatusOptionValues extends CommonOptionValues {
  readonly json?: boolean;
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

function readLedger(path: string): { committed: CommittedFile[]; counts: LedgerCounts | null } {
  if (!existsSync(path)) return { committed: [], counts: null };
  const db = openLedger(path);
  try {
    // One read transaction: offsets and counts from the same commit, and a short one, so a
    // running tracker's checkpoints are not held back.
    return db.transaction(() => ({
      committed: committedActiveFiles(db),
      counts: ledgerCounts(db),
    }))();
  } finally {
    db.close();
  }
}

export function gatherStatus(values: CommonOptionValues, context: CliContext): StatusReport {
  const locations = resolveLocations(values, context.env);
  const { ledgerPath } = locations;
  const statusPath = statusPathOf(ledgerPath);
  const running = isTrackerLockHeld(ledgerPath);
  const tracker = readTrackerStatus(statusPath);
  // A tracker that holds the lock but has not written its first report leaves the previous
  // tracker's report in place: its pid is gone.
  const reportStale = tracker === null || !running || !processExists(tracker.pid);
  const { committed, counts } = readLedger(ledgerPath);
  const discovered = discoverTranscripts(locations.projectsDirs).files;
  const nowMs = context.nowMs();
  return {
    nowMs,
    running,
    tracker,
    reportStale,
    lag: measureLag(committed, liveFilesOf(committed, discovered), nowMs),
    ledger: {
      path: ledgerPath,
      exists: counts !== null,
      sizes: ledgerFileSizes(ledgerPath),
      counts,
    },
    lockPath: lockPathOf(ledgerPath),
    statusPath,
  };
}

export function runStatus(values: StatusOptionValues, context: CliContext): void {
  const timeZone = resolveTimeZone(values.timezone ?? values.tz, context.env);
  const report = gatherStatus(values, context);
  if (values.json === true) context.stdout(JSON.stringify(statusToJson(report), null, 2));
  else context.stdout(statusToText(report, timeZone));
}
