/**
 * The tracker rewrites its status file every few seconds while `ctt status` may read it: a real
 * writer process rewriting it as fast as it can never shows a reader half a report.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTrackerStatus, statusPathOf } from '../../src/store/tracker-status-file.js';
import { CTT_BIN } from '../e2e/run-ctt.js';

const WRITES = 1000;
const STATUS_MODULE = pathToFileURL(join(CTT_BIN, '..', 'store', 'tracker-status-file.js')).href;

// Reports of very different lengths, so a torn read could not pass for a whole one.
const WRITER = `
const [moduleUrl, path, writes] = process.argv.slice(1);
const { writeTrackerStatus } = await import(moduleUrl);
for (let i = 1; i <= Number(writes); i++) {
  writeTrackerStatus(path, {
    pid: process.pid, startedMs: 1, version: '0.1.0', watch: 'poll', watchers: 'off: '.padEnd(i % 500, 'x'),
    activeIntervalMs: 500, idleIntervalMs: 2000, mode: 'active', currentIntervalMs: 500,
    lastPollMs: i, lastPollDurationMs: 1, polls: i, filesTracked: 0, consecutiveErrors: 0,
    errorsTotal: 0, lastError: null, degraded: null, updatedMs: i,
  });
}
`;

describe('tracker status file under a live writer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctt-status-race-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('every read is a whole report, and the polls only move forward', async () => {
    const path = statusPathOf(join(dir, 'ledger.db'));
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', WRITER, STATUS_MODULE, path, String(WRITES)],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    let done = false;
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        done = true;
        resolve(code);
      }),
    );
    let reads = 0;
    let whole = 0;
    let torn = 0;
    let lastPolls = 0;
    let backwards = 0;
    let seen = false;
    while (!done) {
      for (let i = 0; i < 50; i++) {
        const status = readTrackerStatus(path);
        reads++;
        if (status === null) {
          if (seen) torn++;
          continue;
        }
        seen = true;
        whole++;
        if (status.polls < lastPolls) backwards++;
        lastPolls = status.polls;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exited).toBe(0);
    expect(readTrackerStatus(path)?.polls).toBe(WRITES);
    expect({ torn, backwards }).toEqual({ torn: 0, backwards: 0 });
    expect(whole).toBeGreaterThan(0);
    expect(reads).toBeGreaterThanOrEqual(whole);
    expect(readdirSync(dir)).toEqual(['ledger.db.tracker.json']);
  });
});
