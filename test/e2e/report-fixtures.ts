/**
 * Fixture trees for the report e2e tests: an isolated HOME holding `~/.claude/projects/<dir>/<session>.jsonl`
 * transcripts written in Claude Code's line format, a ledger path inside it, and a runner for the
 * built CLI against both. The expected numbers live in the tests, next to their arithmetic.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assistantLine,
  jsonl,
  progressLine,
  syntheticLine,
  userLine,
  type Tokens,
} from '../helpers/claude-lines.js';
import { runCtt, type CttRun } from './run-ctt.js';

export const SONNET = 'claude-sonnet-4-5-20250929';
export const HAIKU = 'claude-haiku-4-5-20251001';
/** Not in the price catalogue: unpriced. */
export const NOVA = 'claude-nova-7';

/** List prices in USD per million tokens (pricing catalogue tiers `tier_3_15` and `haiku_45`). */
export const PRICE = {
  sonnet: { input: 3, output: 15, write5m: 3.75, write1h: 6, read: 0.3 },
  haiku: { input: 1, output: 5, write5m: 1.25, write1h: 2, read: 0.1 },
  webSearch: 0.01,
} as const;

/** One API response as a fixture writes it. */
export interface FixtureResponse {
  readonly messageId: string;
  readonly requestId?: string;
  readonly timestamp: string;
  readonly model: string;
  readonly tokens: Tokens;
  /** Claude Code ≤ 1.0.9 wrote a `costUSD` on the line. */
  readonly costUSD?: number;
  /** Write a streaming copy (output 1) before the final line. */
  readonly streamed?: boolean;
}

export interface FixtureSession {
  readonly projectDir: string;
  readonly cwd: string;
  readonly sessionId: string;
  readonly responses: readonly FixtureResponse[];
}

/** The transcript lines of a session: a prompt, then each response (streamed ones twice). */
export function sessionLines(session: FixtureSession): string[] {
  const { sessionId, cwd } = session;
  const lines: string[] = [];
  for (const r of session.responses) {
    lines.push(userLine({ sessionId, cwd, timestamp: r.timestamp }));
    const base = {
      messageId: r.messageId,
      requestId: r.requestId ?? `req_${r.messageId}`,
      model: r.model,
      sessionId,
      cwd,
      timestamp: r.timestamp,
      ...(r.costUSD === undefined ? {} : { costUSD: r.costUSD, version: '1.0.8' }),
    };
    if (r.streamed === true) {
      // The first streaming block: same key, usage with only the first output token.
      lines.push(assistantLine({ ...base, usage: { ...r.tokens, output: 1 } }));
    }
    lines.push(assistantLine({ ...base, usage: r.tokens }));
  }
  return lines;
}

export interface RunOptions {
  readonly tz?: string;
  readonly columns?: number;
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
}

export interface ReportHome {
  readonly home: string;
  /** `<home>/.claude`, found by default as `~/.claude`. */
  readonly claudeDir: string;
  readonly projectsDir: string;
  readonly db: string;
  transcriptPath(projectDir: string, sessionId: string): string;
  /** Writes a session's transcript (replacing it); returns its path. */
  writeSession(session: FixtureSession, extraLines?: readonly string[]): string;
  append(path: string, text: string): void;
  /** Sets a file's mtime (and atime) `daysAgo` days before `nowMs`. */
  age(path: string, daysAgo: number, nowMs?: number): void;
  writeSettings(settings: Record<string, unknown>): void;
  /** Runs the built CLI with `--db` in the tree, HOME set to it, `TZ` (default UTC). */
  run(args: readonly string[], options?: RunOptions): CttRun;
  /** `run` that must exit 0 and print JSON. */
  json<T>(args: readonly string[], options?: RunOptions): T;
  cleanup(): void;
}

export function makeReportHome(prefix = 'ctt-reports-'): ReportHome {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const claudeDir = join(home, '.claude');
  const projectsDir = join(claudeDir, 'projects');
  const db = join(home, 'ledger.db');
  const transcriptPath = (projectDir: string, sessionId: string): string =>
    join(projectsDir, projectDir, `${sessionId}.jsonl`);
  const run = (args: readonly string[], options: RunOptions = {}): CttRun =>
    runCtt([...args, '--db', db], {
      HOME: home,
      TZ: options.tz ?? 'UTC',
      NO_COLOR: '1',
      COLUMNS: String(options.columns ?? 120),
      ...options.env,
    });
  return {
    home,
    claudeDir,
    projectsDir,
    db,
    transcriptPath,
    writeSession(session, extraLines = []) {
      const path = transcriptPath(session.projectDir, session.sessionId);
      mkdirSync(join(projectsDir, session.projectDir), { recursive: true });
      writeFileSync(path, jsonl(...sessionLines(session), ...extraLines));
      return path;
    },
    append: (path, text) => appendFileSync(path, text),
    age(path, daysAgo, nowMs = Date.now()) {
      const when = new Date(nowMs - daysAgo * 86_400_000);
      utimesSync(path, when, when);
    },
    writeSettings(settings) {
      mkdirSync(claudeDir, { recursive: true });
      writeFileSync(join(claudeDir, 'settings.json'), JSON.stringify(settings));
    },
    run,
    json<T>(args: readonly string[], options: RunOptions = {}): T {
      const result = run([...args, '--json'], options);
      if (result.status !== 0) {
        throw new Error(`ctt ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
      }
      return JSON.parse(result.stdout) as T;
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/**
 * `home` whose runs are remembered by their arguments and options: for a tree no test changes,
 * so that tests asking for the same report share one process.
 */
export function withRunCache(home: ReportHome): ReportHome {
  const cache = new Map<string, CttRun>();
  const run = (args: readonly string[], options: RunOptions = {}): CttRun => {
    const key = JSON.stringify([args, options]);
    let result = cache.get(key);
    if (result === undefined) {
      result = home.run(args, options);
      cache.set(key, result);
    }
    return result;
  };
  return {
    ...home,
    run,
    json<T>(args: readonly string[], options: RunOptions = {}): T {
      const result = run([...args, '--json'], options);
      if (result.status !== 0) {
        throw new Error(`ctt ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
      }
      return JSON.parse(result.stdout) as T;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The main fixture: two projects, three sessions, three models (one unpriced), in UTC January and
// February 2026 (no DST anywhere near). Token counts are chosen so costs are easy to add by hand.

export const WEBAPP = { cwd: '/home/alice/src/webapp', projectDir: '-home-alice-src-webapp' };
/** A path with a comma and quotes, to exercise CSV quoting. */
export const BILLING = {
  cwd: '/home/alice/src/billing, "v2"',
  projectDir: '-home-alice-src-billing---v2-',
};

export const S1 = '11111111-1111-4111-8111-111111111111';
export const S2 = '22222222-2222-4222-8222-222222222222';
export const S3 = '33333333-3333-4333-8333-333333333333';

/**
 * - S1 (webapp): r1 sonnet 2026-01-05T10:00Z, streamed, 1-hour cache writes;
 *                r2 haiku 2026-01-05T11:30Z with 2 web searches
 * - S2 (billing): r3 sonnet 2026-01-05T23:00Z; r4 nova (unpriced) 2026-01-06T09:00Z
 * - S3 (webapp): r5 haiku 2026-02-02T08:15Z, streamed; r6 sonnet 2026-02-02T08:45Z with a
 *                Claude Code 1.0.8 `costUSD` of 0.5
 * plus lines that carry no usage: prompts, a `progress` line, a `<synthetic>` error line.
 */
export const MAIN_SESSIONS: readonly FixtureSession[] = [
  {
    ...WEBAPP,
    sessionId: S1,
    responses: [
      {
        messageId: 'msg_r1',
        timestamp: '2026-01-05T10:00:00.000Z',
        model: SONNET,
        tokens: {
          input: 1000,
          output: 500,
          cacheWrite: 2000,
          cacheWrite1h: 800,
          cacheRead: 10_000,
        },
        streamed: true,
      },
      {
        messageId: 'msg_r2',
        timestamp: '2026-01-05T11:30:00.000Z',
        model: HAIKU,
        tokens: { input: 200, output: 100, cacheRead: 5000, webSearch: 2 },
      },
    ],
  },
  {
    ...BILLING,
    sessionId: S2,
    responses: [
      {
        messageId: 'msg_r3',
        timestamp: '2026-01-05T23:00:00.000Z',
        model: SONNET,
        tokens: { input: 300, output: 700 },
      },
      {
        messageId: 'msg_r4',
        timestamp: '2026-01-06T09:00:00.000Z',
        model: NOVA,
        tokens: { input: 4000, output: 1000 },
      },
    ],
  },
  {
    ...WEBAPP,
    sessionId: S3,
    responses: [
      {
        messageId: 'msg_r5',
        timestamp: '2026-02-02T08:15:00.000Z',
        model: HAIKU,
        tokens: { input: 10_000, output: 2000, cacheWrite: 4000 },
        streamed: true,
      },
      {
        messageId: 'msg_r6',
        timestamp: '2026-02-02T08:45:00.000Z',
        model: SONNET,
        tokens: { input: 100, output: 100 },
        costUSD: 0.5,
      },
    ],
  },
];

/** Writes the main fixture into `home`. */
export function writeMainFixture(home: ReportHome): void {
  const [first, ...rest] = MAIN_SESSIONS;
  if (first === undefined) return;
  home.writeSession(first, [
    progressLine({
      messageId: 'msg_progress',
      model: SONNET,
      usage: { input: 9999, output: 9999 },
    }),
    syntheticLine(),
  ]);
  for (const session of rest) home.writeSession(session);
}

// ---------------------------------------------------------------------------------------------
// Reading what the CLI printed.

/** A strict RFC 4180 reader: quoted fields may hold `,` `"` (doubled) and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
      continue;
    }
    if (ch === '"') {
      if (field !== '' || wasQuoted) throw new Error(`CSV: bare quote in field at ${i}`);
      quoted = true;
      wasQuoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      wasQuoted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      wasQuoted = false;
    } else {
      if (wasQuoted) throw new Error(`CSV: text after a closing quote at ${i}`);
      field += ch;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** CSV rows as objects keyed by the header row. */
export function csvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsv(text);
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new Error(`CSV: ${row.length} fields in a row under ${header.length} columns`);
    }
  }
  return {
    header,
    records: rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']))),
  };
}

export interface ParsedTable {
  readonly headers: string[];
  /** Body rows (the Total row too) as cells; a spanning section row has one cell. */
  readonly rows: string[][];
}

/** The cells of a cli-table3 box table (`│ a │ b │` lines). */
export function parseTable(text: string): ParsedTable {
  const cells = text
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('│')
        .map((cell) => cell.trim()),
    );
  const [headers = [], ...rows] = cells;
  return { headers, rows };
}

/** The row whose first cell is `key`, as header → cell. */
export function tableRow(table: ParsedTable, key: string): Record<string, string> {
  const row = table.rows.find((cells) => cells[0] === key);
  if (row === undefined) {
    throw new Error(`no table row "${key}" in ${table.rows.map((r) => r[0]).join(', ')}`);
  }
  return Object.fromEntries(table.headers.map((header, i) => [header, row[i] ?? '']));
}

/** First cells of the table's rows, in order. */
export function tableKeys(table: ParsedTable): string[] {
  return table.rows.map((row) => row[0] ?? '');
}

/** Text with every run of whitespace (wrapped lines too) as one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
