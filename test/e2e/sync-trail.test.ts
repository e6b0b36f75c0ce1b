/**
 * The audit trail and `cost-state` lines through the built CLI, on a generated corpus of every
 * era and trap: read on the main thread and in reader threads, the ledgers hold the same
 * `cost-state` rows (every one the test finds with JSON.parse), and the transcript changes sum
 * per session to the corpus oracle's tokens and to the responses.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../tools/corpus/generate-corpus.js';
import type { CorpusManifest } from '../../tools/corpus/manifest.js';
import { runCtt } from './run-ctt.js';

interface CostStateSeen {
  readonly path: string;
  readonly byteOffset: number;
  readonly sessionId: string;
  readonly totalCostUsd: number;
  readonly linesAdded: number;
}

function transcripts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every `cost-state` record on a complete line that JSON.parse accepts. */
function costStatesIn(path: string): CostStateSeen[] {
  const bytes = readFileSync(path);
  const seen: CostStateSeen[] = [];
  let start = 0;
  for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
    let record: Record<string, unknown> | null = null;
    try {
      record = JSON.parse(bytes.toString('utf8', start, newline)) as Record<string, unknown>;
    } catch {
      record = null;
    }
    if (record?.['type'] === 'cost-state') {
      seen.push({
        path,
        byteOffset: start,
        sessionId: record['sessionId'] as string,
        totalCostUsd: record['totalCostUSD'] as number,
        linesAdded: record['totalLinesAdded'] as number,
      });
    }
    start = newline + 1;
  }
  return seen;
}

function costStateRows(db: Database.Database): CostStateSeen[] {
  return db
    .prepare(
      `SELECT f.path AS path, c.byte_offset AS byteOffset, c.session_id AS sessionId,
         c.total_cost_usd AS totalCostUsd, c.lines_added AS linesAdded
       FROM cost_state c JOIN source_file f ON f.id = c.file_id
       ORDER BY f.path, c.byte_offset`,
    )
    .all() as CostStateSeen[];
}

interface SessionSums {
  responses: number;
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  cost: number;
}

function trailBySession(db: Database.Database): Map<string, SessionSums> {
  const rows = db
    .prepare(
      `SELECT session_id AS session, sum(json_extract(detail, '$.responses')) AS responses,
         sum(input_tokens) AS input, sum(output_tokens) AS output,
         sum(cache_creation_tokens) AS cacheCreation, sum(cache_read_tokens) AS cacheRead,
         total(cost_usd) AS cost
       FROM change_event WHERE source = 'transcript' GROUP BY 1`,
    )
    .all() as (SessionSums & { session: string | null })[];
  return new Map(rows.map(({ session, ...sums }) => [session ?? '', sums]));
}

function responsesBySession(db: Database.Database): Map<string, SessionSums> {
  const rows = db
    .prepare(
      `SELECT session_id AS session, count(*) AS responses, sum(input_tokens) AS input,
         sum(output_tokens) AS output, sum(cache_creation_tokens) AS cacheCreation,
         sum(cache_read_tokens) AS cacheRead, total(coalesce(cost_usd_logged, cost_usd)) AS cost
       FROM response GROUP BY 1`,
    )
    .all() as (SessionSums & { session: string | null })[];
  return new Map(rows.map(({ session, ...sums }) => [session ?? '', sums]));
}

function rounded(map: Map<string, SessionSums>): Record<string, SessionSums> {
  return Object.fromEntries(
    [...map].map(([key, sums]) => [key, { ...sums, cost: Math.round(sums.cost * 1e9) / 1e9 }]),
  );
}

describe('cost-state and the trail through `ctt sync` (built CLI)', () => {
  let root: string;
  let manifest: CorpusManifest;
  const ledgers: Record<'inline' | 'threads', Database.Database | null> = {
    inline: null,
    threads: null,
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ctt-trail-'));
    manifest = await generateCorpus({ root: join(root, 'corpus'), seed: 5, targetBytes: 3e6 });
    const dirs = manifest.configDirs.flatMap((dir) => ['--claude-dir', dir]);
    for (const [name, workers] of [
      ['inline', '0'],
      ['threads', '2'],
    ] as const) {
      const db = join(root, `${name}.db`);
      const env = { HOME: join(root, 'home-empty') };
      const run = runCtt(['sync', '--quiet', '--workers', workers, ...dirs, '--db', db], env);
      expect(run.status, run.stderr).toBe(0);
      const ledger = new Database(db, { readonly: true });
      const rows = (): number[] =>
        ['change_event', 'cost_state'].map(
          (table) =>
            (ledger.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
        );
      const before = rows();
      // A second sync reads nothing new and records nothing.
      expect(runCtt(['sync', '--quiet', ...dirs, '--db', db], env).status).toBe(0);
      expect(rows()).toEqual(before);
      ledger.close();
      ledgers[name] = new Database(db, { readonly: true });
    }
  });
  afterAll(() => {
    ledgers.inline?.close();
    ledgers.threads?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const both = (): [Database.Database, Database.Database] => {
    if (ledgers.inline === null || ledgers.threads === null) throw new Error('no ledgers');
    return [ledgers.inline, ledgers.threads];
  };

  it('stores every cost-state line once, the same on the main thread and in threads', () => {
    const [inline, threads] = both();
    const expected = manifest.configDirs
      .flatMap((dir) => transcripts(dir))
      .flatMap(costStatesIn)
      .sort((a, b) => (a.path === b.path ? a.byteOffset - b.byteOffset : a.path < b.path ? -1 : 1));
    expect(expected.length).toBeGreaterThan(10);
    const rows = costStateRows(inline);
    expect(costStateRows(threads)).toEqual(rows);
    const key = (c: CostStateSeen): string => `${c.path}@${c.byteOffset}`;
    const stored = new Map(rows.map((row) => [key(row), row]));
    for (const seen of expected) expect(stored.get(key(seen)), key(seen)).toEqual(seen);
  });

  it('sums the transcript trail per session to the oracle tokens and to the responses', () => {
    const [inline, threads] = both();
    const trail = trailBySession(inline);
    expect(rounded(trailBySession(threads))).toEqual(rounded(trail));
    expect(rounded(trail)).toEqual(rounded(responsesBySession(inline)));
    for (const [session, expected] of Object.entries(manifest.expected.bySession)) {
      const sums = trail.get(session);
      expect(sums, session).toBeDefined();
      expect(
        [sums?.input, sums?.output, sums?.cacheCreation, sums?.cacheRead],
        `tokens of ${session}`,
      ).toEqual([
        expected.inputTokens,
        expected.outputTokens,
        expected.cacheCreationTokens,
        expected.cacheReadTokens,
      ]);
    }
  });
});
