/** `ctt changes` through the built CLI, on a ledger filled with real ChangeLog rows. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeLog, type ChangeRecord } from '../../src/store/change-log.js';
import { openLedger } from '../../src/store/database.js';
import { makeTempTree, type TempTree } from '../helpers/temp-tree.js';
import { CTT_BIN, runCtt } from './run-ctt.js';

/** 2026-11-30 23:30 UTC: already 2026-12-01 in Kolkata (UTC+5:30). */
const LATE = Date.UTC(2026, 10, 30, 23, 30, 0);
const MIN = 60_000;
const SESSION = '5b0e1c2d-aaaa-bbbb-cccc-000000000001';

const RECORDS: readonly ChangeRecord[] = [
  {
    timeMs: LATE - 60 * MIN,
    source: 'hook',
    kind: 'session-start',
    project: '/home/ann/WebApp',
    sessionId: SESSION,
    delta: {},
    detail: { source: 'startup' },
  },
  {
    timeMs: LATE - 30 * MIN,
    source: 'transcript',
    kind: 'usage',
    project: '/home/ann/WebApp',
    sessionId: SESSION,
    delta: { inputTokens: 1200, outputTokens: 340, cacheReadTokens: 50_000, costUsd: 0.0421 },
    detail: { model: 'claude-opus-4-1' },
  },
  {
    timeMs: LATE,
    source: 'claude-json',
    kind: 'updated',
    project: '/srv/api',
    sessionId: 'ffff0000-0000-0000-0000-000000000002',
    delta: { costUsd: 0.25, linesAdded: 12, linesRemoved: 3, webSearchRequests: 1 },
  },
  {
    timeMs: LATE + 45 * MIN,
    source: 'tracker',
    kind: 'anomaly-reset',
    project: '/srv/api',
    sessionId: 'ffff0000-0000-0000-0000-000000000002',
    delta: {},
  },
];

interface JsonChanges {
  changes: { id: number; time: string; kind: string; delta: Record<string, number> }[];
}

let tree: TempTree;
let env: Record<string, string>;

function ctt(...args: string[]): ReturnType<typeof runCtt> {
  return runCtt(args, env);
}

function jsonIds(...args: string[]): number[] {
  const run = ctt('changes', '--json', ...args);
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as JsonChanges).changes.map((c) => c.id);
}

beforeAll(() => {
  tree = makeTempTree('ctt-changes-e2e-');
  env = { HOME: tree.base, CTT_DB: tree.ledgerPath };
  const db = openLedger(tree.ledgerPath);
  const log = new ChangeLog(db);
  db.transaction(() => RECORDS.forEach((r) => log.insert(r)))();
  db.close();
});

afterAll(() => tree.cleanup());

describe('ctt changes (built CLI)', () => {
  it('prints the trail as JSON in the contract shape, newest last', () => {
    const run = ctt('changes', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const body = JSON.parse(run.stdout) as JsonChanges;
    expect(body.changes.map((c) => c.id)).toEqual([1, 2, 3, 4]);
    expect(body.changes[1]).toEqual({
      id: 2,
      time: '2026-11-30T23:00:00.000Z',
      source: 'transcript',
      kind: 'usage',
      project: '/home/ann/WebApp',
      sessionId: SESSION,
      delta: {
        inputTokens: 1200,
        outputTokens: 340,
        cacheCreationTokens: 0,
        cacheReadTokens: 50_000,
        costUSD: 0.0421,
        linesAdded: 0,
        linesRemoved: 0,
        webSearchRequests: 0,
      },
      detail: { model: 'claude-opus-4-1' },
    });
  });

  it('filters by project, session prefix, source, kind family and --last', () => {
    expect(jsonIds('--project', 'webapp')).toEqual([1, 2]);
    expect(jsonIds('--session', '5b0e')).toEqual([1, 2]);
    expect(jsonIds('--source', 'claude-json,tracker')).toEqual([3, 4]);
    expect(jsonIds('--kind', 'anomaly')).toEqual([4]);
    expect(jsonIds('--kind', 'session,usage', '--last', '1')).toEqual([2]);
    expect(jsonIds('--last', '2')).toEqual([3, 4]);
  });

  it('reads --since/--until days in --timezone, and date-times as instants', () => {
    expect(jsonIds('--since', '2026-11-30', '--until', '2026-11-30')).toEqual([1, 2, 3]);
    expect(jsonIds('--since', '20261201', '--timezone', 'UTC')).toEqual([4]);
    // In Kolkata (UTC+5:30) every change is on 1 December; in Los Angeles all are on 30 November.
    expect(jsonIds('--since', '2026-12-01', '--tz', 'Asia/Kolkata')).toEqual([1, 2, 3, 4]);
    expect(jsonIds('--until', '2026-11-30', '--tz', 'Asia/Kolkata')).toEqual([]);
    expect(
      jsonIds('--since', '2026-11-30', '--until', '2026-11-30', '--tz', 'America/Los_Angeles'),
    ).toEqual([1, 2, 3, 4]);
    expect(jsonIds('--since', '2026-11-30T23:00:00Z', '--until', '2026-11-30T23:30Z')).toEqual([
      2, 3,
    ]);
    expect(jsonIds('--until', '2026-12-01T05:00', '--timezone', 'Asia/Kolkata')).toEqual([1, 2, 3]);
  });

  it('prints CSV with the same names flattened', () => {
    const run = ctt('changes', '--csv', '--kind', 'updated');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      'id,time,source,kind,project,sessionId,inputTokens,outputTokens,cacheCreationTokens,' +
        'cacheReadTokens,costUSD,linesAdded,linesRemoved,webSearchRequests,detail\n' +
        '3,2026-11-30T23:30:00.000Z,claude-json,updated,/srv/api,' +
        'ffff0000-0000-0000-0000-000000000002,0,0,0,0,0.25,12,3,1,\n',
    );
  });

  it('prints a table in local time with only the moved columns and a total', () => {
    const run = runCtt(['changes', '--timezone', 'Asia/Kolkata'], { ...env, COLUMNS: '200' });
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toContain('2026-12-01 04:30:00'); // the usage change, 23:00 UTC
    expect(out).toContain('session-start');
    expect(out).toContain('anomaly-reset');
    expect(out).toMatch(/Input.*Output.*Cache Read.*Cost \(USD\).*\+Lines.*-Lines.*Searches/);
    expect(out).not.toContain('Cache Create');
    expect(out).toMatch(/Total\W+1,200\W+340\W+50,000\W+\$0\.29\W+12\W+3\W+1\W/);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(200);
    expect(out.trimEnd().split('\n').at(-1)).toBe('4 changes, times in Asia/Kolkata');
  });

  it('tells an empty result from an empty trail, and never creates a missing ledger', () => {
    const none = ctt('changes', '--project', 'nothing-like-this');
    expect(none.status, none.stderr).toBe(0);
    expect(none.stdout).toBe('No changes match these filters (the trail holds 4).\n');

    const missing = `${tree.base}/absent/ledger.db`;
    const run = runCtt(['changes', '--db', missing], { HOME: tree.base });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^No changes recorded yet/);
    expect(existsSync(missing)).toBe(false);
    const json = runCtt(['changes', '--json', '--db', missing], { HOME: tree.base });
    expect(JSON.parse(json.stdout)).toEqual({ changes: [] });
  });

  describe('on a long trail', () => {
    // JSON of 1,500 changes stays under spawnSync's 1 MiB output buffer in runCtt.
    const COUNT = 1500;
    let long: string;
    beforeAll(() => {
      long = join(tree.base, 'long.db');
      const db = openLedger(long);
      const log = new ChangeLog(db);
      db.transaction(() => {
        for (let i = 0; i < COUNT; i++) {
          log.insert({ ...RECORDS[1]!, timeMs: LATE + i * 1000, delta: { outputTokens: i } });
        }
      })();
      db.close();
    });

    it('a table shows the newest 200 and says how many matched; --last shows more', () => {
      const table = runCtt(['changes', '--db', long], { ...env, COLUMNS: '200' });
      expect(table.status, table.stderr).toBe(0);
      const rows = table.stdout.split('\n').filter((l) => l.startsWith('│ 2026-'));
      expect(rows).toHaveLength(200);
      expect(rows[0]).toContain('2026-11-30 23:51:40'); // change 1300, 1,300 s after the first
      expect(table.stdout.trimEnd().split('\n').at(-1)).toBe(
        'the newest 200 of 1,500 changes (--last N for more, --json or --csv for all), times in UTC',
      );
      const more = runCtt(['changes', '--db', long, '--last', '300'], { ...env, COLUMNS: '200' });
      expect(more.stdout.split('\n').filter((l) => l.startsWith('│ 2026-'))).toHaveLength(300);
      expect(more.stdout.trimEnd().split('\n').at(-1)).toBe('300 changes, times in UTC');
    });

    it('JSON and CSV hold every change, in order', () => {
      const json = runCtt(['changes', '--db', long, '--json'], env);
      const changes = (JSON.parse(json.stdout) as JsonChanges).changes;
      expect(changes.map((c) => c.delta['outputTokens'])).toEqual([...Array(COUNT).keys()]);
      const csv = runCtt(['changes', '--db', long, '--csv'], env).stdout;
      expect(csv.split('\n')).toHaveLength(COUNT + 2); // header, the changes, the empty end
    });

    it.each(['--json', '--csv'])(
      'a reader that stops early (| head) ends %s quietly with exit 0',
      (format) => {
        const err = join(tree.base, `err${format}`);
        const rc = join(tree.base, `rc${format}`);
        const ctt = `"${process.execPath}" "${CTT_BIN}" changes ${format} --db "${long}"`;
        const result = spawnSync(
          '/bin/sh',
          ['-c', `{ ${ctt} 2>"${err}"; echo $? >"${rc}"; } | head -c 100 >/dev/null`],
          { env: { PATH: process.env['PATH'] ?? '', HOME: tree.base, TZ: 'UTC' } },
        );
        expect(result.status).toBe(0);
        expect(readFileSync(err, 'utf8')).toBe('');
        expect(readFileSync(rc, 'utf8').trim()).toBe('0');
      },
    );
  });

  it.each([
    [['--source', 'transcripts'], /--source "transcripts" is not a change source/],
    [['--since', 'last tuesday'], /--since "last tuesday" is not a date, date-time or span/],
    [['--since', '2026-12-02', '--until', '2026-12-01'], /is after --until/],
    [['--last', 'ten'], /--last expects a whole number/],
    [['--json', '--csv'], /choose one of --json and --csv/],
    [['--timezone', 'Mars/Olympus'], /unknown time zone "Mars\/Olympus"/],
    [['--session', ' '], /--session expects a session id/],
  ])('exits 2 with a one-line reason for %j', (args, reason) => {
    const run = ctt('changes', ...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const [first, ...rest] = run.stderr.trimEnd().split('\n');
    expect(first).toMatch(reason);
    expect(rest).toEqual(["run 'ctt --help' for usage"]);
  });
});
