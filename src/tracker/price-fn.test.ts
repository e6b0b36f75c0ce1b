/** Prices stored with each response by a real sync: priced models get a cost, unknown ones NULL. */
import { describe, expect, it } from 'vitest';
import {
  assistantLine,
  jsonl,
  type AssistantLineOptions,
} from '../../test/helpers/claude-lines.js';
import { ledgerTotals, priceTable, responseRows, sync } from '../../test/helpers/ledger.js';
import { makeTempTree } from '../../test/helpers/temp-tree.js';
import { computeCost } from '../pricing/compute-cost.js';
import { lookupPrice } from '../pricing/price-table.js';
import { openLedger } from '../store/database.js';
import { readLedgerHealth } from '../store/ledger-health.js';

function line(options: AssistantLineOptions): string {
  return assistantLine({ sessionId: '11111111-1111-4111-8111-111111111111', ...options });
}

async function rowsAfter(steps: readonly (readonly string[])[]) {
  const tree = makeTempTree();
  const db = openLedger(':memory:');
  try {
    for (const lines of steps) {
      tree.append(tree.path('-home-a', 's.jsonl'), jsonl(...lines));
      await sync(db, [tree.projectsDir]);
    }
    return responseRows(db);
  } finally {
    db.close();
    tree.cleanup();
  }
}

describe('costs', () => {
  it('stores the cost of a priced model and NULL for an unknown one', async () => {
    const tree = makeTempTree();
    const db = openLedger(':memory:');
    try {
      const usage = {
        input: 1000,
        output: 2000,
        cacheWrite: 3000,
        cacheWrite1h: 1000,
        cacheRead: 4000,
      };
      tree.write(
        tree.path('-home-a', 's.jsonl'),
        jsonl(
          line({ messageId: 'msg_priced', model: 'claude-sonnet-4-5-20250929', usage }),
          line({ messageId: 'msg_unknown', model: 'claude-imaginary-9', usage }),
        ),
      );
      await sync(db, [tree.projectsDir]);
      const rows = responseRows(db);
      const priced = rows.find((r) => r.message_id === 'msg_priced');
      const unknown = rows.find((r) => r.message_id === 'msg_unknown');
      const entry = lookupPrice(priceTable(), 'claude-sonnet-4-5-20250929');
      if (entry === undefined) throw new Error('catalogue lacks Sonnet 4.5');
      const expected = computeCost(
        {
          inputTokens: 1000,
          outputTokens: 2000,
          cacheCreationTokens: 3000,
          cacheCreation1hTokens: 1000,
          cacheReadTokens: 4000,
          webSearchRequests: 0,
          webFetchRequests: 0,
          speed: null,
          inferenceGeo: 'global',
          serviceTier: 'standard',
        },
        entry,
      );
      expect(priced?.cost_usd).toBeCloseTo(expected.costUsd, 12);
      expect(priced?.cost_usd).toBeGreaterThan(0);
      expect(priced?.cost_tier).toBe('standard');
      expect(priced?.price_version).toBe(priceTable().version);
      expect(unknown?.cost_usd).toBeNull();
      expect(unknown?.cost_tier).toBeNull();
      expect(readLedgerHealth(db).unpricedModels).toEqual([
        { model: 'claude-imaginary-9', responses: 1, totalTokens: 10_000 },
      ]);
      expect(ledgerTotals(db).output).toBe(4000);
    } finally {
      db.close();
      tree.cleanup();
    }
  });

  it('reprices a response when a later copy replaces its final usage', async () => {
    const rows = await rowsAfter([
      [line({ messageId: 'msg_R', usage: { input: 10, output: 1 } })],
      [line({ messageId: 'msg_R', usage: { input: 10, output: 5000 } })],
    ]);
    const once = await rowsAfter([
      [line({ messageId: 'msg_R', usage: { input: 10, output: 5000 } })],
    ]);
    expect(rows).toEqual(once);
    expect(rows[0]?.cost_usd).toBeGreaterThan(0);
  });
});
