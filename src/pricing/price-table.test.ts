import { describe, expect, it } from 'vitest';
import { BUNDLED_PRICE_TABLE_VERSION, buildPriceTable, lookupPrice } from './price-table.js';
import type { ModelPrices } from './price-table.js';

/** [input, output, 5m write, 1h write, cache read], USD per MTok, from the catalogue by hand. */
type Prices = [number, number, number, number, number];

const HAIKU_35: Prices = [0.8, 4, 1, 1.6, 0.08];
const HAIKU_45: Prices = [1, 5, 1.25, 2, 0.1];
const HAIKU_55: Prices = [0.1, 0.5, 0.125, 0.2, 0.01];
const SONNET: Prices = [3, 15, 3.75, 6, 0.3];
const OPUS_4: Prices = [15, 75, 18.75, 30, 1.5];
const OPUS_45: Prices = [5, 25, 6.25, 10, 0.5];

/** [catalogue id, first-party id, Bedrock (US profile) id, Vertex id, prices] */
// prettier-ignore
const CATALOGUE: [string, string, string | null, string | null, Prices][] = [
  ['claude-3-5-haiku', 'claude-3-5-haiku-20241022', 'us.anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku@20241022', HAIKU_35],
  ['claude-haiku-4-5', 'claude-haiku-4-5-20251001', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5@20251001', HAIKU_45],
  ['claude-haiku-5-5', 'claude-haiku-5-5', 'us.anthropic.claude-haiku-5-5', 'claude-haiku-5-5', HAIKU_55],
  ['claude-3-5-sonnet', 'claude-3-5-sonnet-20241022', 'us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'claude-3-5-sonnet-v2@20241022', SONNET],
  ['claude-3-7-sonnet', 'claude-3-7-sonnet-20250219', 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-3-7-sonnet@20250219', SONNET],
  ['claude-sonnet-4-0', 'claude-sonnet-4-20250514', 'us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4@20250514', SONNET],
  ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5@20250929', SONNET],
  ['claude-sonnet-4-6', 'claude-sonnet-4-6', 'us.anthropic.claude-sonnet-4-6', 'claude-sonnet-4-6', SONNET],
  ['claude-sonnet-5', 'claude-sonnet-5', 'us.anthropic.claude-sonnet-5', 'claude-sonnet-5', [2, 10, 2.5, 4, 0.2]],
  ['claude-sonnet-5-5', 'claude-sonnet-5-5', 'us.anthropic.claude-sonnet-5-5', 'claude-sonnet-5-5', [2, 10, 2.5, 4, 0.1]],
  ['claude-opus-4-0', 'claude-opus-4-20250514', 'us.anthropic.claude-opus-4-20250514-v1:0', 'claude-opus-4@20250514', OPUS_4],
  ['claude-opus-4-1', 'claude-opus-4-1-20250805', 'us.anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1@20250805', OPUS_4],
  ['claude-opus-4-5', 'claude-opus-4-5-20251101', 'us.anthropic.claude-opus-4-5-20251101-v1:0', 'claude-opus-4-5@20251101', OPUS_45],
  ['claude-opus-4-6', 'claude-opus-4-6', 'us.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6', OPUS_45],
  ['claude-opus-4-7', 'claude-opus-4-7', 'us.anthropic.claude-opus-4-7', 'claude-opus-4-7', OPUS_45],
  ['claude-opus-4-8', 'claude-opus-4-8', 'us.anthropic.claude-opus-4-8', 'claude-opus-4-8', OPUS_45],
  ['claude-opus-5', 'claude-opus-5', 'us.anthropic.claude-opus-5', 'claude-opus-5', OPUS_45],
  ['claude-opus-5-5', 'claude-opus-5-5', 'us.anthropic.claude-opus-5-5', 'claude-opus-5-5', [4, 20, 5, 8, 0.2]],
  ['claude-fable-5', 'claude-fable-5', 'us.anthropic.claude-fable-5', 'claude-fable-5', [10, 50, 12.5, 20, 1]],
  ['claude-fable-5-1', 'claude-fable-5-1', 'us.anthropic.claude-fable-5-1', 'claude-fable-5-1', [10, 50, 12.5, 20, 0.25]],
  ['claude-fable-5-2', 'claude-fable-5-2', 'us.anthropic.claude-fable-5-2', 'claude-fable-5-2', [8, 40, 10, 16, 0.2]],
  ['claude-mythos-5', 'claude-mythos-5', null, null, [10, 50, 12.5, 20, 1]],
  ['claude-mythos-5-1', 'claude-mythos-5-1', null, null, [10, 50, 12.5, 20, 0.25]],
  ['claude-mythos-5-2', 'claude-mythos-5-2', null, null, [8, 40, 10, 16, 0.2]],
];

function asPrices(prices: ModelPrices): Prices {
  return [
    prices.inputUsdPerMTok,
    prices.outputUsdPerMTok,
    prices.cacheWrite5mUsdPerMTok,
    prices.cacheWrite1hUsdPerMTok,
    prices.cacheReadUsdPerMTok,
  ];
}

const table = buildPriceTable();

describe('buildPriceTable (bundled)', () => {
  it('has one entry per catalogue model, in catalogue order', () => {
    expect(table.entries.map((entry) => entry.modelId)).toEqual(CATALOGUE.map(([id]) => id));
    expect(table.entries.every((entry) => entry.source === 'bundled')).toBe(true);
    expect(table.entries.every((entry) => entry.webSearchUsdPerRequest === 0.01)).toBe(true);
  });

  describe.each(CATALOGUE)('%s', (id, firstPartyId, bedrock, vertex, prices) => {
    const forms = [id, firstPartyId, ...(vertex == null ? [] : [vertex])];
    if (bedrock != null) {
      const base = bedrock.replace(/^us\./, '');
      forms.push(bedrock, base, `eu.${base}`, `apac.${base}`, `global.${base}`, `us-gov.${base}`);
    }

    it.each(forms)('is priced through %s', (form) => {
      const entry = lookupPrice(table, form);
      expect(entry?.modelId).toBe(id);
      expect(asPrices(entry!.standard)).toEqual(prices);
    });
  });

  it('offers no Bedrock or Vertex form for a model the catalogue lists without one', () => {
    expect(lookupPrice(table, 'us.anthropic.claude-mythos-5')).toBeUndefined();
    expect(lookupPrice(table, 'anthropic.claude-mythos-5')).toBeUndefined();
    expect(lookupPrice(table, 'claude-mythos-5@20260101')).toBeUndefined();
  });

  it.each([
    'claude-sonnet-4-5-2025092', // a prefix of a real id
    'claude-sonnet-4-5-20250929-extra',
    'claude-sonnet',
    'sonnet',
    'opus',
    'claude-opus-4',
    'claude-opus-4-6-fast',
    'CLAUDE-OPUS-4-6',
    ' claude-opus-4-6',
    'claude-opus-4-6 ',
    'us.anthropic.claude-opus-4-6', // the Bedrock id is …-v1
    'claude-sonnet-4-5-20250929-v1:0',
    'xx.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'claude-sonnet-4-5@20250101',
    'claude-haiku-4-5@20251001-extra',
    '<synthetic>',
    'gpt-4o',
    '',
    'constructor',
    '__proto__',
    'toString',
  ])('leaves %j unpriced', (modelId) => {
    expect(lookupPrice(table, modelId)).toBeUndefined();
  });

  it('gives Sonnet 4 and 4.5 the 200k long-context tier, Haiku 5.5 its 100k tier, no one else', () => {
    const withLongContext = table.entries.filter((entry) => entry.longContext !== undefined);
    expect(withLongContext.map((entry) => entry.modelId)).toEqual([
      'claude-haiku-5-5',
      'claude-sonnet-4-0',
      'claude-sonnet-4-5',
    ]);
    for (const id of ['claude-sonnet-4-0', 'claude-sonnet-4-5']) {
      const longContext = lookupPrice(table, id)?.longContext;
      expect(longContext?.abovePromptTokens).toBe(200_000);
      expect(asPrices(longContext!)).toEqual([6, 22.5, 7.5, 12, 0.6]);
    }
    const haiku = lookupPrice(table, 'claude-haiku-5-5')?.longContext;
    expect(haiku?.abovePromptTokens).toBe(100_000);
    expect(asPrices(haiku!)).toEqual([0.5, 2.5, 0.625, 1, 0.05]);
  });

  it('has fast sets exactly for the catalogue fast-mode models', () => {
    const fast = Object.fromEntries(
      table.entries.flatMap((entry) =>
        entry.fast === undefined ? [] : [[entry.modelId, asPrices(entry.fast)]],
      ),
    );
    expect(fast).toEqual({
      'claude-opus-4-6': [30, 150, 37.5, 60, 3],
      'claude-opus-4-7': [30, 150, 37.5, 60, 3],
      'claude-opus-4-8': [10, 50, 12.5, 20, 1],
      'claude-opus-5': [10, 50, 12.5, 20, 1],
      'claude-opus-5-5': [8, 40, 10, 16, 0.4],
      'claude-fable-5-2': [16, 80, 20, 32, 0.4],
      'claude-mythos-5-2': [16, 80, 20, 32, 0.4],
    });
  });

  it('is versioned by the Claude Code release and snapshot date', () => {
    expect(table.version).toBe('cc-2.1.332@2026-11-24');
    expect(BUNDLED_PRICE_TABLE_VERSION).toBe('cc-2.1.332@2026-11-24');
    expect(buildPriceTable({}).version).toBe('cc-2.1.332@2026-11-24');
    expect(buildPriceTable({ models: {}, aliases: {} }).version).toBe('cc-2.1.332@2026-11-24');
  });

  it('is immutable', () => {
    const entry = lookupPrice(table, 'claude-opus-4-6')!;
    expect(Object.isFrozen(table)).toBe(true);
    expect(Object.isFrozen(table.entries)).toBe(true);
    expect(Object.isFrozen(table.byId)).toBe(true);
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.standard)).toBe(true);
    expect(Object.isFrozen(entry.fast)).toBe(true);
    expect(() => {
      (entry.standard as { inputUsdPerMTok: number }).inputUsdPerMTok = 0;
    }).toThrow(TypeError);
  });

  it('builds independent tables: overrides never leak into the bundled one', () => {
    buildPriceTable({
      models: {
        'claude-opus-4-6': { input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 },
      },
    });
    expect(lookupPrice(buildPriceTable(), 'claude-opus-4-6')?.source).toBe('bundled');
  });
});
