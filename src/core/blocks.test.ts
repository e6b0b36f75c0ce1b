import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identifyBlocks, type Block, type BlockEntry } from './blocks.js';
import { UsageError } from './errors.js';
import { zonedParts } from './time-zone.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const FIVE_HOURS_MS = 5 * HOUR_MS;
/** 2026-03-01T00:00:00Z: every time below is an offset from here. */
const DAY_MS = Date.UTC(2026, 2, 1);
const at = (hours: number, minutes = 0): number => DAY_MS + hours * HOUR_MS + minutes * MINUTE_MS;
const iso = (epochMs: number): string => new Date(epochMs).toISOString();

function entry(tsMs: number, fields: Partial<Omit<BlockEntry, 'tsMs'>> = {}): BlockEntry {
  return {
    tsMs,
    inputTokens: 100,
    outputTokens: 10,
    cacheCreationTokens: 1000,
    cacheReadTokens: 10_000,
    costUsd: 0.25,
    model: 'claude-sonnet-4-5',
    ...fields,
  };
}

const LONG_AFTER = at(100);

describe('identifyBlocks', () => {
  it('returns no blocks for no entries', () => {
    expect(identifyBlocks([], LONG_AFTER)).toEqual([]);
  });

  it('makes one block floored to the UTC hour, lasting 5 hours', () => {
    const blocks = identifyBlocks(
      [entry(at(10, 17)), entry(at(11), { model: 'claude-opus-4-5' }), entry(at(13, 59))],
      LONG_AFTER,
    );
    expect(blocks).toEqual<Block[]>([
      {
        id: '2026-03-01T10:00:00.000Z',
        startMs: at(10),
        endMs: at(15),
        actualEndMs: at(13, 59),
        isActive: false,
        isGap: false,
        entries: 3,
        tokenCounts: {
          inputTokens: 300,
          outputTokens: 30,
          cacheCreationInputTokens: 3000,
          cacheReadInputTokens: 30_000,
        },
        totalTokens: 33_330,
        costUsd: 0.75,
        models: ['claude-sonnet-4-5', 'claude-opus-4-5'],
        burnRate: null,
        projection: null,
      },
    ]);
  });

  it('starts a new block 5 hours after the block start even with continuous activity', () => {
    const entries = [];
    for (let t = at(10, 17); t <= at(16, 17); t += 30 * MINUTE_MS) entries.push(entry(t));
    const blocks = identifyBlocks(entries, LONG_AFTER);
    expect(blocks.map((b) => [iso(b.startMs), b.entries, b.isGap])).toEqual([
      ['2026-03-01T10:00:00.000Z', 10, false], // 10:17 … 14:47
      ['2026-03-01T15:00:00.000Z', 3, false], // 15:17, 15:47, 16:17
    ]);
    expect(blocks[0]?.actualEndMs).toBe(at(14, 47));
  });

  it('keeps an entry exactly 5 hours after the start or the previous entry', () => {
    expect(identifyBlocks([entry(at(10)), entry(at(15))], LONG_AFTER)).toHaveLength(1);
    const split = identifyBlocks([entry(at(10)), entry(at(15) + 1)], LONG_AFTER);
    expect(split.map((b) => [b.startMs, b.endMs, b.isGap])).toEqual([
      [at(10), at(15), false],
      [at(15), at(15) + 1, true], // idle for 5 h + 1 ms
      [at(15), at(20), false],
    ]);
    // 5 h after the previous entry is no idle gap, though the block must still end.
    const noGap = identifyBlocks([entry(at(10, 30)), entry(at(15, 30))], LONG_AFTER);
    expect(noGap.map((b) => [b.startMs, b.isGap])).toEqual([
      [at(10), false],
      [at(15), false],
    ]);
  });

  it('adds a gap block [last entry + 5 h, next entry) after an idle gap over 5 hours', () => {
    const blocks = identifyBlocks(
      [entry(at(10, 17)), entry(at(18)), entry(at(19), { costUsd: null })],
      LONG_AFTER,
    );
    expect(blocks.map((b) => b.id)).toEqual([
      '2026-03-01T10:00:00.000Z',
      'gap-2026-03-01T15:17:00.000Z',
      '2026-03-01T18:00:00.000Z',
    ]);
    expect(blocks[1]).toEqual<Block>({
      id: 'gap-2026-03-01T15:17:00.000Z',
      startMs: at(15, 17),
      endMs: at(18),
      actualEndMs: null,
      isActive: false,
      isGap: true,
      entries: 0,
      tokenCounts: {
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
      },
      totalTokens: 0,
      costUsd: 0,
      models: [],
      burnRate: null,
      projection: null,
    });
    expect(blocks[2]?.costUsd).toBe(0.25);
  });

  it('gives the active block a burn rate and a projection to its end', () => {
    const entries = [
      entry(at(10), {
        inputTokens: 1000,
        outputTokens: 0,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        costUsd: 0.5,
      }),
      entry(at(11), {
        inputTokens: 0,
        outputTokens: 2000,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        costUsd: 1.5,
      }),
    ];
    const [block] = identifyBlocks(entries, at(12));
    expect(block?.isActive).toBe(true);
    expect(block?.burnRate).toEqual({ tokensPerHour: 3000, costUsdPerHour: 2 });
    // 3 hours left until 15:00.
    expect(block?.projection).toEqual({ totalTokens: 12_000, costUsd: 8, remainingMinutes: 180 });
  });

  it('rates over first→last entry, not over the block', () => {
    const entries = [entry(at(10, 30), { costUsd: 1 }), entry(at(10, 45), { costUsd: 1 })];
    const [block] = identifyBlocks(entries, at(14, 30));
    expect(block?.burnRate?.tokensPerHour).toBe(4 * 2 * 11_110);
    expect(block?.burnRate?.costUsdPerHour).toBe(8);
    expect(block?.projection?.remainingMinutes).toBe(30);
    expect(block?.projection?.totalTokens).toBe(2 * 11_110 + 2 * 2 * 11_110);
  });

  it('has no burn rate for a span under one minute', () => {
    const single = identifyBlocks([entry(at(10, 5))], at(11));
    expect(single[0]?.isActive).toBe(true);
    expect(single[0]?.burnRate).toBeNull();
    expect(single[0]?.projection).toBeNull();
    const burst = identifyBlocks([entry(at(10, 5)), entry(at(10, 5) + 59_999)], at(11));
    expect(burst[0]?.burnRate).toBeNull();
    const minute = identifyBlocks([entry(at(10, 5)), entry(at(10, 6))], at(11));
    expect(minute[0]?.burnRate).not.toBeNull();
  });

  it('is active only while now is within 5 h of the last entry and before the block end', () => {
    const entries = [entry(at(10, 5))];
    expect(identifyBlocks(entries, at(14, 59))[0]?.isActive).toBe(true);
    expect(identifyBlocks(entries, at(15))[0]?.isActive).toBe(false);
    expect(identifyBlocks(entries, at(15, 10))[0]?.isActive).toBe(false);
    const late = [entry(at(10, 5)), entry(at(14, 50))];
    expect(identifyBlocks(late, at(14, 59))[0]?.isActive).toBe(true);
    const blocks = identifyBlocks([entry(at(1)), entry(at(10, 5))], at(11));
    expect(blocks.map((b) => b.isActive)).toEqual([false, false, true]);
    expect(blocks[0]?.burnRate).toBeNull();
  });

  it('costs null when every entry is unpriced, else the sum of the priced ones', () => {
    const unpriced = identifyBlocks(
      [entry(at(10), { costUsd: null }), entry(at(11), { costUsd: null })],
      at(11, 30),
    );
    expect(unpriced[0]?.costUsd).toBeNull();
    expect(unpriced[0]?.burnRate).toEqual({ tokensPerHour: 2 * 11_110, costUsdPerHour: 0 });
    expect(unpriced[0]?.projection?.costUsd).toBe(0);
    const mixed = identifyBlocks(
      [
        entry(at(10), { costUsd: null }),
        entry(at(11), { costUsd: 0.125 }),
        entry(at(12), { costUsd: 0 }),
      ],
      LONG_AFTER,
    );
    expect(mixed[0]?.costUsd).toBe(0.125);
    expect(identifyBlocks([entry(at(10), { costUsd: 0 })], LONG_AFTER)[0]?.costUsd).toBe(0);
  });

  it('floors to the UTC hour even where local hours start at half past (+05:30)', () => {
    const tsMs = Date.UTC(2026, 2, 1, 4, 45); // 10:15 in Kolkata
    const [block] = identifyBlocks([entry(tsMs)], LONG_AFTER);
    expect(block?.startMs).toBe(Date.UTC(2026, 2, 1, 4));
    expect(block?.id).toBe('2026-03-01T04:00:00.000Z');
    const localStart = zonedParts(block?.startMs ?? 0, 'Asia/Kolkata');
    expect([localStart.hour, localStart.minute]).toEqual([9, 30]);
  });

  it('sorts its input without changing it; models in first-seen time order', () => {
    const entries = [
      entry(at(12), { model: 'c' }),
      entry(at(10), { model: 'a' }),
      entry(at(11), { model: 'b' }),
      entry(at(11), { model: 'a' }),
      entry(at(11), { model: 'd' }),
    ];
    const copy = [...entries];
    const [block] = identifyBlocks(entries, LONG_AFTER);
    expect(entries).toEqual(copy);
    expect(block?.models).toEqual(['a', 'b', 'd', 'c']);
    expect(block?.startMs).toBe(at(10));
    expect(block?.actualEndMs).toBe(at(12));
  });

  it('sorts large and fractional inputs like Array#sort', () => {
    const sorted: BlockEntry[] = [];
    let random = 7;
    const next = (): number => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 50_000; i++) {
      // Distinct, increasing times with an idle day every 1000 entries.
      const tsMs = at(0) + i * 37_000 + (next() % 30_000) + Math.floor(i / 1000) * 24 * HOUR_MS;
      sorted.push(entry(tsMs, { model: `m${i % 7}`, inputTokens: i }));
    }
    const shuffled = [...sorted];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as BlockEntry, shuffled[i] as BlockEntry];
    }
    const expected = identifyBlocks(sorted, at(0));
    expect(expected.length).toBeGreaterThan(10);
    expect(identifyBlocks(shuffled, at(0))).toEqual(expected);
    const fractional = [entry(at(11) + 0.5), entry(at(10) + 0.25)];
    expect(identifyBlocks(fractional, LONG_AFTER)[0]?.startMs).toBe(at(10));
  });

  it('takes a block length and rejects a bad one', () => {
    const blocks = identifyBlocks([entry(at(10)), entry(at(11, 30))], LONG_AFTER, {
      blockHours: 1,
    });
    expect(blocks.map((b) => [b.id, b.endMs - b.startMs])).toEqual([
      ['2026-03-01T10:00:00.000Z', HOUR_MS],
      ['gap-2026-03-01T11:00:00.000Z', 30 * MINUTE_MS],
      ['2026-03-01T11:00:00.000Z', HOUR_MS],
    ]);
    expect(() => identifyBlocks([], 0, { blockHours: 0 })).toThrow(UsageError);
    expect(() => identifyBlocks([], 0, { blockHours: Number.NaN })).toThrow(UsageError);
  });

  it('places each of 1,000,000 time-ordered entries in exactly one block', () => {
    // Speed is measured by the benchmark, never asserted here.
    const entries: BlockEntry[] = [];
    for (let i = 0; i < 1_000_000; i++) entries.push(entry(at(0) + i * 20_000));
    const blocks = identifyBlocks(entries, at(0));
    expect(blocks.reduce((sum, b) => sum + b.entries, 0)).toBe(1_000_000);
  });
});

describe('identifyBlocks properties', () => {
  const step = fc.oneof(
    fc.integer({ min: 0, max: 2 * HOUR_MS }),
    fc.constantFrom(0, 59_999, HOUR_MS, FIVE_HOURS_MS, FIVE_HOURS_MS + 1),
    fc.integer({ min: 4 * HOUR_MS, max: 12 * HOUR_MS }),
  );
  const row = fc.record({
    stepMs: step,
    inputTokens: fc.nat(1000),
    outputTokens: fc.nat(1000),
    cacheCreationTokens: fc.nat(1000),
    cacheReadTokens: fc.nat(1000),
    costCents: fc.option(fc.nat(500), { nil: null }),
    model: fc.constantFrom('opus', 'sonnet', 'haiku'),
  });
  type Row = typeof row extends fc.Arbitrary<infer Value> ? Value : never;

  /** Entries in time order (ties allowed), handed over shuffled. */
  function scenario(rows: readonly Row[], seed: number) {
    let tsMs = Date.UTC(2026, 0, 1, 0, 17);
    const ordered = rows.map(({ stepMs, costCents, ...tokens }): BlockEntry => {
      tsMs += stepMs;
      return { tsMs, ...tokens, costUsd: costCents === null ? null : costCents / 100 };
    });
    const shuffled = [...ordered];
    let random = seed;
    for (let i = shuffled.length - 1; i > 0; i--) {
      random = (random * 1_103_515_245 + 12_345) % 2 ** 31;
      const j = random % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as BlockEntry, shuffled[i] as BlockEntry];
    }
    // What a stable sort of the shuffled input gives: the order blocks see.
    return { shuffled, byTime: [...shuffled].sort((a, b) => a.tsMs - b.tsMs), lastMs: tsMs };
  }

  it('gives the same blocks from per-hour groups as from single responses', () => {
    // Groups of one model within a right-closed hour (k−1 h, k h], as the ledger query sums them.
    const group = (entries: readonly BlockEntry[]): BlockEntry[] => {
      const groups = new Map<
        string,
        BlockEntry & { lastMs: number; count: number; pricedCount: number }
      >();
      for (const e of [...entries].sort((a, b) => a.tsMs - b.tsMs)) {
        const key = `${Math.ceil(e.tsMs / HOUR_MS)}|${e.model}`;
        const g = groups.get(key);
        if (g === undefined) {
          groups.set(key, {
            ...e,
            lastMs: e.tsMs,
            count: 1,
            pricedCount: e.costUsd === null ? 0 : 1,
          });
          continue;
        }
        groups.set(key, {
          ...g,
          lastMs: e.tsMs,
          count: g.count + 1,
          pricedCount: g.pricedCount + (e.costUsd === null ? 0 : 1),
          inputTokens: g.inputTokens + e.inputTokens,
          outputTokens: g.outputTokens + e.outputTokens,
          cacheCreationTokens: g.cacheCreationTokens + e.cacheCreationTokens,
          cacheReadTokens: g.cacheReadTokens + e.cacheReadTokens,
          costUsd:
            g.costUsd === null && e.costUsd === null ? null : (g.costUsd ?? 0) + (e.costUsd ?? 0),
        });
      }
      return [...groups.values()].sort((a, b) => a.tsMs - b.tsMs);
    };
    const comparable = (blocks: readonly Block[]) =>
      blocks.map((b) => ({
        ...b,
        costUsd: b.costUsd === null ? null : Math.round(b.costUsd * 1e6),
        models: [...b.models].sort(),
        burnRate: b.burnRate === null ? null : Math.round(b.burnRate.tokensPerHour),
        projection: b.projection === null ? null : b.projection.totalTokens,
      }));
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 80 }),
        fc.nat(),
        fc.integer({ min: 0, max: 12 * HOUR_MS }),
        (rows, seed, nowAfterMs) => {
          const { shuffled, lastMs } = scenario(rows, seed);
          const nowMs = lastMs + nowAfterMs;
          expect(comparable(identifyBlocks(group(shuffled), nowMs))).toEqual(
            comparable(identifyBlocks(shuffled, nowMs)),
          );
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('partitions the entries into non-overlapping blocks by the ccusage rules', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 80 }),
        fc.nat(),
        fc.integer({ min: 0, max: 12 * HOUR_MS }),
        (rows, seed, nowAfterMs) => {
          const { shuffled, byTime, lastMs } = scenario(rows, seed);
          const nowMs = lastMs + nowAfterMs;
          const blocks = identifyBlocks(shuffled, nowMs);
          let cursor = 0;
          let previous: { block: Block; index: number } | null = null;
          for (const [index, block] of blocks.entries()) {
            if (block.isGap) continue;
            // Every entry lands in exactly one non-gap block: blocks take consecutive runs.
            const mine = byTime.slice(cursor, cursor + block.entries);
            cursor += block.entries;
            const first = mine[0] as BlockEntry;
            const last = mine.at(-1) as BlockEntry;
            expect(mine.length).toBeGreaterThan(0);
            expect(block.startMs).toBe(Math.floor(first.tsMs / HOUR_MS) * HOUR_MS);
            expect(block.id).toBe(iso(block.startMs));
            expect(block.endMs).toBe(block.startMs + FIVE_HOURS_MS);
            expect(block.actualEndMs).toBe(last.tsMs);
            mine.forEach((e, i) => {
              expect(e.tsMs - block.startMs).toBeLessThanOrEqual(FIVE_HOURS_MS);
              if (i > 0)
                expect(e.tsMs - (mine[i - 1] as BlockEntry).tsMs).toBeLessThanOrEqual(
                  FIVE_HOURS_MS,
                );
            });
            const sum = (pick: (e: BlockEntry) => number): number =>
              mine.reduce((s, e) => s + pick(e), 0);
            expect(block.tokenCounts).toEqual({
              inputTokens: sum((e) => e.inputTokens),
              outputTokens: sum((e) => e.outputTokens),
              cacheCreationInputTokens: sum((e) => e.cacheCreationTokens),
              cacheReadInputTokens: sum((e) => e.cacheReadTokens),
            });
            expect(block.totalTokens).toBe(
              sum(
                (e) => e.inputTokens + e.outputTokens + e.cacheCreationTokens + e.cacheReadTokens,
              ),
            );
            const priced = mine.filter((e) => e.costUsd !== null);
            if (priced.length === 0) expect(block.costUsd).toBeNull();
            else
              expect(block.costUsd).toBeCloseTo(
                sum((e) => e.costUsd ?? 0),
                9,
              );
            expect(block.models).toEqual([...new Set(mine.map((e) => e.model))]);
            const active = nowMs - last.tsMs < FIVE_HOURS_MS && nowMs < block.endMs;
            expect(block.isActive).toBe(active);
            if (!active) expect([block.burnRate, block.projection]).toEqual([null, null]);
            if (previous !== null) {
              const prev = previous.block;
              const prevLastMs = prev.actualEndMs ?? 0;
              expect(prev.endMs).toBeLessThanOrEqual(block.startMs); // no overlap
              // A new block only where a rule demands one.
              expect(
                first.tsMs - prev.startMs > FIVE_HOURS_MS ||
                  first.tsMs - prevLastMs > FIVE_HOURS_MS,
              ).toBe(true);
              const between = blocks.slice(previous.index + 1, index);
              if (first.tsMs - prevLastMs > FIVE_HOURS_MS) {
                expect(between.map((b) => [b.isGap, b.startMs, b.endMs, b.entries])).toEqual([
                  [true, prevLastMs + FIVE_HOURS_MS, first.tsMs, 0],
                ]);
                expect(prev.endMs).toBeLessThanOrEqual(between[0]?.startMs ?? 0);
              } else {
                expect(between).toEqual([]);
              }
            }
            previous = { block, index };
          }
          expect(cursor).toBe(byTime.length);
          expect(blocks.filter((b) => b.isActive).length).toBeLessThanOrEqual(1);
          const total = blocks.reduce((s, b) => s + b.totalTokens, 0);
          const expected = byTime.reduce(
            (s, e) =>
              s + e.inputTokens + e.outputTokens + e.cacheCreationTokens + e.cacheReadTokens,
            0,
          );
          expect(total).toBe(expected);
        },
      ),
      { seed: 5, numRuns: 500 },
    );
  });
});
