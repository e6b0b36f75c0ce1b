/**
 * The merge rules end to end: real transcript files, a real ledger, `syncLedger`. Each scenario
 * is ingested in several orders (one file or several, one sync or one per file) and must give
 * identical rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assistantLine,
  jsonl,
  type AssistantLineOptions,
} from '../../test/helpers/claude-lines.js';
import { responseRows, sync, type ResponseRow } from '../../test/helpers/ledger.js';
import { makeTempTree } from '../../test/helpers/temp-tree.js';
import { openLedger } from './database.js';

/** One file's relative path (`<project>/<file>`) and its lines. */
type FileLines = readonly [string, readonly string[]];

/**
 * Ingests `steps` in order: each step appends its files' lines, then syncs. Returns the rows.
 */
async function ingest(steps: readonly (readonly FileLines[])[]): Promise<ResponseRow[]> {
  const tree = makeTempTree();
  const db = openLedger(':memory:');
  try {
    for (const step of steps) {
      for (const [relative, lines] of step) {
        const [project, ...rest] = relative.split('/');
        tree.append(tree.path(project ?? '', rest.join('/')), jsonl(...lines));
      }
      const summary = await sync(db, [tree.projectsDir]);
      expect(summary.pass.dedupHitsRaw).toBe(0);
    }
    return responseRows(db);
  } finally {
    db.close();
    tree.cleanup();
  }
}

/**
 * Every way two copies can arrive: in one file either way round, in two files in one sync, and
 * in two files synced one after the other either way round.
 */
async function rowsInEveryOrder(a: FileLines, b: FileLines): Promise<ResponseRow[][]> {
  const results: ResponseRow[][] = [];
  results.push(await ingest([[a, b]]));
  results.push(await ingest([[b, a]]));
  results.push(await ingest([[a], [b]]));
  results.push(await ingest([[b], [a]]));
  if (a[0] === b[0]) {
    results.push(await ingest([[[a[0], [...a[1], ...b[1]]]]]));
    results.push(await ingest([[[a[0], [...b[1], ...a[1]]]]]));
  }
  return results;
}

async function expectSameRowsInEveryOrder(a: FileLines, b: FileLines): Promise<ResponseRow[]> {
  const [first, ...others] = await rowsInEveryOrder(a, b);
  for (const other of others) expect(other).toEqual(first);
  return first ?? [];
}

const SESSION_A = '11111111-1111-4111-8111-111111111111';
const SESSION_B = '22222222-2222-4222-8222-222222222222';

function line(options: AssistantLineOptions): string {
  return assistantLine({ sessionId: SESSION_A, ...options });
}

describe('merge rules: one response, many copies, one row', () => {
  it('keeps the final usage over the streaming placeholder, dated by its first block', async () => {
    const placeholder = line({
      messageId: 'msg_X',
      requestId: 'req_X',
      stopReason: null,
      usage: { input: 6, output: 1, cacheWrite: 2310, cacheRead: 48211 },
      timestamp: '2026-11-30T14:02:09.118Z',
    });
    const finalBlock = line({
      messageId: 'msg_X',
      requestId: 'req_X',
      stopReason: 'tool_use',
      usage: { input: 6, output: 412, cacheWrite: 2310, cacheRead: 48211 },
      timestamp: '2026-11-30T14:02:11.532Z',
    });
    const rows = await expectSameRowsInEveryOrder(
      ['-home-a/s.jsonl', [placeholder]],
      ['-home-a/s.jsonl', [finalBlock]],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      message_id: 'msg_X',
      request_id: 'req_X',
      input_tokens: 6,
      output_tokens: 412,
      cache_creation_tokens: 2310,
      cache_read_tokens: 48211,
      ts_ms: Date.parse('2026-11-30T14:02:09.118Z'),
      session_id: SESSION_A,
      project_dir: '-home-a',
    });
  });

  it('counts the equal per-block copies of CC ≥ 2.1.97 once', async () => {
    const usage = { input: 6, output: 412, cacheWrite: 2310, cacheRead: 48211 };
    const thinking = line({ messageId: 'msg_Y', usage, timestamp: '2026-11-30T14:02:09.118Z' });
    const toolUse = line({ messageId: 'msg_Y', usage, timestamp: '2026-11-30T14:02:11.532Z' });
    const rows = await expectSameRowsInEveryOrder(
      ['-home-a/s.jsonl', [thinking]],
      ['-home-a/s.jsonl', [toolUse]],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.output_tokens).toBe(412);
    expect(rows[0]?.ts_ms).toBe(Date.parse('2026-11-30T14:02:09.118Z'));
  });

  it('attributes a fork copy to the original session, project and time', async () => {
    const usage = { input: 10, output: 99 };
    const originalLine = line({
      messageId: 'msg_F',
      usage,
      cwd: '/home/a',
      timestamp: '2026-11-30T10:00:00.000Z',
    });
    const forkCopy = assistantLine({
      messageId: 'msg_F',
      usage,
      sessionId: SESSION_B,
      cwd: '/home/b',
      timestamp: '2026-11-30T09:00:00.000Z',
      forkedFrom: { sessionId: SESSION_A, messageUuid: 'abc' },
    });
    const rows = await expectSameRowsInEveryOrder(
      [`-home-a/${SESSION_A}.jsonl`, [originalLine]],
      [`-home-b/${SESSION_B}.jsonl`, [forkCopy]],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      session_id: SESSION_A,
      cwd: '/home/a',
      project_dir: '-home-a',
      ts_ms: Date.parse('2026-11-30T10:00:00.000Z'),
      orig_forked: 0,
      output_tokens: 99,
    });
  });

  it('merges a /btw sidechain replay with a new requestId into the original response', async () => {
    const originalLine = line({
      messageId: 'msg_B',
      requestId: 'req_main',
      usage: { input: 5, output: 50, cacheRead: 1000 },
      timestamp: '2026-11-30T10:00:00.000Z',
    });
    const replay = line({
      messageId: 'msg_B',
      requestId: 'req_btw',
      isSidechain: true,
      agentId: 'side1',
      usage: { input: 5, output: 50, cacheRead: 9000 },
      timestamp: '2026-11-30T11:00:00.000Z',
    });
    const rows = await expectSameRowsInEveryOrder(
      [`-home-a/${SESSION_A}.jsonl`, [originalLine]],
      [`-home-a/${SESSION_A}/subagents/agent-side1.jsonl`, [replay]],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      request_id: 'req_main',
      is_sidechain: 0,
      orig_sidechain: 0,
      cache_read_tokens: 1000,
      ts_ms: Date.parse('2026-11-30T10:00:00.000Z'),
      agent_id: null,
    });
  });

  it('merges a /btw replay written into the main session file (CC 1.0.x) in either order', async () => {
    const originalLine = line({ messageId: 'msg_B1', requestId: 'req_main', usage: { output: 5 } });
    const replay = line({
      messageId: 'msg_B1',
      requestId: 'req_btw',
      isSidechain: true,
      usage: { output: 9 },
    });
    const rows = await expectSameRowsInEveryOrder(
      ['-home-a/s.jsonl', [originalLine]],
      ['-home-a/s.jsonl', [replay]],
    );
    expect(rows).toMatchObject([{ request_id: 'req_main', is_sidechain: 0, output_tokens: 5 }]);
  });

  it('does not merge two main-thread responses that only share a message id', async () => {
    const rows = await ingest([
      [
        ['-home-a/s.jsonl', [line({ messageId: 'msg_S', requestId: 'req_1' })]],
        ['-home-a/t.jsonl', [line({ messageId: 'msg_S', requestId: 'req_2' })]],
      ],
    ]);
    expect(rows.map((r) => r.request_id)).toEqual(['req_1', 'req_2']);
  });

  it('keeps the larger copy of a mid-stream model fallback, with its model and cache numbers', async () => {
    const first = line({
      messageId: 'msg_M',
      model: 'claude-opus-4-6',
      stopReason: null,
      usage: { input: 3, output: 1, cacheWrite: 100, cacheRead: 5000 },
      timestamp: '2026-11-30T10:00:00.000Z',
    });
    const fallback = line({
      messageId: 'msg_M',
      model: 'claude-sonnet-4-5-20250929',
      usage: { input: 3, output: 200, cacheWrite: 7000, cacheRead: 0 },
      timestamp: '2026-11-30T10:00:05.000Z',
    });
    const rows = await expectSameRowsInEveryOrder(
      ['-home-a/s.jsonl', [first]],
      ['-home-a/s.jsonl', [fallback]],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      model: 'claude-sonnet-4-5-20250929',
      output_tokens: 200,
      cache_creation_tokens: 7000,
      cache_read_tokens: 0,
      ts_ms: Date.parse('2026-11-30T10:00:00.000Z'),
    });
  });

  it('dates a response straddling midnight by its earliest block', async () => {
    const beforeMidnight = line({
      messageId: 'msg_N',
      stopReason: null,
      usage: { input: 1, output: 1 },
      timestamp: '2026-11-30T23:59:59.900Z',
    });
    const afterMidnight = line({
      messageId: 'msg_N',
      usage: { input: 1, output: 800 },
      timestamp: '2026-12-01T00:00:00.400Z',
    });
    const rows = await expectSameRowsInEveryOrder(
      ['-home-a/s.jsonl', [afterMidnight]],
      ['-home-a/s.jsonl', [beforeMidnight]],
    );
    expect(rows[0]).toMatchObject({
      ts_ms: Date.parse('2026-11-30T23:59:59.900Z'),
      output_tokens: 800,
    });
  });
});

describe('merge rules: any mix of copies, any order', () => {
  const copies: Record<string, string> = {
    placeholder: line({
      messageId: 'msg_P',
      requestId: 'req_P',
      stopReason: null,
      usage: { input: 4, output: 1, cacheRead: 700 },
      timestamp: '2026-11-30T10:00:00.000Z',
    }),
    final: line({
      messageId: 'msg_P',
      requestId: 'req_P',
      usage: { input: 4, output: 321, cacheRead: 700 },
      timestamp: '2026-11-30T10:00:02.000Z',
    }),
    fork: assistantLine({
      messageId: 'msg_P',
      requestId: 'req_P',
      sessionId: SESSION_B,
      cwd: '/home/b',
      forkedFrom: true,
      usage: { input: 4, output: 321, cacheRead: 700 },
      timestamp: '2026-11-29T10:00:00.000Z',
    }),
    btw1: line({
      messageId: 'msg_P',
      requestId: 'req_btw1',
      isSidechain: true,
      usage: { input: 4, output: 321, cacheRead: 9000 },
      timestamp: '2026-11-30T11:00:00.000Z',
    }),
    btw2: line({
      messageId: 'msg_P',
      requestId: 'req_btw2',
      isSidechain: true,
      agentId: 'a2',
      usage: { input: 4, output: 5, cacheRead: 100 },
      timestamp: '2026-11-30T09:00:00.000Z',
    }),
  };
  const files: Record<string, string> = {
    placeholder: '-home-a/s.jsonl',
    final: '-home-a/s.jsonl',
    fork: '-home-b/t.jsonl',
    btw1: '-home-a/s/subagents/agent-a1.jsonl',
    btw2: '-home-a/s/subagents/agent-a2.jsonl',
  };

  it('gives the same row for every arrival order and grouping into syncs', async () => {
    const names = Object.keys(copies);
    const arrival = fc
      .subarray(names, { minLength: 2 })
      .filter((picked) => picked.includes('final') || picked.includes('placeholder'))
      .chain((picked) =>
        fc.tuple(
          fc.shuffledSubarray(picked, { minLength: picked.length }),
          fc.array(fc.boolean(), { minLength: picked.length, maxLength: picked.length }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(arrival, async ([order, syncAfter]) => {
        const steps: FileLines[][] = [[]];
        order.forEach((name, i) => {
          steps[steps.length - 1]?.push([files[name] ?? '', [copies[name] ?? '']]);
          if (syncAfter[i] === true && i < order.length - 1) steps.push([]);
        });
        const canonical = names.filter((name) => order.includes(name));
        const expected = await ingest([
          canonical.map((name) => [files[name] ?? '', [copies[name] ?? '']]),
        ]);
        const rows = await ingest(steps);
        expect(rows).toEqual(expected);
        expect(rows).toHaveLength(1);
        expect(rows[0]?.request_id).toBe('req_P');
        expect(rows[0]?.session_id).toBe(SESSION_A);
      }),
      { numRuns: 60 },
    );
  });
});
