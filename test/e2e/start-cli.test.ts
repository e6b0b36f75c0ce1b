/**
 * `ctt start` as users run it (the built CLI, real processes): one tracker per ledger (exit 75,
 * naming the holder; an immediate takeover after the holder is killed), its help and option
 * errors, appended lines arriving with file events off (`--watch poll`) and as the only trigger
 * (`--watch events`), NDJSON on stdout, and the printed audit trail.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnTracker, type TrackerChild } from '../faults/tracker-child.js';
import { sleep, trackerFixture, type TrackerFixture } from '../faults/tracker-fixture.js';
import { assistantLine, jsonl, userLine } from '../helpers/claude-lines.js';
import { runCtt } from './run-ctt.js';

const SESSION_A = '3f1c2b7a-1d2e-4f50-8a9b-0c1d2e3f4a5b';
const SESSION_B = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
const CWD_A = '/home/alice/src/webapp';
const CWD_B = '/home/alice/src/api';
/** Only a hung tracker gets near this; nothing asserts how fast lines arrive. */
const ARRIVAL_TIMEOUT_MS = 60_000;

function responseLine(n: number, sessionId = SESSION_A, cwd = CWD_A): string {
  return assistantLine({
    messageId: `msg_start_cli_${n}`,
    requestId: `req_start_cli_${n}`,
    sessionId,
    cwd,
    timestamp: new Date().toISOString(),
    usage: { input: 1000 + n, output: 100 + n, cacheRead: 10 * n },
  });
}

function writeFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function responsesIn(dbPath: string): number {
  if (!existsSync(dbPath)) return 0;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM response').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Polls the ledger until it holds `count` responses (a hung tracker fails the wait). */
async function waitForResponses(dbPath: string, count: number): Promise<void> {
  const giveUpMs = performance.now() + ARRIVAL_TIMEOUT_MS;
  while (responsesIn(dbPath) < count) {
    if (performance.now() > giveUpMs)
      throw new Error(`the ledger holds ${responsesIn(dbPath)} of ${count} responses`);
    await sleep(25);
  }
}

describe('ctt start', () => {
  let root: string;
  let fixture: TrackerFixture;
  const trackers: TrackerChild[] = [];
  const start = (...args: string[]): TrackerChild => {
    const tracker = spawnTracker(fixture.args(...args), fixture.env);
    trackers.push(tracker);
    return tracker;
  };
  const transcript = (project: string, sessionId: string): string =>
    join(fixture.projectsDir, project, `${sessionId}.jsonl`);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ctt-start-cli-'));
    fixture = trackerFixture(root);
  });
  afterEach(async () => {
    for (const tracker of trackers.splice(0)) await tracker.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a second tracker with exit 75 naming the holder; takes over at once after a kill', async () => {
    const first = start('--json');
    await first.waitForEvent('catch-up');
    const second = start('--json', '--lock-wait', '300');
    const refused = await second.exited;
    expect(refused).toEqual({ code: 75, signal: null });
    expect(second.lines).toEqual([]);
    const message = second.stderr().trimEnd().split('\n');
    expect(message).toHaveLength(1);
    expect(message[0]).toContain(`pid ${first.pid}`);
    expect(message[0]).toContain(fixture.dbPath);

    expect(await first.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    // No waiting at all: the OS released the lock with the killed process.
    const third = start('--json', '--lock-wait', '0');
    await third.waitForEvent('catch-up');
    const stop = await third.stop('SIGTERM');
    expect(stop.code).toBe(0);
    expect(third.stderr()).toBe('');
  });

  it('stops gracefully on a signal sent as soon as the header shows', async () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGINT', 'SIGTERM'] as const) {
      const tracker = start();
      await tracker.waitForLine((line) => line.startsWith('ctt start: tracking since'));
      const stop = await tracker.stop(signal);
      expect({ signal, code: stop.code, stderr: tracker.stderr() }).toEqual({
        signal,
        code: 0,
        stderr: '',
      });
      expect(tracker.lines).toContain(`stopping (${signal}): final poll and flush`);
    }
  });

  it('stops gracefully when its stdout closes (ctt start --json | head)', async () => {
    const tracker = start('--json');
    await tracker.waitForEvent('catch-up');
    tracker.child.stdout?.destroy();
    writeFile(transcript('-p', SESSION_A), jsonl(responseLine(1)));
    expect(await tracker.exited).toEqual({ code: 0, signal: null });
    expect(tracker.stderr()).toBe('');
    // The final checkpoint ran: no write-ahead log left behind.
    const wal = `${fixture.dbPath}-wal`;
    expect(existsSync(wal) ? readFileSync(wal).length : 0).toBe(0);
  });

  it('stops on SIGTERM, exit 0, while another process holds the ledger, and reports busy errors', async () => {
    const tracker = start('--json', '--active-interval', '50');
    await tracker.waitForEvent('catch-up');
    const holder = new Database(fixture.dbPath, { timeout: 0 });
    try {
      holder.exec('BEGIN IMMEDIATE');
      writeFile(transcript('-p', SESSION_A), jsonl(responseLine(2), responseLine(3)));
      await tracker.waitForEvent('error', (event) => event['errorClass'] === 'busy');
      // SQLite's own busy wait is short and retries back off asynchronously: the signal lands
      // while the ledger is still held (a tracker past its 5 s deadline would exit 1).
      const stop = await tracker.stop('SIGTERM');
      expect(stop.code).toBe(0);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }
    const again = start('--json');
    await again.waitForEvent('catch-up');
    expect(responsesIn(fixture.dbPath)).toBe(2);
    expect((await again.stop('SIGTERM')).code).toBe(0);
  });

  it('lists its options in --help', () => {
    const help = runCtt(['start', '--help'], { HOME: fixture.home });
    expect(help.status).toBe(0);
    for (const option of [
      '--debug',
      '--json',
      '--watch <mode>',
      '--active-interval <ms>',
      '--idle-interval <ms>',
      '--reconcile-interval <ms>',
      '--session-idle-timeout <minutes>',
      '--lock-wait <ms>',
      '--workers <n>',
      '--claude-dir <dir>',
      '--claude-json <file>',
      '--db <file>',
    ])
      expect(help.stdout).toContain(option);
    expect(help.stdout).toContain('"hybrid", "events", "poll"');
  });

  it.each([
    [['--active-interval', 'abc'], '--active-interval expects a whole number, got "abc"'],
    [['--watch', 'nope'], "argument 'nope' is invalid"],
    [
      ['--active-interval', '500', '--idle-interval', '100'],
      '--idle-interval must not be shorter than --active-interval',
    ],
    [['--lock-wait', '-1'], '--lock-wait'],
  ])('exits 2 on %j and touches no ledger', (bad, message) => {
    const run = runCtt(['start', ...fixture.args(), ...bad], { HOME: fixture.home });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(existsSync(fixture.dbPath)).toBe(false);
  });

  it.each([
    ['poll', []],
    // The full poll every 10 minutes never comes within the test: events alone must bring them.
    ['events', ['--reconcile-interval', '600000']],
  ] as const)('--watch %s: appended lines all arrive', async (mode, extra) => {
    const fileA = transcript('-home-alice-src-webapp', SESSION_A);
    writeFile(fileA, jsonl(userLine({ sessionId: SESSION_A, cwd: CWD_A }), responseLine(0)));
    const tracker = start('--json', '--watch', mode, ...extra);
    await tracker.waitForEvent('catch-up');
    expect(responsesIn(fixture.dbPath)).toBe(1);
    const status = JSON.parse(readFileSync(`${fixture.dbPath}.tracker.json`, 'utf8')) as {
      watch: string;
      watchers: string;
    };
    expect(status.watch).toBe(mode);

    // Appends to a known file, a line in two parts, then a new file in a new project folder.
    appendFileSync(fileA, jsonl(responseLine(1), responseLine(2)));
    await waitForResponses(fixture.dbPath, 3);
    const split = `${responseLine(3)}\n`;
    appendFileSync(fileA, split.slice(0, 40));
    await sleep(150);
    appendFileSync(fileA, split.slice(40));
    await waitForResponses(fixture.dbPath, 4);
    const fileB = transcript('-home-alice-src-api', SESSION_B);
    writeFile(fileB, jsonl(responseLine(4, SESSION_B, CWD_B)));
    await waitForResponses(fixture.dbPath, 5);
    appendFileSync(fileB, jsonl(responseLine(5, SESSION_B, CWD_B)));
    await waitForResponses(fixture.dbPath, 6);

    const stop = await tracker.stop('SIGTERM');
    expect(stop.code).toBe(0);
    expect(tracker.stderr()).toBe('');
    const events = tracker.events();
    expect(events[0]).toMatchObject({ event: 'start', watch: mode, watchNote: null });
    const watchers = events.filter((e) => e.event === 'watchers').map((e) => e.state);
    if (mode === 'poll') {
      // Events disabled entirely: no watcher was ever started.
      expect(status.watchers).toBe('off: --watch poll');
      expect(watchers).toEqual([]);
    } else {
      expect(status.watchers).toBe('on');
      expect(watchers).toEqual(['on']);
    }
    expect(responsesIn(fixture.dbPath)).toBe(6);
  });

  it('--json prints NDJSON only, from "start" to "stopped"', async () => {
    const file = transcript('-home-alice-src-webapp', SESSION_A);
    writeFile(file, jsonl(responseLine(0)));
    const tracker = start('--json', '--debug');
    await tracker.waitForEvent('catch-up');
    appendFileSync(file, jsonl(responseLine(1)));
    const change = await tracker.waitForEvent('change', (e) => e['kind'] === 'usage');
    expect(change).toMatchObject({ source: 'transcript', sessionId: SESSION_A, project: CWD_A });
    const stop = await tracker.stop('SIGINT');
    expect(stop.code).toBe(0);
    expect(tracker.stderr()).toBe('');
    const raw = tracker.lines;
    expect(raw.length).toBeGreaterThan(4);
    for (const line of raw) {
      const event = JSON.parse(line) as Record<string, unknown>;
      expect(typeof event['event']).toBe('string');
      expect(Number.isNaN(Date.parse(String(event['time'])))).toBe(false);
    }
    const names = tracker.events().map((e) => e.event);
    expect(names[0]).toBe('start');
    expect(names).toContain('catch-up');
    expect(names).toContain('poll');
    expect(names.slice(-2)).toEqual(['poll', 'stopped']);
    expect(names.filter((name) => name === 'stopping')).toHaveLength(1);
  });

  it('prints the audit trail: a change line group with the project and its deltas', async () => {
    const file = transcript('-home-alice-src-webapp', SESSION_A);
    writeFile(file, jsonl(userLine({ sessionId: SESSION_A, cwd: CWD_A })));
    const tracker = start();
    await tracker.waitForLine((line) => line.startsWith('caught up: '));
    appendFileSync(
      file,
      jsonl(
        assistantLine({
          messageId: 'msg_trail_1',
          requestId: 'req_trail_1',
          sessionId: SESSION_A,
          cwd: CWD_A,
          timestamp: new Date().toISOString(),
          usage: { input: 1234, output: 567, cacheWrite: 2000, cacheRead: 89012 },
        }),
      ),
    );
    const header = await tracker.waitForLine((line) => line.endsWith('transcript usage'));
    expect(header).toMatch(
      /^\d\d:\d\d:\d\d \/home\/alice\/src\/webapp session 3f1c2b7a… transcript usage$/,
    );
    const deltas = tracker.lines[tracker.lines.indexOf(header) + 1];
    expect(deltas).toMatch(
      /^ +input \+1,234 {2}output \+567 {2}cache write \+2,000 {2}cache read \+89,012 {2}cost \+\$\d+\.\d+$/,
    );
    await tracker.waitForLine((line) => / session 3f1c2b7a… started \(transcript\)$/.test(line));
    const stop = await tracker.stop('SIGTERM');
    expect(stop.code).toBe(0);
    expect(tracker.lines[0]).toMatch(/^ctt start: tracking since .+ UTC \(pid \d+, ctt .+\)$/);
    expect(tracker.lines).toContain('stopping (SIGTERM): final poll and flush');
    expect(tracker.lines.at(-1)).toMatch(/^stopped after [\d,]+ polls \(shutdown took .+\)$/);
  });
});
