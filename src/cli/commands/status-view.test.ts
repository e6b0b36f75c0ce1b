import { describe, expect, it } from 'vitest';
import type { TrackerStatus } from '../../store/tracker-status-file.js';
import {
  formatAgeMs,
  formatBytes,
  statusToJson,
  statusToText,
  type StatusReport,
} from './status-view.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

const TRACKER: TrackerStatus = {
  pid: 4242,
  startedMs: NOW - 3 * 3_600_000,
  version: '0.1.0',
  watch: 'poll',
  watchers: 'off: network file system',
  activeIntervalMs: 500,
  idleIntervalMs: 2000,
  mode: 'active',
  currentIntervalMs: 500,
  lastPollMs: NOW - 300,
  lastPollDurationMs: 12,
  polls: 21_600,
  filesTracked: 1234,
  consecutiveErrors: 0,
  errorsTotal: 0,
  lastError: null,
  degraded: null,
  updatedMs: NOW - 250,
};

function reportOf(changes: Partial<StatusReport>): StatusReport {
  return {
    nowMs: NOW,
    running: true,
    tracker: TRACKER,
    reportStale: false,
    lag: {
      pendingBytes: 0,
      filesBehind: 0,
      newFiles: 0,
      filesChecked: 1234,
      oldestPendingAgeMs: null,
    },
    ledger: {
      path: '/data/ledger.db',
      exists: true,
      sizes: {
        dbBytes: 3 * 1024 ** 3,
        walBytes: 4 * 1024 ** 2,
        shmBytes: 32 * 1024,
        totalBytes: 3 * 1024 ** 3 + 4 * 1024 ** 2 + 32 * 1024,
      },
      counts: { responses: 1_234_567, files: { active: 1234, gone: 56 }, quarantinedLines: 7 },
    },
    lockPath: '/data/ledger.db.tracker.lock',
    statusPath: '/data/ledger.db.tracker.json',
    ...changes,
  };
}

describe('status view', () => {
  it('formats sizes and ages', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1,023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatAgeMs(-5)).toBe('0 ms');
    expect(formatAgeMs(350)).toBe('350 ms');
    expect(formatAgeMs(4200)).toBe('4.2 s');
    expect(formatAgeMs(42_000)).toBe('42 s');
    expect(formatAgeMs(2 * 3_600_000 + 5 * 60_000)).toBe('2h 05m');
  });

  it('prints a running tracker in a few labelled lines', () => {
    expect(statusToText(reportOf({}), 'UTC')).toBe(
      [
        'tracker   running, pid 4242 (ctt 0.1.0), since 2026-11-30 09:00 (3h 00m)',
        'polling   active, every 500 ms (active 500 ms, idle 2.0 s); watch poll, watchers off: network file system',
        'last poll 2026-11-30 11:59 (300 ms ago, took 12 ms); 21,600 polls, 1,234 files tracked',
        'errors    none',
        'lag       none: every byte of 1,234 transcripts is in the ledger',
        'ledger    /data/ledger.db: 3.0 GiB (db 3.0 GiB, wal 4.0 MiB, shm 32.0 KiB)',
        '          1,234,567 responses from 1,290 files (56 deleted since), 7 quarantined lines',
      ].join('\n'),
    );
  });

  it('warns when a running tracker has stopped reporting', () => {
    const stuck = { ...TRACKER, updatedMs: NOW - 5 * 60_000 };
    expect(statusToText(reportOf({ tracker: stuck }), 'UTC')).toContain(
      'warning   its last report is 5m old: the tracker may be stuck',
    );
  });

  it('tells a clean stop from a death, and keeps the last errors of a dead tracker', () => {
    const stopped = { ...TRACKER, mode: 'stopping' as const, updatedMs: NOW - 90 * 60_000 };
    const text = statusToText(
      reportOf({ running: false, reportStale: true, tracker: stopped }),
      'UTC',
    );
    expect(text).toContain(
      'tracker   not running (last seen 2026-11-30 10:30, 1h 30m ago: pid 4242, stopped cleanly)',
    );
    const died = {
      ...TRACKER,
      errorsTotal: 9,
      consecutiveErrors: 9,
      lastError: { timeMs: NOW - 60_000, errorClass: 'corruption', message: 'SQLITE_CORRUPT' },
      degraded: 'ledger damaged: ingest stopped',
    };
    const deadText = statusToText(
      reportOf({ running: false, reportStale: true, tracker: died }),
      'UTC',
    );
    expect(deadText).toContain('no clean stop reported');
    expect(deadText).toContain(
      'errors    9 consecutive, 9 total; last 2026-11-30 11:59: corruption: SQLITE_CORRUPT',
    );
    expect(deadText).toContain('degraded  ledger damaged: ingest stopped');
    expect(deadText).not.toContain('polling');
  });

  it('JSON: null uptime unless the report is from the live tracker', () => {
    const live = statusToJson(reportOf({})) as { tracker: Record<string, unknown> };
    expect(live.tracker).toMatchObject({
      uptimeMs: 3 * 3_600_000,
      lastPollAgeMs: 300,
      reportAgeMs: 250,
      stale: false,
    });
    const dead = statusToJson(reportOf({ running: false, reportStale: true })) as {
      tracker: Record<string, unknown>;
    };
    expect(dead.tracker).toMatchObject({ uptimeMs: null, stale: true });
  });
});
