import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assistantLine, jsonl, userLine } from '../../../test/helpers/claude-lines.js';
import { makeTempTree, type TempTree } from '../../../test/helpers/temp-tree.js';
import { scanTranscript, type ScanSlice } from './scan-transcript.js';
import { scanLine, type LineResult } from './transcript-line.js';

/** The example of claude-code-data §3.6, field for field as Claude Code 2.1.332 writes it. */
const DOC_EXAMPLE = {
  type: 'cost-state',
  sessionId: '5b0e6c1a-3d7e-4c55-9b1e-6f2f0d1b9a77',
  totalCostUSD: 4.18237,
  totalAPIDuration: 412233,
  totalAPIDurationWithoutRetries: 398120,
  totalToolDuration: 61377,
  totalLinesAdded: 212,
  totalLinesRemoved: 37,
  totalDuration: 3120455,
  startTime: 1764849611000,
  modelUsage: {
    'claude-opus-5-5': {
      inputTokens: 16011,
      outputTokens: 58110,
      thinkingTokens: 20114,
      cacheReadInputTokens: 6001200,
      cacheCreationInputTokens: 398004,
      cacheCreationEphemeral5mInputTokens: 0,
      cacheCreationEphemeral1hInputTokens: 398004,
      webSearchRequests: 2,
      costUSD: 4.1102,
    },
    'claude-haiku-5-5': {
      inputTokens: 2220,
      outputTokens: 3094,
      cacheReadInputTokens: 119242,
      cacheCreationInputTokens: 4114,
      webSearchRequests: 0,
      costUSD: 0.07217,
    },
  },
  hasUnknownModelCost: false,
  modelCallCostUSD: 0.0,
};

function costState(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...DOC_EXAMPLE, ...fields });
}

function scan(line: string | Buffer, fileOffset = 0): LineResult {
  const buf = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  return scanLine(buf, 0, buf.length, fileOffset, buf.indexOf(0));
}

const NULLS = {
  inputTokens: null,
  outputTokens: null,
  cacheCreationTokens: null,
  cacheReadTokens: null,
  webSearchRequests: null,
};

describe('cost-state lines', () => {
  it('reads the totals and sums modelUsage over the models', () => {
    const result = scan(costState(), 500);
    expect(result).toMatchObject({ copies: [], records: 1, damage: null, synthetic: 0 });
    expect(result.costStates).toEqual([
      {
        byteOffset: 500,
        sessionId: '5b0e6c1a-3d7e-4c55-9b1e-6f2f0d1b9a77',
        totalCostUsd: 4.18237,
        linesAdded: 212,
        linesRemoved: 37,
        inputTokens: 16011 + 2220,
        outputTokens: 58110 + 3094,
        cacheCreationTokens: 398004 + 4114,
        cacheReadTokens: 6001200 + 119242,
        webSearchRequests: 2,
      },
    ]);
  });

  it('gives null for absent or null fields, and for a field no model carries', () => {
    const bare = scan(JSON.stringify({ type: 'cost-state' })).costStates;
    expect(bare).toEqual([
      {
        byteOffset: 0,
        sessionId: null,
        totalCostUsd: null,
        linesAdded: null,
        linesRemoved: null,
        ...NULLS,
      },
    ]);
    const nulls = scan(
      costState({
        sessionId: null,
        totalCostUSD: null,
        totalLinesAdded: null,
        totalLinesRemoved: 'many',
        modelUsage: null,
      }),
    );
    expect(nulls.damage).toBeNull();
    expect(nulls.costStates[0]).toMatchObject({
      sessionId: null,
      totalCostUsd: null,
      linesAdded: null,
      linesRemoved: null,
      ...NULLS,
    });
    // CC 2.1.246 wrote no webSearchRequests; one model without a field still counts the others.
    const partial = scan(
      costState({
        modelUsage: {
          a: { inputTokens: 5, outputTokens: 7 },
          b: { inputTokens: 1, cacheReadInputTokens: null },
        },
      }),
    );
    expect(partial.costStates[0]).toMatchObject({
      inputTokens: 6,
      outputTokens: 7,
      cacheCreationTokens: null,
      cacheReadTokens: null,
      webSearchRequests: null,
    });
  });

  it('reads an empty modelUsage (no API call yet) as zeros', () => {
    expect(scan(costState({ totalCostUSD: 0, modelUsage: {} })).costStates[0]).toMatchObject({
      totalCostUsd: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationTokens: 0,
      cacheReadTokens: 0,
      webSearchRequests: 0,
    });
  });

  it('quarantines a torn cost-state line and keeps nothing of it', () => {
    const line = costState();
    for (const cut of [1, 20, 60, line.length - 1]) {
      const result = scan(line.slice(0, cut));
      expect(result.costStates, `cut at ${cut}`).toEqual([]);
      expect(result.damage, `cut at ${cut}`).toBe('torn');
    }
  });

  it('quarantines a cost-state line whose numbers do not parse, without a record', () => {
    const cases: [RegExp, string][] = [
      [/"totalCostUSD":[0-9.]+/, '"totalCostUSD":4.1e'],
      [/"totalLinesAdded":[0-9]+/, '"totalLinesAdded":--2'],
      [/"inputTokens":[0-9]+/, '"inputTokens":1-2'],
    ];
    for (const [field, bad] of cases) {
      const line = costState().replace(field, bad);
      expect(line).toContain(bad);
      const result = scan(line);
      expect(result.costStates, bad).toEqual([]);
      expect(result.damage, bad).toBe('bad-cost-state');
    }
  });

  it('keeps an intact cost-state record glued to a usage line, and quarantines the line', () => {
    const usage = assistantLine({ messageId: 'msg_glued', usage: { input: 3, output: 4 } });
    const result = scan(`${usage}${costState()}`, 100);
    expect(result.damage).toBe('glued');
    expect(result.copies.map((c) => c.messageId)).toEqual(['msg_glued']);
    expect(result.costStates.map((c) => c.byteOffset)).toEqual([100 + Buffer.byteLength(usage)]);
    const spliced = scan(`${usage.slice(0, 200)}${costState()}`);
    expect(spliced.damage).toBe('spliced');
    expect(spliced.costStates).toHaveLength(1);
  });

  it('does not take a cost-state object nested in another record', () => {
    const nested = JSON.stringify({ type: 'progress', data: JSON.parse(costState()) as unknown });
    expect(scan(nested)).toMatchObject({ costStates: [], records: 1, damage: null });
  });
});

describe('cost-state lines in a transcript', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = makeTempTree();
  });
  afterEach(() => {
    tree.cleanup();
  });

  function slicesOf(path: string, sliceBytes?: number): ScanSlice[] {
    const stat = statSync(path, { bigint: true });
    const target = { path, dev: String(stat.dev), ino: String(stat.ino), fromOffset: 0 };
    const items = [
      ...scanTranscript(
        { ...target, anchorHash: null },
        sliceBytes === undefined ? {} : { sliceBytes },
      ),
    ];
    return items.map((item) => {
      if (item.kind !== 'slice') throw new Error(item.kind);
      return item;
    });
  }

  it('finds each cost-state line once, at its offset, among usage lines, for any slice size', () => {
    const lines = [
      assistantLine({ messageId: 'msg_1', usage: { input: 1, output: 10 } }),
      costState({ totalCostUSD: 0.5 }),
      userLine(),
      assistantLine({ messageId: 'msg_2', usage: { input: 2, output: 20 } }),
      costState({ totalCostUSD: 0.75 }),
      costState().slice(0, 80), // torn
      assistantLine({ messageId: 'msg_3', usage: { input: 3, output: 30 } }),
    ];
    const offsets: number[] = [];
    let at = 0;
    for (const line of lines) {
      offsets.push(at);
      at += Buffer.byteLength(line) + 1;
    }
    const path = tree.path('p', 's.jsonl');
    tree.write(path, jsonl(...lines));
    for (const sliceBytes of [undefined, 1, 700, 3000]) {
      const slices = slicesOf(path, sliceBytes);
      const costStates = slices.flatMap((s) => s.costStates);
      expect(costStates.map((c) => [c.byteOffset, c.totalCostUsd])).toEqual([
        [offsets[1], 0.5],
        [offsets[4], 0.75],
      ]);
      for (const slice of slices) {
        for (const c of slice.costStates) {
          expect(c.byteOffset).toBeGreaterThanOrEqual(slice.startOffset);
          expect(c.byteOffset).toBeLessThan(slice.endOffset);
        }
      }
      expect(slices.flatMap((s) => s.copies.map((c) => c.messageId))).toEqual([
        'msg_1',
        'msg_2',
        'msg_3',
      ]);
      expect(slices.flatMap((s) => s.quarantine.map((q) => [q.byteOffset, q.reason]))).toEqual([
        [offsets[5], 'torn'],
      ]);
    }
  });
});
