/** `ctt status` output: the gathered facts as one JSON object or as a few labelled lines. Pure. */
import type { TrackerStatus } from '../../store/tracker-status-file.js';
import type { LedgerCounts, LedgerFileSizes } from '../../store/status-queries.js';
import { formatDuration, formatLocalTime } from '../../reports/format-cells.js';
import { formatCount } from '../format.js';
import type { TranscriptLag } from './status-lag.js';

export interface StatusReport {
  readonly nowMs: number;
  /** The lock probe: the only proof a tracker is alive (a report survives a SIGKILL). */
  readonly running: boolean;
  /** The last self-report found, from this tracker or (when `reportStale`) an earlier one. */
  readonly tracker: TrackerStatus | null;
  /** The report is not from a live tracker: none runs, or its pid is gone. */
  readonly reportStale: boolean;
  readonly lag: TranscriptLag;
  readonly ledger: {
    readonly path: string;
    readonly exists: boolean;
    readonly sizes: LedgerFileSizes;
    readonly counts: LedgerCounts | null;
  };
  readonly lockPath: string;
  readonly statusPath: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function trackerToJson(report: StatusReport, tracker: TrackerStatus): Record<string, unknown> {
  const live = report.running && !report.reportStale;
  return {
    ...tracker,
    startedAt: iso(tracker.startedMs),
    uptimeMs: live ? Math.max(0, report.nowMs - tracker.startedMs) : null,
    lastPollAt: iso(tracker.lastPollMs),
    lastPollAgeMs:
      tracker.lastPollMs === null ? null : Math.max(0, report.nowMs - tracker.lastPollMs),
    lastError:
      tracker.lastError === null
        ? null
        : { ...tracker.lastError, time: iso(tracker.lastError.timeMs) },
    updatedAt: iso(tracker.updatedMs),
    reportAgeMs: Math.max(0, report.nowMs - tracker.updatedMs),
    stale: report.reportStale,
  };
}

export function statusToJson(report: StatusReport): Record<string, unknown> {
  const { ledger } = report;
  return {
    running: report.running,
    checkedAt: iso(report.nowMs),
    tracker: report.tracker === null ? null : trackerToJson(report, report.tracker),
    lag: report.lag,
    ledger: {
      path: ledger.path,
      exists: ledger.exists,
      sizeBytes: ledger.sizes.totalBytes,
      dbBytes: ledger.sizes.dbBytes,
      walBytes: ledger.sizes.walBytes,
      shmBytes: ledger.sizes.shmBytes,
      responses: ledger.counts?.responses ?? 0,
      files: ledger.counts?.files ?? { active: 0, gone: 0 },
      quarantinedLines: ledger.counts?.quarantinedLines ?? 0,
    },
    lockPath: report.lockPath,
    statusPath: report.statusPath,
  };
}

/** `512 B`, `12.3 KiB`, `4.0 MiB`, `1.2 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${formatCount(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** An age or interval: `350 ms`, `4.2 s`, `12 s`, then `3m`, `2h 05m`. */
export function formatAgeMs(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < 1000) return `${Math.round(clamped)} ms`;
  if (clamped < 10_000) return `${(clamped / 1000).toFixed(1)} s`;
  if (clamped < 60_000) return `${Math.floor(clamped / 1000)} s`;
  return formatDuration(clamped);
}

const plural = (n: number, word: string): string =>
  `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

function trackerLines(report: StatusReport, timeZone: string): string[] {
  const { tracker, nowMs } = report;
  const at = (ms: number): string => formatLocalTime(ms, timeZone);
  if (!report.running) {
    if (tracker === null) return ['tracker   not running (no tracker has run on this ledger)'];
    return [
      `tracker   not running (last seen ${at(tracker.updatedMs)}, ${formatAgeMs(nowMs - tracker.updatedMs)} ago: ` +
        `pid ${tracker.pid}, ${tracker.mode === 'stopping' ? 'stopped cleanly' : 'no clean stop reported'})`,
    ];
  }
  if (tracker === null || report.reportStale) {
    return ['tracker   running (it has not reported yet: starting up)'];
  }
  const lines = [
    `tracker   running, pid ${tracker.pid} (ctt ${tracker.version}), since ${at(tracker.startedMs)} (${formatAgeMs(nowMs - tracker.startedMs)})`,
    `polling   ${tracker.mode}, every ${formatAgeMs(tracker.currentIntervalMs)} (active ${formatAgeMs(tracker.activeIntervalMs)}, ` +
      `idle ${formatAgeMs(tracker.idleIntervalMs)}); watch ${tracker.watch}, watchers ${tracker.watchers}`,
    tracker.lastPollMs === null
      ? 'last poll none yet'
      : `last poll ${at(tracker.lastPollMs)} (${formatAgeMs(nowMs - tracker.lastPollMs)} ago` +
        `${tracker.lastPollDurationMs === null ? '' : `, took ${formatAgeMs(tracker.lastPollDurationMs)}`}); ` +
        `${plural(tracker.polls, 'poll')}, ${plural(tracker.filesTracked, 'file')} tracked`,
  ];
  const reportAgeMs = nowMs - tracker.updatedMs;
  // The tracker reports every few seconds: a much older report means its loop is stuck.
  if (reportAgeMs > Math.max(60_000, 10 * tracker.currentIntervalMs)) {
    lines.push(
      `warning   its last report is ${formatAgeMs(reportAgeMs)} old: the tracker may be stuck`,
    );
  }
  return lines;
}

function healthLines(tracker: TrackerStatus | null, timeZone: string): string[] {
  if (tracker === null) return [];
  const lines: string[] = [];
  if (tracker.errorsTotal > 0 || tracker.lastError !== null) {
    const last = tracker.lastError;
    lines.push(
      `errors    ${formatCount(tracker.consecutiveErrors)} consecutive, ${formatCount(tracker.errorsTotal)} total` +
        (last === null
          ? ''
          : `; last ${formatLocalTime(last.timeMs, timeZone)}: ${last.errorClass}: ${last.message}`),
    );
  } else {
    lines.push('errors    none');
  }
  if (tracker.degraded !== null) lines.push(`degraded  ${tracker.degraded}`);
  return lines;
}

function lagLine(lag: TranscriptLag): string {
  if (lag.pendingBytes === 0) {
    return `lag       none: every byte of ${plural(lag.filesChecked, 'transcript')} is in the ledger`;
  }
  const files = lag.filesBehind + lag.newFiles;
  const oldest =
    lag.oldestPendingAgeMs === null
      ? ''
      : `; the oldest unread byte is at least ${formatAgeMs(lag.oldestPendingAgeMs)} old`;
  return (
    `lag       ${plural(lag.pendingBytes, 'byte')} pending in ${plural(files, 'file')}` +
    `${lag.newFiles > 0 ? ` (${formatCount(lag.newFiles)} not seen yet)` : ''}${oldest}`
  );
}

function ledgerLines(report: StatusReport): string[] {
  const { ledger } = report;
  if (!ledger.exists)
    return [`ledger    ${ledger.path}: not created yet (ctt sync or ctt start creates it)`];
  const { sizes, counts } = ledger;
  const lines = [
    `ledger    ${ledger.path}: ${formatBytes(sizes.totalBytes)} (db ${formatBytes(sizes.dbBytes)}, ` +
      `wal ${formatBytes(sizes.walBytes)}, shm ${formatBytes(sizes.shmBytes)})`,
  ];
  if (counts !== null) {
    lines.push(
      `          ${plural(counts.responses, 'response')} from ${plural(counts.files.active + counts.files.gone, 'file')}` +
        `${counts.files.gone > 0 ? ` (${formatCount(counts.files.gone)} deleted since)` : ''}, ` +
        `${plural(counts.quarantinedLines, 'quarantined line')}`,
    );
  }
  return lines;
}

export function statusToText(report: StatusReport, timeZone: string): string {
  return [
    ...trackerLines(report, timeZone),
    // A dead tracker's last errors may tell why it died; a previous tracker's mean nothing now.
    ...healthLines(report.running && report.reportStale ? null : report.tracker, timeZone),
    lagLine(report.lag),
    ...ledgerLines(report),
  ].join('\n');
}
