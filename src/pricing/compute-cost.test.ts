import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZERO_USAGE } from '../core/usage.js';
import type { TokenUsage } from '../core/usage.js';
import { computeCost, promptTokens } from './compute-cost.js';
import { buildPriceTable, lookupPrice } from './price-table.js';
import type { PriceEntry } from './price-table.js';

const table = buildPriceTable();

function entryOf(modelId: string): PriceEntry {
  const entry = lookupPrice(table, modelId);
  if (entry === undefined) throw new Error(`test needs ${modelId}`);
  return entry;
}

function usage(fields: Partial<TokenUsage>): TokenUsage {
  return { ...ZERO_USAGE, ...fields };
}

const sonnet45 = entryOf('claude-sonnet-4-5-20250929');
const haiku55 = entryOf('claude-haiku-5-5');
const opus46 = entryOf('claude-opus-4-6');

describe('computeCost: long-context tier (the whole request switches)', () => {
  it('Sonnet 4.5 at exactly 200,000 prompt tokens stays standard', () => {
    // 200,000 × $3 + 1,000 × $15 = 615,000 µ$ → $0.615
    const cost = computeCost(usage({ inputTokens: 200_000, outputTokens: 1_000 }), sonnet45);
    expect(cost.tier).toBe('standard');
    expect(cost.costUsd).toBeCloseTo(0.615, 10);
  });

  it('Sonnet 4.5 at 200,001 prompt tokens prices every token at the long-context rate', () => {
    // 200,001 × $6 + 1,000 × $22.5 = 1,200,006 + 22,500 = 1,222,506 µ$ → $1.222506
    const cost = computeCost(usage({ inputTokens: 200_001, outputTokens: 1_000 }), sonnet45);
    expect(cost.tier).toBe('long-context');
    expect(cost.costUsd).toBeCloseTo(1.222506, 10);
  });

  it('counts input + cache read + cache write as the prompt, not output', () => {
    const prompt = { inputTokens: 1_000, cacheReadTokens: 150_000, cacheCreationTokens: 49_000 };
    expect(promptTokens(usage(prompt))).toBe(200_000);
    const atLimit = computeCost(usage({ ...prompt, outputTokens: 500_000 }), sonnet45);
    expect(atLimit.tier).toBe('standard');
    // one more cache-write token: 1,000 × 6 + 150,000 × 0.6 + 49,001 × 7.5
    //   = 6,000 + 90,000 + 367,507.5 = 463,507.5 µ$
    const over = computeCost(usage({ ...prompt, cacheCreationTokens: 49_001 }), sonnet45);
    expect(over.tier).toBe('long-context');
    expect(over.costUsd).toBeCloseTo(0.4635075, 10);
  });

  it('Haiku 5.5 switches above 100,000 prompt tokens', () => {
    // 100,000 × $0.1 = $0.01;  100,001 × $0.5 = $0.0500005
    const at = computeCost(usage({ inputTokens: 100_000 }), haiku55);
    const over = computeCost(usage({ inputTokens: 100_001 }), haiku55);
    expect([at.tier, over.tier]).toEqual(['standard', 'long-context']);
    expect(at.costUsd).toBeCloseTo(0.01, 10);
    expect(over.costUsd).toBeCloseTo(0.0500005, 10);
  });

  it('models without a tier never switch', () => {
    // 900,000 × $5 = $4.5
    const cost = computeCost(usage({ inputTokens: 900_000 }), opus46);
    expect(cost.tier).toBe('standard');
    expect(cost.costUsd).toBeCloseTo(4.5, 10);
  });
});

describe('computeCost: cache writes', () => {
  it('splits writes into 1-hour and 5-minute shares', () => {
    // 6,000 × $3.75 + 4,000 × $6 = 22,500 + 24,000 = 46,500 µ$
    const cost = computeCost(
      usage({ cacheCreationTokens: 10_000, cacheCreation1hTokens: 4_000 }),
      sonnet45,
    );
    expect(cost.costUsd).toBeCloseTo(0.0465, 10);
  });

  it('prices writes with no 1-hour breakdown as 5-minute writes', () => {
    // 10,000 × $3.75 = $0.0375
    expect(computeCost(usage({ cacheCreationTokens: 10_000 }), sonnet45).costUsd).toBeCloseTo(
      0.0375,
      10,
    );
  });

  it('clamps the 1-hour share to [0, all writes]', () => {
    const tooMany = usage({ cacheCreationTokens: 10_000, cacheCreation1hTokens: 15_000 });
    expect(computeCost(tooMany, sonnet45).costUsd).toBeCloseTo(0.06, 10); // 10,000 × $6
    const negative = usage({ cacheCreationTokens: 10_000, cacheCreation1hTokens: -5 });
    expect(computeCost(negative, sonnet45).costUsd).toBeCloseTo(0.0375, 10); // 10,000 × $3.75
    const notANumber = usage({ cacheCreationTokens: 10_000, cacheCreation1hTokens: Number.NaN });
    expect(computeCost(notANumber, sonnet45).costUsd).toBeCloseTo(0.0375, 10);
  });
});

describe('computeCost: fast mode', () => {
  it('prices a fast Opus 4.6 response at its fast set (6× standard)', () => {
    const tokens = { inputTokens: 1_000, outputTokens: 2_000 };
    // fast: 1,000 × $30 + 2,000 × $150 = 330,000 µ$; standard: 1,000 × $5 + 2,000 × $25 = 55,000 µ$
    const fast = computeCost(usage({ ...tokens, speed: 'fast' }), opus46);
    const standard = computeCost(usage(tokens), opus46);
    expect(fast).toEqual({ costUsd: fast.costUsd, tier: 'fast', fastUnpriced: false });
    expect(fast.costUsd).toBeCloseTo(0.33, 10);
    expect(standard.costUsd).toBeCloseTo(0.055, 10);
    expect(fast.costUsd / standard.costUsd).toBeCloseTo(6, 10);
  });

  it('prices a fast response of a model without a fast set normally and flags it', () => {
    // 1,000 × $3 + 2,000 × $15 = 33,000 µ$
    const cost = computeCost(
      usage({ inputTokens: 1_000, outputTokens: 2_000, speed: 'fast' }),
      sonnet45,
    );
    expect(cost.tier).toBe('standard');
    expect(cost.fastUnpriced).toBe(true);
    expect(cost.costUsd).toBeCloseTo(0.033, 10);
  });

  it('keeps the long-context tier for an unpriced fast response', () => {
    const cost = computeCost(usage({ inputTokens: 200_001, speed: 'fast' }), sonnet45);
    expect(cost).toMatchObject({ tier: 'long-context', fastUnpriced: true });
  });

  it('treats any other speed as standard, unflagged', () => {
    const cost = computeCost(usage({ inputTokens: 1_000, speed: 'standard' }), opus46);
    expect(cost).toMatchObject({ tier: 'standard', fastUnpriced: false });
    expect(cost.costUsd).toBeCloseTo(0.005, 10);
  });
});

describe('computeCost: geography and server tools', () => {
  it('multiplies token cost by 1.1 for US inference, but not web search', () => {
    // (1,000 × $5 + 1,000 × $25) = 30,000 µ$ = $0.03; × 1.1 = $0.033; + 2 × $0.01 = $0.053
    const tokens = { inputTokens: 1_000, outputTokens: 1_000, webSearchRequests: 2 };
    expect(computeCost(usage({ ...tokens, inferenceGeo: 'us' }), opus46).costUsd).toBeCloseTo(
      0.053,
      10,
    );
    expect(computeCost(usage({ ...tokens, inferenceGeo: 'eu' }), opus46).costUsd).toBeCloseTo(
      0.05,
      10,
    );
    expect(computeCost(usage(tokens), opus46).costUsd).toBeCloseTo(0.05, 10);
  });

  it('charges $0.01 per web search and nothing for web fetches', () => {
    const searches = computeCost(usage({ webSearchRequests: 3, inferenceGeo: 'us' }), haiku55);
    expect(searches.costUsd).toBeCloseTo(0.03, 10);
    expect(computeCost(usage({ webFetchRequests: 7 }), haiku55).costUsd).toBe(0);
  });

  it('costs nothing for zero usage', () => {
    expect(computeCost(ZERO_USAGE, opus46)).toEqual({
      costUsd: 0,
      tier: 'standard',
      fastUnpriced: false,
    });
  });
});

describe('computeCost: realistic responses, by hand', () => {
  it('a Sonnet 4.5 turn reading a warm cache', () => {
    // 3 × 3 + 512 × 15 + 45,000 × 0.3 + 2,048 × 3.75 = 9 + 7,680 + 13,500 + 7,680 = 28,869 µ$
    const u = usage({
      inputTokens: 3,
      outputTokens: 512,
      cacheReadTokens: 45_000,
      cacheCreationTokens: 2_048,
    });
    expect(computeCost(u, sonnet45).costUsd).toBeCloseTo(0.028869, 10);
  });

  it('an Opus 4.6 turn writing a 1-hour cache', () => {
    // 10 × 5 + 1,200 × 25 + 80,000 × 0.5 + 5,000 × 10 = 50 + 30,000 + 40,000 + 50,000 = 120,050 µ$
    const u = usage({
      inputTokens: 10,
      outputTokens: 1_200,
      cacheReadTokens: 80_000,
      cacheCreationTokens: 5_000,
      cacheCreation1hTokens: 5_000,
    });
    expect(computeCost(u, opus46).costUsd).toBeCloseTo(0.12005, 10);
  });

  it('a Haiku 4.5 turn in the US with one web search', () => {
    // (1,500 × 1 + 300 × 5) = 3,000 µ$ = $0.003; × 1.1 = $0.0033; + $0.01 = $0.0133
    const u = usage({
      inputTokens: 1_500,
      outputTokens: 300,
      inferenceGeo: 'us',
      webSearchRequests: 1,
    });
    expect(computeCost(u, entryOf('claude-haiku-4-5-20251001')).costUsd).toBeCloseTo(0.0133, 10);
  });

  it('a long Sonnet 4.5 session over 200k, mixed cache writes', () => {
    // prompt 5 + 210,000 + 1,000 = 211,005 > 200,000 → long-context:
    // 5 × 6 + 2,000 × 22.5 + 210,000 × 0.6 + 600 × 7.5 + 400 × 12
    //   = 30 + 45,000 + 126,000 + 4,500 + 4,800 = 180,330 µ$
    const u = usage({
      inputTokens: 5,
      outputTokens: 2_000,
      cacheReadTokens: 210_000,
      cacheCreationTokens: 1_000,
      cacheCreation1hTokens: 400,
    });
    expect(computeCost(u, sonnet45)).toMatchObject({ tier: 'long-context' });
    expect(computeCost(u, sonnet45).costUsd).toBeCloseTo(0.18033, 10);
  });

  it('a fast Opus 5.5 turn via Bedrock', () => {
    // 100 × 8 + 1,000 × 40 + 20,000 × 0.4 = 800 + 40,000 + 8,000 = 48,800 µ$
    const u = usage({
      inputTokens: 100,
      outputTokens: 1_000,
      cacheReadTokens: 20_000,
      speed: 'fast',
    });
    expect(computeCost(u, entryOf('eu.anthropic.claude-opus-5-5')).costUsd).toBeCloseTo(0.0488, 10);
  });
});

describe('computeCost: properties', () => {
  const tokenFields = [
    'inputTokens',
    'outputTokens',
    'cacheCreationTokens',
    'cacheCreation1hTokens',
    'cacheReadTokens',
    'webSearchRequests',
    'webFetchRequests',
  ] as const;
  const count = fc.nat({ max: 3_000_000 });
  const arbitraryUsage = fc.record({
    inputTokens: count,
    outputTokens: count,
    cacheCreationTokens: count,
    cacheCreation1hTokens: count,
    cacheReadTokens: count,
    webSearchRequests: fc.nat({ max: 50 }),
    webFetchRequests: fc.nat({ max: 50 }),
    speed: fc.constantFrom(null, 'fast', 'standard'),
    inferenceGeo: fc.constantFrom(null, 'us', 'eu', 'global'),
    serviceTier: fc.constantFrom(null, 'standard'),
  });

  it('is non-negative and never decreases when any token count grows', () => {
    fc.assert(
      fc.property(
        arbitraryUsage,
        fc.constantFrom(...table.entries),
        fc.constantFrom(...tokenFields),
        fc.integer({ min: 1, max: 500_000 }),
        (base, entry, field, extra) => {
          const before = computeCost(base, entry).costUsd;
          const after = computeCost({ ...base, [field]: base[field] + extra }, entry).costUsd;
          expect(before).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(before)).toBe(true);
          expect(after).toBeGreaterThanOrEqual(before);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
