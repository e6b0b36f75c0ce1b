/**
 * Ledger faults under a real `ctt start` (reliability §2.10, §3 T16 and T18):
 * - DATABASE BUSY: another process holds `BEGIN IMMEDIATE` on the ledger for longer than the busy
 *   timeout, three times, while transcript lines are appended and a Claude Code process file
 *   names a new session. The tracker keeps running, reports busy errors (stderr and
 *   `ctt status --json`), recovers, and the ledger ends equal to what was written.
 * - DISK FULL: the running tracker's file-size limit is lowered just above the ledger's files
 *   (RLIMIT_FSIZE through prlimit: the ledger's writes fail with an I/O write error, as on a full
 *   disk, with no root and no mount), lines keep arriving, then the limit is raised again. The
 *   tracker stays alive, reports the storage-full class, and once space returns every line is in
 *   the ledger exactly once, integrity ok.
 * Waits have generous deadlines only to fail a hung test; no duration is asserted.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CTT_BIN } from '../e2e/run-ctt.js';
import {
  cttEnv,
  eventually,
  projectFolder,
  readLedger,
  setFileSizeLimit,
  startLedgerHolder,
  usageLine,
  waitForTrailRow,
  writeProcessFile,
} from './start-scenario-helpers.js';
import { spawnTracker, type TrackerChild } from './tracker-child.js';
import { readLedgerOffsets, readResponseSessions, readTrailSessions } from './trail-oracle.js';
import type { SessionTruth } from './transcript-writer.js';

const CWD = '/work/ledger-faults';
const SESSIONS = [
  'f1f1f1f1-0000-4000-8000-000000000001',
  'f2f2f2f2-0000-4000-8000-000000000002',
  'f3f3f3f3-0000-4000-8000-000000000003',
];

/** Appends unique usage lines round-robin to one file per session and keeps the truth. */
class LineWriter {
  private n = 0;
  readonly offsets: Record<string, number[]> = {};
  readonly sessions: Record<string, SessionTruth> = {};

  constructor(private readonly projectsDir: string) {}

  pathOf(sessionId: string): string {
    return join(this.projectsDir, projectFolder(CWD), `${sessionId}.jsonl`);
  }

  get lines(): number {
    return this.n;
  }

  append(count: number): void {
    const chunks = new Map<string, string>();
    for (let i = 0; i < count; i++, this.n++) {
      const n = this.n;
      const sessionId = SESSIONS[n % SESSIONS.length] ?? '';
      const path = this.pathOf(sessionId);
      const tokens = {
        input: 1 + (n % 50),
        output: 10 + (n % 300),
        cacheWrite: n % 7 === 0 ? 1_000 : 0,
        cacheRead: 5_000 + (n % 1_000),
      };
      const line = `${usageLine(n, sessionId, CWD, tokens, Date.now())}\n`;
      const before = chunks.get(path) ?? '';
      const offsets = (this.offsets[path] ??= []);
      offsets.push(this.bytesOf(path) + Buffer.byteLength(before));
      chunks.set(path, before + line);
      const s = (this.sessions[sessionId] ??= {
        responses: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationTokens: 0,
        cacheCreation1hTokens: 0,
        cacheReadTokens: 0,
        webSearchRequests: 0,
      });
      s.responses++;
      s.inputTokens += tokens.input;
      s.outputTokens += tokens.output;
      s.cacheCreationTokens += tokens.cacheWrite;
      s.cacheReadTokens += tokens.cacheRead;
    }
    for (const [path, text] of chunks) {
      mkdirSync(join(path, '..'), { recursive: true });
      appendFileSync(path, text);
    }
  }

  private bytesOf(path: string): number {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  }
}

function responsesIn(dbPath: string): number {
  return readLedger(
    dbPath,
    (db) => (db.prepare('SELECT count(*) AS n FROM response').get() as { n: number }).n,
  );
}

/** The ledger holds exactly the lines written: once each, at their offsets, with their tokens. */
function expectLedgerEqualsTruth(dbPath: string, writer: LineWriter): void {
  const offsets = readLedgerOffsets(dbPath);
  expect(offsets.otherGenerations).toBe(0);
  expect(offsets.copies).toEqual(writer.offsets);
  expect(offsets.quarantine).toEqual({});
  expect(offsets.lines).toBe(writer.lines);
  expect(readResponseSessions(dbPath)).toEqual(writer.sessions);
  expect(readTrailSessions(dbPath)).toEqual(writer.sessions);
  expect(readLedger(dbPath, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
}

function setup(root: string, name: string) {
  const home = join(root, name);
  const claudeDir = join(home, '.claude');
  mkdirSync(join(claudeDir, 'projects'), { recursive: true });
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ numStartups: 1, projects: {} }));
  return {
    home,
    claudeDir,
    env: cttEnv(home),
    dbPath: join(home, '.local', 'share', 'claude-token-tracker', 'ledger.db'),
    writer: new LineWriter(join(claudeDir, 'projects')),
  };
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('ctt start: ledger faults', () => {
  const root = mkdtempSync(join(tmpdir(), 'ctt-start-db-faults-'));
  const trackers: TrackerChild[] = [];
  afterAll(async () => {
    await Promise.all(trackers.map((t) => t.kill()));
    rmSync(root, { recursive: true, force: true });
  });

  it('DATABASE BUSY: another process holding the write lock 3 × 8 s; busy errors reported, recovered, 0 lost / 0 dup', async () => {
    const { claudeDir, env, dbPath, writer } = setup(root, 'busy');
    const tracker = spawnTracker(
      ['--json', '--active-interval', '50', '--idle-interval', '50'],
      env,
    );
    trackers.push(tracker);
    await tracker.waitForEvent('catch-up');
    writer.append(60);
    await eventually('the first lines', () => responsesIn(dbPath) === writer.lines);

    const holder = startLedgerHolder(join(claudeDir, '..'), dbPath);
    try {
      for (let hold = 1; hold <= 3; hold++) {
        const errorsBefore = count(tracker.stderr(), 'busy error');
        const { released } = await holder.hold(8_000);
        // A Claude Code process starts a session while the ledger is held: recording it must wait.
        const sessionId = `b0b0b0b0-0000-4000-8000-00000000000${hold}`;
        writeProcessFile(claudeDir, holder.pid, sessionId, CWD);
        await eventually(
          `busy error ${hold}`,
          () => count(tracker.stderr(), 'busy error') > errorsBefore,
        );
        writer.append(90); // lines arriving while the ledger is still held
        await released;
        await eventually(`recovery ${hold}`, () => {
          return (
            count(tracker.stderr(), 'ctt: recovered after') >= hold &&
            responsesIn(dbPath) === writer.lines
          );
        });
        await waitForTrailRow(dbPath, 'session-start', sessionId);
        expect(tracker.child.exitCode).toBeNull();
      }
    } finally {
      await holder.close();
    }
    writer.append(120);
    await eventually('the last lines', () => responsesIn(dbPath) === writer.lines);

    const status = spawnSync(process.execPath, [CTT_BIN, 'status', '--json'], {
      env,
      encoding: 'utf8',
    });
    expect(status.status).toBe(0);
    const report = JSON.parse(status.stdout) as {
      running: boolean;
      tracker: {
        consecutiveErrors: number;
        errorsTotal: number;
        lastError: { errorClass: string } | null;
      };
    };
    expect(report.running).toBe(true);
    expect(report.tracker.errorsTotal).toBeGreaterThanOrEqual(3);
    expect(report.tracker.lastError?.errorClass).toBe('busy');
    await eventually('the status report after recovery', () => {
      const again = spawnSync(process.execPath, [CTT_BIN, 'status', '--json'], {
        env,
        encoding: 'utf8',
      });
      return (JSON.parse(again.stdout) as typeof report).tracker.consecutiveErrors === 0;
    });
    const errors = tracker.events().filter((e) => e.event === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(new Set(errors.map((e) => e['errorClass']))).toEqual(new Set(['busy']));

    const stop = await tracker.stop('SIGTERM');
    expect(stop.code).toBe(0);
    expectLedgerEqualsTruth(dbPath, writer);
    console.info(
      `start busy: ${writer.lines} lines, ${errors.length} busy errors over 3 holds, ` +
        `${count(tracker.stderr(), 'ctt: recovered after')} recoveries, 0 lost / 0 dup`,
    );
  }, 90_000);

  it('DISK FULL: ledger writes fail (file-size limit) while lines arrive; storage-full reported, alive, every line once after space returns', async () => {
    const { env, dbPath, writer } = setup(root, 'full');
    writer.append(30);
    // The ledger exists before the limit (a tracker that cannot even create it is another test).
    const sync = spawnSync(process.execPath, [CTT_BIN, 'sync', '--quiet'], {
      env,
      encoding: 'utf8',
    });
    expect(sync.status).toBe(0);
    const tracker = spawnTracker(
      ['--json', '--active-interval', '50', '--idle-interval', '50'],
      env,
    );
    trackers.push(tracker);
    await tracker.waitForEvent('catch-up');
    const sizeOf = (suffix: string): number => {
      try {
        return statSync(dbPath + suffix).size;
      } catch {
        return 0;
      }
    };
    const limitBytes = Math.max(sizeOf(''), sizeOf('-wal'), sizeOf('-shm')) + 256 * 1024;
    setFileSizeLimit(tracker.pid, limitBytes);

    const fullErrors = () =>
      tracker.events().filter((e) => e.event === 'error' && e['errorClass'] === 'storage-full');
    // Lines keep arriving until the ledger cannot take them, and for a while after.
    await eventually(
      'a storage-full error',
      () => {
        writer.append(200);
        return fullErrors().length > 0;
      },
      60_000,
      100,
    );
    const linesWhenFull = writer.lines;
    await eventually(
      'a second storage-full error',
      () => {
        if (writer.lines < linesWhenFull + 600) writer.append(200);
        return fullErrors().length >= 2;
      },
      60_000,
      100,
    );
    expect(tracker.child.exitCode).toBeNull();
    const status = spawnSync(process.execPath, [CTT_BIN, 'status', '--json'], {
      env,
      encoding: 'utf8',
    });
    const degraded = (
      JSON.parse(status.stdout) as {
        tracker: { degraded: string | null; lastError: { errorClass: string } | null };
      }
    ).tracker;
    expect(degraded.lastError?.errorClass).toBe('storage-full');
    expect(degraded.degraded).toMatch(/storage full/);
    expect(responsesIn(dbPath)).toBeLessThan(writer.lines);

    setFileSizeLimit(tracker.pid, null); // space returns
    await tracker.waitForEvent('recovered');
    writer.append(100);
    await eventually(
      'every line in the ledger',
      () => responsesIn(dbPath) === writer.lines,
      60_000,
    );
    // Each retry waited the pause it announced ("retrying in 2 s"), even with lines (file events)
    // arriving: a full disk pauses the tracker (reliability §2.10). A lower bound only, with 50 ms
    // for timer and clock granularity: slowness cannot fail it.
    const attempts = tracker.events().filter((e) => ['error', 'recovered'].includes(e.event));
    for (let i = 0; i + 1 < attempts.length; i++) {
      const [failed, next] = [attempts[i], attempts[i + 1]];
      if (failed?.event !== 'error' || next === undefined) continue;
      const waitedMs = Date.parse(next.time) - Date.parse(failed.time);
      expect(waitedMs, `retry ${i + 1} after ${JSON.stringify(failed)}`).toBeGreaterThanOrEqual(
        Number(failed['retryInMs']) - 50,
      );
    }
    const stop = await tracker.stop('SIGTERM');
    expect(stop.code).toBe(0);
    expect(tracker.stderr()).toMatch(/ctt: storage-full error \(1 in a row\)/);
    expect(tracker.stderr()).toMatch(/ctt: recovered after \d+ errors?/);
    expectLedgerEqualsTruth(dbPath, writer);
    const errors = tracker.events().filter((e) => e.event === 'error');
    console.info(
      `start disk full: limit ${limitBytes} bytes, ${writer.lines} lines (${linesWhenFull} when full), ` +
        `${fullErrors().length} storage-full errors (${errors.length} errors in all), ` +
        `first: ${String(fullErrors()[0]?.['message'])}; 0 lost / 0 dup after space returned`,
    );
  }, 120_000);
});
