import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.js';
import { Oracle } from './oracle.js';

/** A usage line as Claude Code writes it; only the fields the rules read. */
function line(fields: {
  id: string;
  req?: string;
  model: string;
  ts: string;
  session: string;
  usage: JsonObject;
  sidechain?: boolean;
  forkedFrom?: string;
  costUSD?: number;
}): JsonObject {
  const record: JsonObject = {
    type: 'assistant',
    isSidechain: fields.sidechain ?? false,
    cwd: `/home/dev/${fields.session}`,
    sessionId: fields.session,
    message: { id: fields.id, model: fields.model, usage: fields.usage },
    timestamp: fields.ts,
  };
  if (fields.req !== undefined) record.requestId = fields.req;
  if (fields.forkedFrom !== undefined)
    record.forkedFrom = { sessionId: fields.forkedFrom, messageUuid: 'u1' };
  if (fields.costUSD !== undefined) record.costUSD = fields.costUSD;
  return record;
}

const SONNET_45 = 'claude-sonnet-4-5-20250929';
const A_USAGE = {
  input_tokens: 10,
  cache_creation_input_tokens: 1000,
  cache_read_input_tokens: 5000,
  cache_creation: { ephemeral_5m_input_tokens: 600, ephemeral_1h_input_tokens: 400 },
};
const B_USAGE = {
  input_tokens: 100,
  output_tokens: 1000,
  speed: 'fast',
  inference_geo: 'us',
  server_tool_use: { web_search_requests: 2, web_fetch_requests: 5 },
};

/** Six responses, nine counted copies, and lines that must not count. */
const RECORDS: JsonObject[] = [
  // A: streaming split across UTC midnight; placeholder output 3 first, final 500 last.
  line({
    id: 'msg_A',
    req: 'req_A',
    model: SONNET_45,
    ts: '2025-06-01T23:59:59.900Z',
    session: 's1',
    usage: { ...A_USAGE, output_tokens: 3 },
  }),
  line({
    id: 'msg_A',
    req: 'req_A',
    model: SONNET_45,
    ts: '2025-06-02T00:00:01.000Z',
    session: 's1',
    usage: { ...A_USAGE, output_tokens: 500 },
  }),
  // B: opus-4-6 fast + geo us + 2 web searches; a /btw replay (other requestId) and a fork copy.
  line({
    id: 'msg_B',
    req: 'req_B',
    model: 'claude-opus-4-6',
    ts: '2025-06-02T10:00:00.000Z',
    session: 's2',
    usage: B_USAGE,
  }),
  line({
    id: 'msg_B',
    req: 'req_B2',
    model: 'claude-opus-4-6',
    ts: '2025-06-02T10:00:00.000Z',
    session: 's2',
    usage: B_USAGE,
    sidechain: true,
  }),
  line({
    id: 'msg_B',
    req: 'req_B',
    model: 'claude-opus-4-6',
    ts: '2025-06-02T10:00:00.000Z',
    session: 's3',
    usage: B_USAGE,
    forkedFrom: 's2',
  }),
  // C: CC 1.0.0 line, no requestId, own costUSD.
  line({
    id: 'msg_C',
    model: 'claude-sonnet-4-20250514',
    ts: '2025-06-02T11:00:00.000Z',
    session: 's1',
    usage: { input_tokens: 1000, output_tokens: 2000 },
    costUSD: 0.05,
  }),
  // D: unknown model → unpriced.
  line({
    id: 'msg_D',
    req: 'req_D',
    model: 'claude-nova-7',
    ts: '2025-06-02T12:00:00.000Z',
    session: 's1',
    usage: { input_tokens: 5, output_tokens: 5 },
  }),
  // E: prompt 200,001 > 200,000 → long-context tier; F: exactly 200,000 → base tier.
  line({
    id: 'msg_E',
    req: 'req_E',
    model: SONNET_45,
    ts: '2025-06-02T13:00:00.000Z',
    session: 's1',
    usage: { input_tokens: 1, cache_read_input_tokens: 200_000, output_tokens: 10 },
  }),
  line({
    id: 'msg_F',
    req: 'req_F',
    model: SONNET_45,
    ts: '2025-06-02T14:00:00.000Z',
    session: 's1',
    usage: { input_tokens: 0, cache_read_input_tokens: 200_000, output_tokens: 10 },
  }),
  // Never usage: synthetic error, progress embedding usage, user tool result with usage.
  {
    type: 'assistant',
    sessionId: 's1',
    timestamp: '2025-06-02T15:00:00.000Z',
    message: { id: 'x', model: '<synthetic>', usage: { input_tokens: 0, output_tokens: 0 } },
  },
  {
    type: 'progress',
    data: {
      message: line({
        id: 'msg_P',
        req: 'r',
        model: SONNET_45,
        ts: '2025-06-02T15:00:00.000Z',
        session: 's1',
        usage: { input_tokens: 99 },
      }),
    },
  },
  {
    type: 'user',
    toolUseResult: { usage: { input_tokens: 77, output_tokens: 77 } },
    message: { role: 'user', content: 'x' },
  },
  { type: 'cost-state', sessionId: 's1', totalCostUSD: 9 },
];

// Costs (USD per million tokens, RULES.md):
//   A sonnet-4-5 base (prompt 6,010): 10×3 + 500×15 + 5000×0.3 + 600×3.75 + 400×6
//       = 30 + 7500 + 1500 + 2250 + 2400 = 13,680 → 0.01368
//   B opus-4-6 fast: (100×30 + 1000×150)/1e6 = 0.153; ×1.1 (us) = 0.1683; + 2×0.01 = 0.1883
//   C sonnet-4 base: 1000×3 + 2000×15 = 33,000 → 0.033 calculated; auto uses costUSD 0.05
//   D unpriced: no cost, 10 tokens
//   E long tier: 1×6 + 10×22.5 + 200000×0.6 = 6 + 225 + 120,000 = 120,231 → 0.120231
//   F base tier: 10×15 + 200000×0.3 = 150 + 60,000 = 60,150 → 0.06015
const COST_USD = 0.01368 + 0.1883 + 0.033 + 0.120231 + 0.06015; // 0.415361
const COST_USD_AUTO = COST_USD - 0.033 + 0.05; // 0.432361

describe('Oracle on a hand-built case', () => {
  it('counts each response once with its final tokens and original attribution', () => {
    const oracle = new Oracle();
    for (const record of RECORDS) oracle.ingest(record);
    oracle.quarantine();
    oracle.quarantine();
    const result = oracle.result();
    expect(result.responses).toBe(6);
    expect(result.usageLines).toBe(9);
    expect(result.quarantinedLines).toBe(2);
    expect(result.forkCopies).toBe(1);
    expect(result.sidechainReplays).toBe(1);
    const totals = result.totals;
    expect(totals.inputTokens).toBe(10 + 100 + 1000 + 5 + 1 + 0);
    expect(totals.outputTokens).toBe(500 + 1000 + 2000 + 5 + 10 + 10);
    expect(totals.cacheCreationTokens).toBe(1000);
    expect(totals.cacheCreation1hTokens).toBe(400);
    expect(totals.cacheReadTokens).toBe(5000 + 200_000 + 200_000);
    expect(totals.webSearchRequests).toBe(2);
    expect(totals.totalTokens).toBe(1116 + 3525 + 1000 + 405_000);
    expect(totals.costUsd).toBeCloseTo(COST_USD, 12);
    expect(totals.costUsd).toBe(0.415361);
    expect(totals.costUsdAuto).toBe(0.432361);
    expect(COST_USD_AUTO).toBeCloseTo(0.432361, 12);
    // A is attributed to its first block's day (2025-06-01), everything else to 2025-06-02.
    expect(Object.keys(result.byDay)).toEqual(['2025-06-01', '2025-06-02']);
    expect(result.byDay['2025-06-01']?.outputTokens).toBe(500);
    expect(result.byDay['2025-06-01']?.costUsd).toBe(0.01368);
    // B belongs to s2 (not the fork s3, not the sidechain replay).
    expect(Object.keys(result.bySession)).toEqual(['s1', 's2']);
    expect(result.bySession.s2).toMatchObject({
      responses: 1,
      cwd: '/home/dev/s2',
      costUsd: 0.1883,
    });
    expect(result.byModel['claude-nova-7']).toMatchObject({
      totalTokens: 10,
      costUsd: 0,
      costUsdAuto: 0,
    });
    expect(result.byModel[SONNET_45]).toMatchObject({ responses: 3, costUsd: 0.194061 });
    expect(result.unpricedModels).toEqual({ 'claude-nova-7': 10 });
  });

  it('does not depend on the order lines are read in', () => {
    const reference = new Oracle();
    for (const record of RECORDS) reference.ingest(record);
    const expected = reference.result();
    fc.assert(
      fc.property(fc.shuffledSubarray(RECORDS, { minLength: RECORDS.length }), (order) => {
        const oracle = new Oracle();
        for (const record of order) oracle.ingest(record);
        expect(oracle.result()).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('lets a non-sidechain line take over a response first seen as a sidechain replay', () => {
    const oracle = new Oracle();
    oracle.ingest(RECORDS[3]);
    oracle.ingest(RECORDS[2]);
    const result = oracle.result();
    expect(result.responses).toBe(1);
    expect(Object.keys(result.bySession)).toEqual(['s2']);
    expect(result.sidechainReplays).toBe(1);
  });
});
