import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { rollupMismatches } from '../helpers/ledger.js';
import { runCtt } from './run-ctt.js';

function assistant(id: string, model: string): string {
  return `${JSON.stringify({
    type: 'assistant',
    sessionId: 's-1',
    cwd: '/home/dev/app',
    timestamp: '2026-11-30T10:00:00.000Z',
    requestId: `req_${id}`,
    message: { id, model, usage: { input_tokens: 1000, output_tokens: 2000 } },
  })}\n`;
}

describe('ctt reprice', () => {
  let home: string;
  let db: string;
  const env = (): Record<string, string> => ({ HOME: home });
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'ctt-reprice-'));
    db = join(home, 'ledger.db');
    const project = join(home, '.claude', 'projects', '-home-dev-app');
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 's-1.jsonl'),
      assistant('msg_a', 'claude-nova-7') + assistant('msg_b', 'claude-sonnet-4-5-20250929'),
    );
    expect(runCtt(['sync', '--db', db, '-q'], env()).status).toBe(0);
  });

  it('prices a model added to the prices file, only when asked, and keeps reports consistent', () => {
    const prices = join(home, 'prices.json');
    writeFileSync(
      prices,
      JSON.stringify({
        models: {
          'claude-nova-7': {
            input: 1,
            output: 2,
            cacheWrite5m: 1.25,
            cacheWrite1h: 2,
            cacheRead: 0.1,
          },
        },
      }),
    );
    const before = JSON.parse(
      runCtt(['model', '--no-sync', '--json', '--db', db, '--prices', prices], env()).stdout,
    ) as { unpricedModels: { model: string }[] };
    expect(before.unpricedModels.map((m) => m.model)).toEqual(['claude-nova-7']);

    const dry = runCtt(['reprice', '--dry-run', '--json', '--db', db, '--prices', prices], env());
    expect(dry.status, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      examined: 2,
      changed: 1,
      newlyPriced: 1,
      dryRun: true,
    });

    const run = runCtt(['reprice', '--json', '--db', db, '--prices', prices], env());
    expect(JSON.parse(run.stdout)).toMatchObject({
      examined: 2,
      changed: 1,
      newlyPriced: 1,
      unpriced: 0,
    });
    const after = JSON.parse(
      runCtt(['model', '--no-sync', '--json', '--db', db, '--prices', prices], env()).stdout,
    ) as { unpricedModels: unknown[]; models: { model: string; totalCost: number }[] };
    expect(after.unpricedModels).toEqual([]);
    // 1,000 input × $1 + 2,000 output × $2 per million
    expect(after.models.find((m) => m.model === 'claude-nova-7')?.totalCost).toBeCloseTo(0.005, 12);
    const ledger = new Database(db, { readonly: true });
    try {
      expect(rollupMismatches(ledger)).toEqual([]);
      const version = ledger
        .prepare("SELECT price_version FROM response WHERE message_id = 'msg_a'")
        .pluck()
        .get();
      expect(version).toMatch(/\+user:/);
      // The trail moved with the costs: its sum still equals the responses' (auto-mode) cost.
      const trailCost = ledger.prepare('SELECT total(cost_usd) FROM change_event').pluck().get();
      const responseCost = ledger
        .prepare('SELECT total(coalesce(cost_usd_logged, cost_usd)) FROM response')
        .pluck()
        .get();
      expect(trailCost).toBeCloseTo(responseCost as number, 9);
      const repriced = ledger
        .prepare("SELECT source, cost_usd FROM change_event WHERE kind = 'repriced'")
        .all();
      expect(repriced).toHaveLength(1);
      expect(repriced[0]).toMatchObject({ source: 'tracker' });
    } finally {
      ledger.close();
    }
    const again = runCtt(['reprice', '--json', '--db', db, '--prices', prices], env());
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: 0 });
  });
});
