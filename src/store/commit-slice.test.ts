/**
 * What a slice commit writes besides responses: Claude Code's `cost-state` lines and the audit
 * trail's `usage` changes. Real transcript files, a real ledger file, `syncLedger`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assistantLine, jsonl, userLine } from '../../test/helpers/claude-lines.js';
import { count, FIXED_NOW_MS, sync } from '../../test/helpers/ledger.js';
import { makeTempTree, type TempTree } from '../../test/helpers/temp-tree.js';
import { changesAfter, type StoredChange } from './change-log.js';
import { openLedger, type Ledger } from './database.js';

const SESSION_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const SESSION_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const CWD_A = '/home/alice/src/webapp';
const CWD_B = '/home/alice/src/api';

function costStateLine(sessionId: string, totalCostUSD: number): string {
  return JSON.stringify({
    type: 'cost-state',
    sessionId,
    totalCostUSD,
    totalLinesAdded: 12,
    totalLinesRemoved: 3,
    modelUsage: {
      'claude-sonnet-4-5-20250929': {
        inputTokens: 30,
        outputTokens: 60,
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
        webSearchRequests: 0,
        costUSD: totalCostUSD,
      },
    },
  });
}

interface CostStateRow {
  file_id: number;
  generation: number;
  byte_offset: number;
  session_id: string | null;
  total_cost_usd: number | null;
  lines_added: number | null;
  input_tokens: number | null;
  ingest_ms: number;
}

function costStates(db: Ledger): CostStateRow[] {
  return db
    .prepare(
      `SELECT file_id, generation, byte_offset, session_id, total_cost_usd, lines_added,
         input_tokens, ingest_ms
       FROM cost_state ORDER BY file_id, generation, byte_offset`,
    )
    .all() as CostStateRow[];
}

let tree: TempTree;
let db: Ledger;
beforeEach(() => {
  tree = makeTempTree();
  db = openLedger(tree.ledgerPath);
});
afterEach(() => {
  db.close();
  tree.cleanup();
});

function line(messageId: string, sessionId: string, cwd: string, output: number): string {
  return assistantLine({
    messageId,
    requestId: `req_${messageId}`,
    sessionId,
    cwd,
    usage: { input: 10, output, cacheWrite: 100, cacheWrite1h: 40, cacheRead: 1000, webSearch: 1 },
  });
}

describe('cost-state lines in the ledger', () => {
  it('stores each cost-state line once, however often the file is synced', async () => {
    const path = tree.path('-home-alice-src-webapp', `${SESSION_A}.jsonl`);
    const first = [line('msg_1', SESSION_A, CWD_A, 20), costStateLine(SESSION_A, 0.25)];
    tree.write(path, jsonl(...first));
    const one = await sync(db, [tree.projectsDir]);
    expect(one.pass.costStates).toBe(1);
    await sync(db, [tree.projectsDir]);
    tree.append(path, jsonl(userLine(), costStateLine(SESSION_A, 0.5)));
    const two = await sync(db, [tree.projectsDir], { limits: { sliceBytes: 64 } });
    expect(two.pass.costStates).toBe(1);
    await sync(db, [tree.projectsDir]);
    const offset = Buffer.byteLength(first[0] ?? '') + 1;
    const second = Buffer.byteLength(jsonl(...first, userLine()));
    expect(costStates(db)).toEqual([
      expect.objectContaining({
        byte_offset: offset,
        session_id: SESSION_A,
        total_cost_usd: 0.25,
        lines_added: 12,
        input_tokens: 30,
        ingest_ms: FIXED_NOW_MS,
      }),
      expect.objectContaining({ byte_offset: second, total_cost_usd: 0.5 }),
    ]);
  });

  it('commits nothing of a crashed commit, and everything with the next sync', async () => {
    tree.write(
      tree.path('-home-alice-src-webapp', `${SESSION_A}.jsonl`),
      jsonl(line('msg_1', SESSION_A, CWD_A, 20), costStateLine(SESSION_A, 0.25)),
    );
    const crash = new Error('crash inside the commit');
    let inside: { costStates: number; changes: number } | null = null;
    await expect(
      sync(db, [tree.projectsDir], {
        beforeCommit: () => {
          inside = { costStates: count(db, 'cost_state'), changes: count(db, 'change_event') };
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    // They were written inside the transaction, and rolled back with it.
    expect(inside).toEqual({ costStates: 1, changes: 1 });
    expect(count(db, 'cost_state')).toBe(0);
    expect(count(db, 'change_event')).toBe(0);
    expect(count(db, 'response')).toBe(0);
    await sync(db, [tree.projectsDir]);
    expect(count(db, 'cost_state')).toBe(1);
    expect(changesAfter(db, 0)).toHaveLength(1);
  });
});

function trail(db: Ledger): StoredChange[] {
  return changesAfter(db, 0);
}

describe('the transcript trail', () => {
  it('records one usage change per session and project with the net deltas', async () => {
    tree.write(
      tree.path('-home-alice-src-webapp', `${SESSION_A}.jsonl`),
      jsonl(
        line('msg_a1', SESSION_A, CWD_A, 20),
        line('msg_a2', SESSION_A, CWD_A, 30),
        assistantLine({
          messageId: 'msg_a3',
          sessionId: SESSION_A,
          cwd: CWD_A,
          model: 'claude-nova-7',
          usage: { input: 5, output: 5 },
        }),
      ),
    );
    tree.write(
      tree.path('-home-alice-src-api', `${SESSION_B}.jsonl`),
      jsonl(
        assistantLine({
          messageId: 'msg_b1',
          sessionId: SESSION_B,
          cwd: CWD_B,
          costUSD: 0.125,
          usage: { input: 7, output: 9 },
        }),
      ),
    );
    await sync(db, [tree.projectsDir]);
    const changes = trail(db);
    const a = changes.find((c) => c.sessionId === SESSION_A);
    const b = changes.find((c) => c.sessionId === SESSION_B);
    expect(changes).toHaveLength(2);
    expect(a).toMatchObject({
      timeMs: FIXED_NOW_MS,
      source: 'transcript',
      kind: 'usage',
      project: CWD_A,
      delta: {
        inputTokens: 25,
        outputTokens: 55,
        cacheCreationTokens: 200,
        cacheReadTokens: 2000,
        webSearchRequests: 2,
        linesAdded: 0,
        linesRemoved: 0,
      },
      detail: {
        responses: 3,
        updatedResponses: 0,
        cacheCreation1hTokens: 80,
        models: ['claude-nova-7', 'claude-sonnet-4-5-20250929'],
      },
    });
    // The unpriced model counts 0; the priced ones what the ledger stored for them.
    const priced = db
      .prepare(`SELECT total(cost_usd) AS c FROM response WHERE session_id = ?`)
      .get(SESSION_A) as { c: number };
    expect(priced.c).toBeGreaterThan(0);
    expect(a?.delta.costUsd).toBeCloseTo(priced.c, 12);
    // Claude Code's own logged cost wins over the calculated one (ccusage "auto").
    expect(b).toMatchObject({ project: CWD_B, delta: { costUsd: 0.125, inputTokens: 7 } });
  });

  it('records what an update moved, and nothing when nothing moved', async () => {
    const path = tree.path('-home-alice-src-webapp', `${SESSION_A}.jsonl`);
    tree.write(path, jsonl(line('msg_1', SESSION_A, CWD_A, 1)));
    await sync(db, [tree.projectsDir]);
    await sync(db, [tree.projectsDir]);
    expect(trail(db)).toHaveLength(1);
    // The same copy again, a smaller one, and the same response copied into a fork: no movement.
    tree.append(path, jsonl(line('msg_1', SESSION_A, CWD_A, 1), userLine()));
    tree.write(
      tree.path('-home-alice-src-webapp', `${SESSION_B}.jsonl`),
      jsonl(line('msg_1', SESSION_B, CWD_A, 1)),
    );
    await sync(db, [tree.projectsDir]);
    expect(trail(db)).toHaveLength(1);
    // The final copy of the streamed response: only the output moves.
    tree.append(path, jsonl(line('msg_1', SESSION_A, CWD_A, 400)));
    await sync(db, [tree.projectsDir]);
    const changes = trail(db);
    expect(changes).toHaveLength(2);
    expect(changes[1]).toMatchObject({
      sessionId: SESSION_A,
      delta: { inputTokens: 0, outputTokens: 399, cacheCreationTokens: 0, cacheReadTokens: 0 },
      detail: { responses: 0, updatedResponses: 1, cacheCreation1hTokens: 0 },
    });
    expect(changes[1]?.delta.costUsd).toBeGreaterThan(0);
  });

  it('sums per session to the session totals in response, over many small commits', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) {
      const session = i % 3 === 0 ? SESSION_B : SESSION_A;
      lines.push(line(`msg_${i % 25}`, session, i % 2 === 0 ? CWD_A : CWD_B, 1 + i));
    }
    tree.write(tree.path('-home-alice-src-webapp', `${SESSION_A}.jsonl`), jsonl(...lines));
    await sync(db, [tree.projectsDir], { limits: { sliceBytes: 1 }, batchRows: 1 });
    const fromTrail = db
      .prepare(
        `SELECT session_id, project, sum(input_tokens) AS i, sum(output_tokens) AS o,
           sum(cache_read_tokens) AS r, round(sum(cost_usd), 9) AS c
         FROM change_event GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all();
    const fromResponses = db
      .prepare(
        `SELECT session_id, coalesce(cwd, project_dir) AS project, sum(input_tokens) AS i,
           sum(output_tokens) AS o, sum(cache_read_tokens) AS r,
           round(total(coalesce(cost_usd_logged, cost_usd)), 9) AS c
         FROM response GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all();
    expect(fromTrail).toEqual(fromResponses);
    expect(count(db, 'change_event')).toBeGreaterThan(4);
  });
});
