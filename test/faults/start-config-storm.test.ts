/**
 * Config storm through the real tracker (reliability §3 T13–T15, end to end): the storm writer
 * child rewrites `~/.claude.json` 10,000 times the ways Claude Code does (torn chunked writes,
 * atomic renames, resets to `{}` and to defaults, stale backup restores, a corrupted file, new and
 * resumed sessions, growing counters) while `ctt start --active-interval 10` tracks it, and the
 * tracker is SIGKILLed and restarted a few times. The writer's truth is the oracle: per (project,
 * session, field) the baseline plus the recorded deltas never exceed the true final value (0
 * false-delta tokens), no delta is negative, the sums equal the ledger's high-water marks (each
 * rise recorded once across the kills), and after the last save every current session is exact.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTER_SOURCE_KEYS, type CounterField } from '../../src/core/counter-values.js';
import { cttEnv, eventually, readLedger } from './start-scenario-helpers.js';
import { spawnTracker, type TrackerChild } from './tracker-child.js';

const WRITER = fileURLToPath(new URL('./claude-json-writer.js', import.meta.url));
const REWRITES = 10_000;
/** SIGKILL the tracker and start a new one when the writer reports these rewrite counts. */
const KILL_AT = new Set([2_000, 5_000, 8_000]);
const TOLERANCE = 1e-6;

interface Truth {
  /** [project, session, file key or `model:<id>:<field>`, true final value] */
  readonly finals: [string, string, string, number][];
  /** Each project's session in the last save. */
  readonly current: [string, string][];
  readonly stats: Record<string, number>;
}

const TOKEN_KEYS = new Set([
  'lastTotalInputTokens',
  'lastTotalOutputTokens',
  'lastTotalCacheCreationInputTokens',
  'lastTotalCacheReadInputTokens',
]);
const isTokenKey = (key: string): boolean =>
  TOKEN_KEYS.has(key) ||
  /:(inputTokens|outputTokens|cacheReadInputTokens|cacheCreationInputTokens)$/.test(key);

const keyOf = (project: string, session: string, key: string): string =>
  `${project}|${session}|${key}`;

/** Trail field (a delta column, a duration, a mark key) → the file's own key. */
function fileKey(field: string): string | undefined {
  if (field.startsWith('model:')) return field;
  return (COUNTER_SOURCE_KEYS as Record<string, string>)[field as CounterField];
}

const DELTA_COLUMNS = {
  input_tokens: 'inputTokens',
  output_tokens: 'outputTokens',
  cache_creation_tokens: 'cacheCreationTokens',
  cache_read_tokens: 'cacheReadTokens',
  cost_usd: 'costUsd',
  lines_added: 'linesAdded',
  lines_removed: 'linesRemoved',
  web_search_requests: 'webSearchRequests',
} as const;

interface TrailSums {
  /** Baseline totals plus every recorded delta, per (project, session, file key). */
  readonly sums: Map<string, number>;
  readonly negatives: number;
  readonly rows: Record<string, number>;
  /** The ledger's high-water marks, per (project, session, file key). */
  readonly marks: Map<string, number>;
}

type Row = Record<keyof typeof DELTA_COLUMNS, number> & {
  kind: string;
  project: string | null;
  session_id: string | null;
  detail: string | null;
};

function readTrailSums(dbPath: string): TrailSums {
  return readLedger(dbPath, (db) => {
    const sums = new Map<string, number>();
    const rows: Record<string, number> = {};
    let negatives = 0;
    const add = (row: Row, field: string, amount: unknown): void => {
      const key = fileKey(field);
      if (typeof amount !== 'number' || key === undefined) return;
      if (amount < 0) negatives++;
      const at = keyOf(row.project ?? '', row.session_id ?? '', key);
      sums.set(at, (sums.get(at) ?? 0) + amount);
    };
    const trail = db
      .prepare(`SELECT * FROM change_event WHERE source = 'claude-json' ORDER BY id`)
      .all() as Row[];
    for (const row of trail) {
      rows[row.kind] = (rows[row.kind] ?? 0) + 1;
      const detail = (row.detail === null ? {} : JSON.parse(row.detail)) as Record<string, unknown>;
      const models = (row.kind === 'baseline' ? detail['modelsTo'] : detail['models']) as
        | Record<string, Record<string, number>>
        | undefined;
      for (const [model, fields] of Object.entries(models ?? {}))
        for (const [field, amount] of Object.entries(fields))
          add(row, `model:${model}:${field}`, amount);
      if (row.kind === 'baseline') {
        for (const [field, value] of Object.entries(detail['to'] ?? {})) add(row, field, value);
      } else if (!row.kind.startsWith('anomaly-')) {
        for (const [column, field] of Object.entries(DELTA_COLUMNS)) {
          const amount = row[column as keyof typeof DELTA_COLUMNS];
          if (amount !== 0) add(row, field, amount);
        }
        for (const [field, amount] of Object.entries(detail['durations'] ?? {}))
          add(row, field, amount);
      }
    }
    const marks = new Map<string, number>();
    const markRows = db
      .prepare('SELECT project, session_id, key, value FROM claude_json_mark')
      .all() as {
      project: string;
      session_id: string;
      key: string;
      value: number;
    }[];
    for (const { project, session_id, key, value } of markRows) {
      const mapped = fileKey(key);
      if (mapped !== undefined) marks.set(keyOf(project, session_id, mapped), value);
    }
    return { sums, negatives, rows, marks };
  });
}

describe('~/.claude.json storm through ctt start', () => {
  const root = mkdtempSync(join(tmpdir(), 'ctt-start-config-storm-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('10,000 rewrites while a real tracker polls every 10 ms and is SIGKILLed 3 times: 0 false-delta tokens', async () => {
    const home = join(root, 'home');
    mkdirSync(join(home, '.claude', 'projects'), { recursive: true });
    const claudeJson = join(home, '.claude.json');
    const dbPath = join(home, '.local', 'share', 'claude-token-tracker', 'ledger.db');
    const env = cttEnv(home);
    const args = ['--json', '--debug', '--active-interval', '10', '--idle-interval', '10'];

    const writer = spawn(process.execPath, [WRITER, claudeJson, '20261205', String(REWRITES)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const trackers: TrackerChild[] = [];
    try {
      let ready!: () => void;
      const isReady = new Promise<void>((resolve) => (ready = resolve));
      const killsDue: number[] = [];
      let truth: Truth | undefined;
      createInterface({ input: writer.stdout }).on('line', (line) => {
        if (line === 'ready') ready();
        else if (line.startsWith('progress ')) {
          const done = Number(line.slice('progress '.length));
          if (KILL_AT.has(done)) killsDue.push(done);
        } else truth = JSON.parse(line) as Truth;
      });
      const writerExit = new Promise<number | null>((resolve) => writer.on('exit', resolve));
      let writing = true;
      void writerExit.then(() => (writing = false));
      await isReady;

      // The first tracker adopts the initial file (one saved session) as its baseline.
      let tracker = spawnTracker(args, env);
      trackers.push(tracker);
      await tracker.waitForEvent('catch-up');
      writer.stdin.end('go\n');

      let kills = 0;
      while (writing) {
        if (killsDue.length > 0) {
          killsDue.shift();
          const exit = await tracker.kill();
          expect(exit.signal).toBe('SIGKILL');
          kills++;
          tracker = spawnTracker(args, env);
          trackers.push(tracker);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await writerExit).toBe(0);
      expect(truth).toBeDefined();
      const { finals, current, stats } = truth as Truth;
      const truthBy = new Map(finals.map(([p, s, k, v]) => [keyOf(p, s, k), v]));
      const currentKeys = finals.filter(([p, s]) =>
        current.some(([cp, cs]) => cp === p && cs === s),
      );

      // The writer is done and its last save is on disk: the tracker's next polls record it.
      await eventually(
        'every current session recorded exactly',
        () => {
          const { sums } = readTrailSums(dbPath);
          return currentKeys.every(
            ([p, s, k, v]) => Math.abs((sums.get(keyOf(p, s, k)) ?? 0) - v) <= TOLERANCE,
          );
        },
        30_000,
        100,
      );
      const stop = await tracker.stop('SIGTERM');
      expect(stop.code).toBe(0);

      const { sums, negatives, rows, marks } = readTrailSums(dbPath);
      let falseDeltaTokens = 0;
      let excessOther = 0;
      let unknownKeys = 0;
      for (const [key, sum] of sums) {
        const trueFinal = truthBy.get(key);
        if (trueFinal === undefined) {
          unknownKeys++;
          continue;
        }
        const excess = Math.max(0, sum - trueFinal - TOLERANCE);
        if (isTokenKey(key.slice(key.lastIndexOf('|') + 1))) falseDeltaTokens += excess;
        else excessOther += excess;
      }
      let marksOff = 0;
      for (const key of new Set([...sums.keys(), ...marks.keys()]))
        if (Math.abs((marks.get(key) ?? 0) - (sums.get(key) ?? 0)) > TOLERANCE) marksOff++;
      let [truthTokens, unobservedTokens] = [0, 0];
      for (const [p, s, key, value] of finals) {
        if (!isTokenKey(key)) continue;
        truthTokens += value;
        unobservedTokens += value - (sums.get(keyOf(p, s, key)) ?? 0);
      }
      const polls = trackers.flatMap((t) => t.events().filter((e) => e.event === 'poll'));
      const tornReads = polls.reduce((n, e) => n + Number(e['tornReads'] ?? 0), 0);
      const outcomes: Record<string, number> = {};
      for (const poll of polls) {
        const outcome = String(poll['claudeJson']);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
      const anomalies = Object.fromEntries(
        Object.entries(rows).filter(([kind]) => kind.startsWith('anomaly-')),
      );
      const stderr = trackers.map((t) => t.stderr()).join('');
      console.info(
        `start config storm: ${stats['rewrites']} rewrites (${stats['atomic']} atomic, ${stats['chunked']} chunked, ` +
          `${stats['resets']} resets, ${stats['stale']} stale restores, ${stats['corrupt']} corrupt, ` +
          `${stats['sessions']} sessions, ${stats['resumes']} resumes); ${trackers.length} tracker runs ` +
          `(${kills} SIGKILLs), ${polls.length} polls, ${tornReads} torn reads, outcomes ${JSON.stringify(outcomes)}; ` +
          `trail ${JSON.stringify(rows)}; anomalies ${JSON.stringify(anomalies)}; false delta ${falseDeltaTokens} tokens; ` +
          `unobserved ${unobservedTokens} of ${truthTokens} tokens (overwritten between polls, §2.7)`,
      );

      expect(falseDeltaTokens).toBe(0);
      expect(excessOther).toBe(0);
      expect(negatives).toBe(0);
      expect(unknownKeys).toBe(0);
      expect(marksOff).toBe(0);
      for (const [p, s, k, v] of currentKeys)
        expect(sums.get(keyOf(p, s, k)) ?? 0, keyOf(p, s, k)).toBeCloseTo(v, 6);
      expect(currentKeys.length).toBeGreaterThan(0);
      expect(stats['rewrites']).toBeGreaterThanOrEqual(REWRITES);
      expect(kills).toBe(KILL_AT.size);
      expect(tornReads).toBeGreaterThan(0);
      expect(Object.keys(anomalies).length).toBeGreaterThan(0);
      expect(stderr).toBe('');
      expect(readLedger(dbPath, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
    } finally {
      writer.kill('SIGKILL');
      await Promise.all(trackers.map((t) => t.kill()));
    }
  }, 120_000);
});
