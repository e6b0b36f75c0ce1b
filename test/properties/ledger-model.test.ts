/**
 * Model-based property test of the whole ingest core (reliability §3, T29): random command
 * sequences over a few real transcript files and a real ledger file, checked after every sync
 * against totals the test computes on its own with `JSON.parse`.
 *
 * The model: a response counts once, with the largest copy (the final usage) of all its copies
 * that were complete lines of a file under the root at some successful sync, even if that line
 * was later truncated away or its file deleted. A sync that crashes (a `beforeCommit` hook throws
 * inside the transaction) must leave the ledger exactly as it was before that transaction; the
 * copies it saw are "possibly counted" until a later sync sees them again.
 *
 * Besides responses: the audit trail's transcript changes, summed per session and project, equal
 * that session's totals in `response` (so the trail is exactly-once across crashes too), and
 * every Claude Code `cost-state` line a sync saw is stored, once per file generation.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../../src/store/database.js';
import { assistantLine, userLine } from '../helpers/claude-lines.js';
import { responseRows, rollupMismatches, sync } from '../helpers/ledger.js';
import { makeTempTree, type TempTree } from '../helpers/temp-tree.js';

const SLOTS = 3;
const PROJECTS = 2;

type Item =
  | {
      readonly kind: 'new';
      readonly input: number;
      readonly output: number;
      readonly cacheRead: number;
      readonly withPlaceholder: boolean;
    }
  | { readonly kind: 'copy'; readonly pick: number; readonly placeholder: boolean }
  | { readonly kind: 'user' }
  | { readonly kind: 'cost' }
  | { readonly kind: 'garbage' };

type Command =
  | { readonly kind: 'append'; readonly slot: number; readonly items: readonly Item[] }
  | { readonly kind: 'split'; readonly slot: number; readonly item: Item; readonly cut: number }
  | {
      readonly kind: 'truncate';
      readonly slot: number;
      readonly keep: number;
      readonly then: readonly Item[];
    }
  | { readonly kind: 'rename'; readonly slot: number; readonly project: number }
  | { readonly kind: 'delete'; readonly slot: number }
  | { readonly kind: 'sync' }
  | { readonly kind: 'crash'; readonly atCommit: number };

const item: fc.Arbitrary<Item> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('new' as const),
      // Fixed-width numbers: many lines have the same length, so a rewrite often puts a line end
      // exactly where the committed offset was (the case a short anchor misses).
      input: fc.integer({ min: 100, max: 999 }),
      output: fc.integer({ min: 1000, max: 9999 }),
      cacheRead: fc.integer({ min: 10000, max: 99999 }),
      withPlaceholder: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('copy' as const),
      pick: fc.nat(),
      placeholder: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'user' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cost' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'garbage' as const }) },
);

const slot = fc.integer({ min: 0, max: SLOTS - 1 });

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      slot,
      items: fc.array(item, { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('split' as const),
      slot,
      item,
      cut: fc.integer({ min: 1, max: 99 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      slot,
      keep: fc.nat(),
      then: fc.array(item, { maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rename' as const),
      slot,
      project: fc.integer({ min: 0, max: PROJECTS - 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), slot }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'sync' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      atCommit: fc.integer({ min: 1, max: 4 }),
    }),
  },
);

interface Response {
  readonly id: string;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly timestamp: string;
}

interface Slot {
  /** Where the file is (or will be created); null once deleted and not yet recreated. */
  path: string;
  exists: boolean;
  /** The file's bytes, as the model wrote them. */
  content: Buffer;
  /** The rest of a half-written line, written before anything else lands in this file. */
  pendingRest: Buffer | null;
}

/** One copy's usage as the oracle reads it with JSON.parse. */
interface CopyUsage {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
}

function total(usage: CopyUsage): number {
  return usage.input + usage.output + usage.cacheRead;
}

/** Keeps, per response, the largest copy seen. */
function keepLargest(into: Map<string, CopyUsage>, id: string, usage: CopyUsage): void {
  const known = into.get(id);
  if (known === undefined || total(usage) > total(known)) into.set(id, usage);
}

/** Claude Code's `cost-state` line, marked by `totalLinesAdded` so the test can find it. */
function costStateLine(sessionId: string, mark: number): string {
  return JSON.stringify({
    type: 'cost-state',
    sessionId,
    totalCostUSD: mark / 1000,
    totalLinesAdded: mark,
    totalLinesRemoved: 0,
    modelUsage: { 'claude-sonnet-4-5-20250929': { inputTokens: mark, outputTokens: 1 } },
  });
}

/**
 * Every usage copy and `cost-state` mark on the complete lines of `content`, read independently
 * with JSON.parse.
 */
function oracleRecords(content: Buffer): {
  copies: { id: string; usage: CopyUsage }[];
  costMarks: number[];
} {
  const text = content.toString('utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const copies: { id: string; usage: CopyUsage }[] = [];
  const costMarks: number[] = [];
  for (const line of complete.split('\n')) {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    const r = record as {
      type?: string;
      totalLinesAdded?: number;
      message?: {
        id?: string;
        usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number };
      };
    };
    if (r.type === 'cost-state' && r.totalLinesAdded !== undefined)
      costMarks.push(r.totalLinesAdded);
    const usage = r.message?.usage;
    if (r.type !== 'assistant' || usage === undefined || r.message?.id === undefined) continue;
    copies.push({
      id: r.message.id,
      usage: {
        input: usage.input_tokens,
        output: usage.output_tokens,
        cacheRead: usage.cache_read_input_tokens,
      },
    });
  }
  return { copies, costMarks };
}

/** The ledger tables a commit writes, in a comparable form. */
function snapshot(db: Database.Database): string {
  const tables = [
    'response',
    'response_copy',
    'quarantine',
    'source_file',
    'usage_rollup',
    'change_event',
    'cost_state',
  ];
  return JSON.stringify(
    tables.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all()),
  );
}

class World {
  readonly slots: Slot[];
  readonly responses: Response[] = [];
  /** Per response, the largest copy any successful sync could see. */
  readonly observed = new Map<string, CopyUsage>();
  /** Per response, the largest copy a crashed sync could have committed. */
  readonly possible = new Map<string, CopyUsage>();
  /** `cost-state` marks (`totalLinesAdded`) a successful sync saw, and a crashed one may have. */
  readonly observedCosts = new Set<number>();
  readonly possibleCosts = new Set<number>();
  private costMarks = 0;
  private renames = 0;
  private uuid = 0;

  constructor(readonly tree: TempTree) {
    this.slots = Array.from({ length: SLOTS }, (_, i) => ({
      path: tree.path(`-proj-${i % PROJECTS}`, `session-${i}.jsonl`),
      exists: false,
      content: Buffer.alloc(0),
      pendingRest: null,
    }));
  }

  /**
   * Each slot writes as its own session: a response copied across slots moves to the session
   * that sorts first once both copies are in. The last slot's lines have no `cwd`, so their
   * project is the file's project folder.
   */
  private lineOf(response: Response, placeholder: boolean, slot: number): string {
    this.uuid++;
    const where = slot === SLOTS - 1 ? { extra: { cwd: undefined } } : { cwd: `/work/p${slot}` };
    return assistantLine({
      ...where,
      messageId: response.id,
      requestId: `req_${response.id}`,
      usage: {
        input: response.input,
        output: placeholder ? 1 : response.output,
        cacheRead: response.cacheRead,
      },
      stopReason: placeholder ? null : 'end_turn',
      timestamp: response.timestamp,
      uuid: `uuid-${String(this.uuid).padStart(6, '0')}`,
      sessionId: `session-${slot}`,
    });
  }

  /** The lines an item writes into `slot`. */
  linesOf(entry: Item, slot: number): string[] {
    switch (entry.kind) {
      case 'new': {
        const n = this.responses.length;
        const response: Response = {
          id: `msg_${String(n).padStart(4, '0')}`,
          input: entry.input,
          output: entry.output,
          cacheRead: entry.cacheRead,
          timestamp: new Date(Date.UTC(2026, 10, 30, 0, 0, n)).toISOString(),
        };
        this.responses.push(response);
        return entry.withPlaceholder
          ? [this.lineOf(response, true, slot), this.lineOf(response, false, slot)]
          : [this.lineOf(response, false, slot)];
      }
      case 'copy': {
        const response = this.responses[entry.pick % Math.max(1, this.responses.length)];
        if (response === undefined) return [userLine()];
        return [this.lineOf(response, entry.placeholder, slot)];
      }
      case 'user':
        return [userLine({ content: `turn ${this.uuid++}` })];
      case 'cost':
        this.costMarks++;
        return [costStateLine(`session-${slot}`, this.costMarks)];
      case 'garbage':
        return ['{"type":"assistant","message":{"id":"msg_torn","usage":{"input_tokens":7'];
    }
  }

  private write(target: Slot, bytes: Buffer): void {
    if (bytes.length === 0 && target.exists) return;
    if (!target.exists) {
      this.tree.write(target.path, bytes);
      target.exists = true;
    } else {
      this.tree.append(target.path, bytes);
    }
    target.content = Buffer.concat([target.content, bytes]);
  }

  private completePending(target: Slot): void {
    if (target.pendingRest === null) return;
    const rest = target.pendingRest;
    target.pendingRest = null;
    this.write(target, rest);
  }

  apply(cmd: Exclude<Command, { kind: 'sync' } | { kind: 'crash' }>): void {
    const target = this.slots[cmd.slot] as Slot;
    switch (cmd.kind) {
      case 'append': {
        this.completePending(target);
        const lines = cmd.items.flatMap((entry) => this.linesOf(entry, cmd.slot));
        this.write(target, Buffer.from(lines.map((l) => `${l}\n`).join('')));
        return;
      }
      case 'split': {
        this.completePending(target);
        const line = Buffer.from(`${this.linesOf(cmd.item, cmd.slot).join('\n')}\n`);
        const cut = Math.max(1, Math.floor((line.length * cmd.cut) / 100));
        this.write(target, line.subarray(0, cut));
        target.pendingRest = line.subarray(cut);
        return;
      }
      case 'truncate': {
        if (!target.exists) return;
        // Back to the end of an earlier complete line; a pending half line is dropped too.
        const boundaries = [0];
        for (let i = 0; i < target.content.length; i++) {
          if (target.content[i] === 0x0a) boundaries.push(i + 1);
        }
        const keep = boundaries[cmd.keep % boundaries.length] ?? 0;
        this.tree.truncate(target.path, keep);
        target.content = target.content.subarray(0, keep);
        target.pendingRest = null;
        const lines = cmd.then.flatMap((entry) => this.linesOf(entry, cmd.slot));
        this.write(target, Buffer.from(lines.map((l) => `${l}\n`).join('')));
        return;
      }
      case 'rename': {
        this.renames++;
        const to = this.tree.path(
          `-proj-${cmd.project}`,
          `session-${cmd.slot}-r${this.renames}.jsonl`,
        );
        if (target.exists) this.tree.rename(target.path, to);
        target.path = to;
        return;
      }
      case 'delete': {
        if (!target.exists) return;
        this.tree.remove(target.path);
        target.exists = false;
        target.content = Buffer.alloc(0);
        target.pendingRest = null;
        return;
      }
    }
  }

  /** Records what a sync could see: every record on a complete line of an existing file. */
  see(which: 'observed' | 'possible'): void {
    const into = which === 'observed' ? this.observed : this.possible;
    const costs = which === 'observed' ? this.observedCosts : this.possibleCosts;
    for (const s of this.slots) {
      if (!s.exists) continue;
      const { copies, costMarks } = oracleRecords(s.content);
      for (const copy of copies) keepLargest(into, copy.id, copy.usage);
      for (const mark of costMarks) costs.add(mark);
    }
  }
}

/** Per session and project: responses, tokens and cost ("auto" mode, unpriced as 0). */
const TOTALS_COLUMNS = `count(*) AS responses, sum(input_tokens) AS input, sum(output_tokens) AS output,
  sum(cache_creation_tokens) AS cacheCreation, sum(cache_read_tokens) AS cacheRead,
  sum(web_search_requests) AS webSearch, total(coalesce(cost_usd_logged, cost_usd)) AS cost`;

/**
 * The audit trail's transcript changes summed per session and project must equal the responses'
 * totals: returns what differs (groups whose changes cancelled out to zero are no difference).
 */
function trailMismatches(db: Ledger): string[] {
  type Totals = Record<string, number | string | null>;
  const keyOf = (row: Totals): string => `${String(row['session'])}|${String(row['project'])}`;
  const expected = new Map(
    (
      db
        .prepare(
          `SELECT session_id AS session, coalesce(cwd, project_dir) AS project, ${TOTALS_COLUMNS}
           FROM response GROUP BY 1, 2`,
        )
        .all() as Totals[]
    ).map((row) => [keyOf(row), row]),
  );
  const actual = db
    .prepare(
      `SELECT session_id AS session, project,
         sum(json_extract(detail, '$.responses')) AS responses, sum(input_tokens) AS input,
         sum(output_tokens) AS output, sum(cache_creation_tokens) AS cacheCreation,
         sum(cache_read_tokens) AS cacheRead, sum(web_search_requests) AS webSearch,
         total(cost_usd) AS cost
       FROM change_event WHERE source = 'transcript' AND kind = 'usage' GROUP BY 1, 2`,
    )
    .all() as Totals[];
  const mismatches: string[] = [];
  const fields = ['responses', 'input', 'output', 'cacheCreation', 'cacheRead', 'webSearch'];
  for (const row of actual) {
    const want = expected.get(keyOf(row));
    expected.delete(keyOf(row));
    for (const field of [...fields, 'cost']) {
      const have = Number(row[field]);
      const should = want === undefined ? 0 : Number(want[field]);
      if (Math.abs(have - should) > 1e-9)
        mismatches.push(`${keyOf(row)} ${field}: ${have} ≠ ${should}`);
    }
  }
  for (const key of expected.keys()) mismatches.push(`${key}: responses without a change`);
  return mismatches;
}

/** Every `cost-state` line a sync saw is stored, once per file generation, and no other. */
function checkCostStates(db: Ledger, world: World): void {
  const rows = db
    .prepare('SELECT file_id, generation, lines_added AS mark FROM cost_state')
    .all() as { file_id: number; generation: number; mark: number }[];
  const marks = new Set(rows.map((row) => row.mark));
  for (const mark of world.observedCosts) {
    expect(marks.has(mark), `cost-state ${mark} was seen by a sync but is not stored`).toBe(true);
  }
  for (const mark of marks) {
    const written = world.observedCosts.has(mark) || world.possibleCosts.has(mark);
    expect(written, `cost-state ${mark} was never seen`).toBe(true);
  }
  const perGeneration = new Set(rows.map((row) => `${row.file_id}|${row.generation}|${row.mark}`));
  expect(perGeneration.size, 'one row per cost-state line and file generation').toBe(rows.length);
}

/** After a successful sync: the ledger holds exactly the model's responses, each counted once. */
function checkLedger(db: Ledger, world: World): void {
  expect(rollupMismatches(db), 'the report rollup equals the responses').toEqual([]);
  expect(trailMismatches(db), 'the transcript trail sums to the responses').toEqual([]);
  checkCostStates(db, world);
  const rows = responseRows(db);
  const byId = new Map(rows.map((row) => [row.message_id, row]));
  expect(byId.size, 'one row per response').toBe(rows.length);
  for (const [id, usage] of world.observed) {
    const row = byId.get(id);
    expect(row, `response ${id} was seen by a sync but is not in the ledger`).toBeDefined();
    if (row === undefined) continue;
    const stored: CopyUsage = {
      input: row.input_tokens,
      output: row.output_tokens,
      cacheRead: row.cache_read_tokens,
    };
    const possible = world.possible.get(id);
    if (possible === undefined || total(possible) <= total(usage)) {
      expect(stored, `tokens of ${id}`).toEqual(usage);
    } else {
      // A crashed sync may have committed a larger copy that no later sync could see.
      expect([usage, possible], `tokens of ${id}`).toContainEqual(stored);
    }
  }
  for (const row of rows) {
    if (world.observed.has(row.message_id)) continue;
    const possible = world.possible.get(row.message_id);
    expect(possible, `response ${row.message_id} was never written`).toBeDefined();
  }
  if (world.possible.size === 0) {
    const sum = (pick: (u: CopyUsage) => number): number =>
      [...world.observed.values()].reduce((n, u) => n + pick(u), 0);
    const totals = db
      .prepare(
        `SELECT count(*) AS n, coalesce(sum(input_tokens), 0) AS input,
           coalesce(sum(output_tokens), 0) AS output, coalesce(sum(cache_read_tokens), 0) AS cacheRead
         FROM response`,
      )
      .get() as { n: number; input: number; output: number; cacheRead: number };
    expect(totals).toEqual({
      n: world.observed.size,
      input: sum((u) => u.input),
      output: sum((u) => u.output),
      cacheRead: sum((u) => u.cacheRead),
    });
  }
}

/** Evidence that the run exercised what it claims to. */
const stats = { rolledBack: 0 };

async function runCommands(
  commands: readonly Command[],
  limits: { sliceBytes: number; batchRows: number },
): Promise<void> {
  const tree = makeTempTree('ctt-model-');
  const db = openLedger(tree.ledgerPath);
  const reader = new Database(tree.ledgerPath, { readonly: true });
  const world = new World(tree);
  const options = { limits: { sliceBytes: limits.sliceBytes }, batchRows: limits.batchRows };
  try {
    const cleanSync = async (): Promise<void> => {
      const summary = await sync(db, [tree.projectsDir], options);
      expect(summary.pass.dedupHitsRaw).toBe(0);
      world.see('observed');
      checkLedger(db, world);
    };
    for (const cmd of [...commands, { kind: 'sync' as const }]) {
      if (cmd.kind === 'sync') {
        await cleanSync();
        continue;
      }
      if (cmd.kind === 'crash') {
        let commits = 0;
        let before: string | null = null;
        let during: string | null = null;
        const crash = new Error('crash inside the commit');
        const run = sync(db, [tree.projectsDir], {
          ...options,
          beforeCommit: () => {
            commits++;
            if (commits !== cmd.atCommit) return;
            before = snapshot(reader); // the last committed state, seen from another connection
            during = snapshot(db); // what this transaction is about to commit
            throw crash;
          },
        });
        let crashed = false;
        try {
          const summary = await run;
          expect(summary.pass.dedupHitsRaw).toBe(0);
        } catch (error) {
          expect(error).toBe(crash);
          crashed = true;
        }
        if (crashed) {
          // The whole transaction rolled back: rows, quarantine and offsets as before it.
          expect(snapshot(db)).toBe(before);
          if (during !== before) stats.rolledBack++;
          world.see('possible');
        } else {
          world.see('observed');
          checkLedger(db, world);
        }
        continue;
      }
      world.apply(cmd);
    }
  } finally {
    reader.close();
    db.close();
    tree.cleanup();
  }
}

describe('ledger model', () => {
  it('matches the model after every sync, through appends, splits, truncations, renames, deletions and crashes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 30 }),
        fc.record({
          sliceBytes: fc.constantFrom(512, 2048, 1 << 20),
          batchRows: fc.constantFrom(1, 3, 20_000),
        }),
        (commands, limits) => runCommands(commands, limits),
      ),
      { numRuns: 300 },
    );
    // The crashes really threw away written rows (a commit outside a transaction would not).
    expect(stats.rolledBack).toBeGreaterThan(10);
  });
});
