import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readTrackerStatus,
  statusPathOf,
  trackerStatusOf,
  writeTrackerStatus,
  type TrackerStatus,
} from './tracker-status-file.js';

const STATUS: TrackerStatus = {
  pid: 4242,
  startedMs: 1_790_000_000_000,
  version: '0.1.0',
  watch: 'hybrid',
  watchers: 'off: network file system',
  activeIntervalMs: 500,
  idleIntervalMs: 2000,
  mode: 'idle',
  currentIntervalMs: 2000,
  lastPollMs: 1_790_000_060_000,
  lastPollDurationMs: 3,
  polls: 120,
  filesTracked: 87,
  consecutiveErrors: 1,
  errorsTotal: 2,
  lastError: { timeMs: 1_790_000_050_000, errorClass: 'db-busy', message: 'database is locked' },
  degraded: 'storage full',
  updatedMs: 1_790_000_060_003,
};

describe('tracker status file', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctt-status-'));
    path = statusPathOf(join(dir, 'ledger.db'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sits next to the ledger', () => {
    expect(statusPathOf('/x/ledger.db')).toBe('/x/ledger.db.tracker.json');
  });

  it('round-trips every field and leaves no temp file behind', () => {
    writeTrackerStatus(path, STATUS);
    expect(readTrackerStatus(path)).toEqual(STATUS);
    const next = { ...STATUS, mode: 'stopping' as const, lastError: null, degraded: null };
    writeTrackerStatus(path, next);
    expect(readTrackerStatus(path)).toEqual(next);
    expect(readdirSync(dir)).toEqual(['ledger.db.tracker.json']);
  });

  it('reads a missing file as no report', () => {
    expect(readTrackerStatus(path)).toBeNull();
  });

  it('reads a torn or foreign file as no report', () => {
    const whole = JSON.stringify(STATUS);
    for (const cut of [0, 1, 10, Math.floor(whole.length / 2), whole.length - 1]) {
      writeFileSync(path, whole.slice(0, cut));
      expect(readTrackerStatus(path), `cut at ${cut}`).toBeNull();
    }
    for (const text of ['null', '[]', '42', '"x"', '{"pid":"1","startedMs":1,"updatedMs":1}']) {
      writeFileSync(path, text);
      expect(readTrackerStatus(path), text).toBeNull();
    }
    writeFileSync(path, Buffer.from([0, 0, 0, 0]));
    expect(readTrackerStatus(path)).toBeNull();
  });

  it('keeps the identity of a report with odd or missing fields', () => {
    const status = trackerStatusOf({
      pid: 7,
      startedMs: 1000,
      updatedMs: 2000,
      mode: 'dancing',
      polls: 'many',
      lastError: { errorClass: 'EACCES' },
      extra: true,
    });
    expect(status).toMatchObject({
      pid: 7,
      startedMs: 1000,
      updatedMs: 2000,
      mode: 'active',
      polls: 0,
      lastPollMs: null,
      degraded: null,
      lastError: { timeMs: 0, errorClass: 'EACCES', message: '' },
    });
    expect(status).not.toHaveProperty('extra');
  });
});
