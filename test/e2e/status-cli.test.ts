import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  statusPathOf,
  writeTrackerStatus,
  type TrackerStatus,
} from '../../src/store/tracker-status-file.js';
import { assistantLine, jsonl } from '../helpers/claude-lines.js';
import { spawnLockHolder, writeHolderScript, type LockHolder } from '../helpers/lock-holder.js';
import { makeTempTree, type TempTree } from '../helpers/temp-tree.js';
import { runCtt } from './run-ctt.js';

interface StatusJson {
  running: boolean;
  checkedAt: string;
  tracker: (TrackerStatus & Record<string, unknown>) | null;
  lag: {
    pendingBytes: number;
    filesBehind: number;
    newFiles: number;
    filesChecked: number;
    oldestPendingAgeMs: number | null;
  };
  ledger: {
    path: string;
    exists: boolean;
    sizeBytes: number;
    dbBytes: number;
    walBytes: number;
    shmBytes: number;
    responses: number;
    files: { active: number; gone: number };
    quarantinedLines: number;
  };
  lockPath: string;
  statusPath: string;
}

function report(pid: number, nowMs: number, changes: Partial<TrackerStatus> = {}): TrackerStatus {
  return {
    pid,
    startedMs: nowMs - 2 * 3_600_000 - 5 * 60_000,
    version: '0.1.0',
    watch: 'hybrid',
    watchers: 'on',
    activeIntervalMs: 500,
    idleIntervalMs: 2000,
    mode: 'idle',
    currentIntervalMs: 2000,
    lastPollMs: nowMs - 1200,
    lastPollDurationMs: 4,
    polls: 3456,
    filesTracked: 2,
    consecutiveErrors: 0,
    errorsTotal: 0,
    lastError: null,
    degraded: null,
    updatedMs: nowMs - 1000,
    ...changes,
  };
}

describe('ctt status (built CLI)', () => {
  let tree: TempTree;
  let transcript: string;
  let holders: LockHolder[];
  let args: (...more: string[]) => string[];
  const env = (): Record<string, string> => ({ HOME: tree.base });

  beforeEach(() => {
    tree = makeTempTree('ctt-status-e2e-');
    holders = [];
    transcript = tree.path('-home-dev-app', 's-1.jsonl');
    tree.write(
      transcript,
      jsonl(
        assistantLine({ messageId: 'msg_a', requestId: 'req_a', usage: { input: 10, output: 5 } }),
        assistantLine({ messageId: 'msg_b', requestId: 'req_b', usage: { input: 20, output: 7 } }),
      ),
    );
    args = (...more) => [
      'status',
      '--claude-dir',
      tree.configDir,
      '--db',
      tree.ledgerPath,
      ...more,
    ];
  });
  afterEach(async () => {
    for (const holder of holders) {
      if (holder.child.exitCode === null && holder.child.signalCode === null) {
        holder.child.kill('SIGKILL');
        await holder.exited;
      }
    }
    tree.cleanup();
  });

  function status(): StatusJson {
    const run = runCtt(args('--json'), env());
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as StatusJson;
  }

  async function holdLock(): Promise<LockHolder> {
    const holder = spawnLockHolder(writeHolderScript(tree.base), tree.ledgerPath, 'once');
    holders.push(holder);
    expect(await holder.nextLine()).toBe('held');
    return holder;
  }

  function sync(): void {
    const run = runCtt(
      ['sync', '-q', '--claude-dir', tree.configDir, '--db', tree.ledgerPath],
      env(),
    );
    expect(run.status, run.stderr).toBe(0);
  }

  it('answers before anything exists, and creates nothing', () => {
    const run = runCtt(args(), env());
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('not running (no tracker has run on this ledger)');
    expect(run.stdout).toContain('not created yet');
    expect(run.stdout).toMatch(/lag +[\d,]+ bytes pending in 1 file \(1 not seen yet\)/);
    const json = status();
    expect(json).toMatchObject({
      running: false,
      tracker: null,
      lag: { pendingBytes: tree.size(transcript), filesBehind: 0, newFiles: 1, filesChecked: 1 },
      ledger: { path: tree.ledgerPath, exists: false, sizeBytes: 0, responses: 0 },
    });
    expect(readdirSync(tree.base)).toEqual(['claude']);
  });

  it('after a sync: no lag, and what the ledger holds', () => {
    sync();
    const json = status();
    expect(json.lag).toEqual({
      pendingBytes: 0,
      filesBehind: 0,
      newFiles: 0,
      filesChecked: 1,
      oldestPendingAgeMs: null,
    });
    const onDisk = ['', '-wal', '-shm']
      .map((suffix) => tree.ledgerPath + suffix)
      .filter((path) => existsSync(path))
      .reduce((sum, path) => sum + statSync(path).size, 0);
    expect(json.ledger).toMatchObject({
      exists: true,
      sizeBytes: onDisk,
      responses: 2,
      files: { active: 1, gone: 0 },
      quarantinedLines: 0,
    });
    expect(json.ledger.sizeBytes).toBe(
      json.ledger.dbBytes + json.ledger.walBytes + json.ledger.shmBytes,
    );
    const text = runCtt(args(), env()).stdout;
    expect(text).toContain('lag       none: every byte of 1 transcript is in the ledger');
    expect(text).toContain('2 responses from 1 file, 0 quarantined lines');
  });

  it('counts the bytes appended since the ledger read the transcript', () => {
    sync();
    const line = `${assistantLine({ messageId: 'msg_c', requestId: 'req_c', usage: { output: 1 } })}\n`;
    tree.append(transcript, line);
    tree.append(transcript, 'torn tail without newline');
    const json = status();
    expect(json.lag).toMatchObject({
      pendingBytes: Buffer.byteLength(line) + 'torn tail without newline'.length,
      filesBehind: 1,
      newFiles: 0,
      filesChecked: 1,
    });
    expect(json.lag.oldestPendingAgeMs).toBeGreaterThanOrEqual(0);
    const other = tree.path('-home-dev-other', 's-2.jsonl');
    tree.write(other, line);
    expect(status().lag).toMatchObject({
      pendingBytes: 2 * Buffer.byteLength(line) + 'torn tail without newline'.length,
      filesBehind: 1,
      newFiles: 1,
      filesChecked: 2,
    });
    const text = runCtt(args(), env()).stdout;
    expect(text).toMatch(
      /lag +[\d,]+ bytes pending in 2 files \(1 not seen yet\); the oldest unread byte is at least/,
    );
  });

  it('shows a running tracker from the lock and its report', async () => {
    sync();
    const holder = await holdLock();
    const pid = holder.child.pid ?? 0;
    const nowMs = Date.now();
    writeTrackerStatus(
      statusPathOf(tree.ledgerPath),
      report(pid, nowMs, {
        consecutiveErrors: 1,
        errorsTotal: 3,
        lastError: { timeMs: nowMs - 5000, errorClass: 'storage-full', message: 'SQLITE_FULL' },
        degraded: 'storage full: paused ingest',
      }),
    );
    const json = status();
    expect(json.running).toBe(true);
    expect(json.tracker).toMatchObject({
      pid,
      version: '0.1.0',
      watch: 'hybrid',
      watchers: 'on',
      mode: 'idle',
      activeIntervalMs: 500,
      idleIntervalMs: 2000,
      currentIntervalMs: 2000,
      polls: 3456,
      filesTracked: 2,
      consecutiveErrors: 1,
      errorsTotal: 3,
      lastError: { errorClass: 'storage-full', message: 'SQLITE_FULL' },
      degraded: 'storage full: paused ingest',
      stale: false,
    });
    const tracker = json.tracker as Record<string, unknown>;
    expect(tracker['uptimeMs']).toBeGreaterThanOrEqual(2 * 3_600_000 + 5 * 60_000);
    expect(tracker['lastPollAgeMs']).toBeGreaterThanOrEqual(1200);
    expect(tracker['startedAt']).toBe(new Date(nowMs - 2 * 3_600_000 - 5 * 60_000).toISOString());

    const text = runCtt(args(), env()).stdout;
    expect(text).toContain(`tracker   running, pid ${pid} (ctt 0.1.0), since `);
    expect(text).toMatch(/\(2h 0[5-9]m\)/);
    expect(text).toContain(
      'polling   idle, every 2.0 s (active 500 ms, idle 2.0 s); watch hybrid, watchers on',
    );
    expect(text).toMatch(/last poll .* ago, took 4 ms\); 3,456 polls, 2 files tracked/);
    expect(text).toMatch(/errors {4}1 consecutive, 3 total; last .*: storage-full: SQLITE_FULL/);
    expect(text).toContain('degraded  storage full: paused ingest');
  });

  it('says "not running (last seen …)" once the tracker is killed with SIGKILL', async () => {
    sync();
    const holder = await holdLock();
    const nowMs = Date.now();
    writeTrackerStatus(statusPathOf(tree.ledgerPath), report(holder.child.pid ?? 0, nowMs));
    expect(status().running).toBe(true);
    holder.child.kill('SIGKILL');
    await holder.exited;
    const json = status();
    expect(json.running).toBe(false);
    expect(json.tracker).toMatchObject({ pid: holder.child.pid, stale: true, uptimeMs: null });
    const text = runCtt(args(), env()).stdout;
    expect(text).toMatch(
      new RegExp(
        `tracker   not running \\(last seen .*, .* ago: pid ${holder.child.pid}, no clean stop reported\\)`,
      ),
    );
    expect(text).not.toContain('polling');
  });

  it('does not pass off a previous tracker report as the running one', async () => {
    sync();
    // Above Linux's largest pid (2^22): no process has it.
    writeTrackerStatus(statusPathOf(tree.ledgerPath), report(2 ** 22 + 12_345, Date.now()));
    await holdLock();
    const json = status();
    expect(json.running).toBe(true);
    expect(json.tracker).toMatchObject({ stale: true, uptimeMs: null });
    expect(runCtt(args(), env()).stdout).toContain(
      'tracker   running (it has not reported yet: starting up)',
    );
  });

  it('fails with exit 1 when the ledger cannot be read', () => {
    writeFileSync(tree.ledgerPath, 'this is not a SQLite database, just text '.repeat(200));
    const run = runCtt(args(), env());
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the ledger is damaged');
  });

  it('documents itself', () => {
    const run = runCtt(['status', '--help'], env());
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--json');
    expect(run.stdout).toContain('Exit status: 0');
  });
});
