import { describe, expect, it } from 'vitest';
import { describePriceEntry, describePrices } from './describe-prices.js';
import { buildPriceTable, lookupPrice } from './price-table.js';

describe('describePrices', () => {
  const table = buildPriceTable({
    models: {
      'claude-opus-4-6': { input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.4 },
    },
    aliases: { 'gw-sonnet': 'claude-sonnet-4-5' },
  });
  const rows = describePrices(table);

  it('has one row per model in table order', () => {
    expect(rows.map((row) => row.modelId)).toEqual(table.entries.map((entry) => entry.modelId));
  });

  it('flattens prices and lists every id priced as the model, aliases included', () => {
    const sonnet = rows.find((row) => row.modelId === 'claude-sonnet-4-5');
    expect(sonnet).toEqual({
      modelId: 'claude-sonnet-4-5',
      displayName: 'Sonnet 4.5',
      source: 'bundled',
      inputUsdPerMTok: 3,
      outputUsdPerMTok: 15,
      cacheWrite5mUsdPerMTok: 3.75,
      cacheWrite1hUsdPerMTok: 6,
      cacheReadUsdPerMTok: 0.3,
      webSearchUsdPerRequest: 0.01,
      longContext: {
        abovePromptTokens: 200_000,
        inputUsdPerMTok: 6,
        outputUsdPerMTok: 22.5,
        cacheWrite5mUsdPerMTok: 7.5,
        cacheWrite1hUsdPerMTok: 12,
        cacheReadUsdPerMTok: 0.6,
      },
      fast: null,
      lookupIds: [
        'claude-sonnet-4-5',
        'claude-sonnet-4-5-20250929',
        'anthropic.claude-sonnet-4-5-20250929-v1:0',
        'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'apac.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'jp.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'au.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'claude-sonnet-4-5@20250929',
        'gw-sonnet',
      ],
    });
  });

  it('shows where a replaced model’s prices come from, and null for absent tiers', () => {
    const opus = rows.find((row) => row.modelId === 'claude-opus-4-6');
    expect(opus).toMatchObject({
      source: 'user',
      inputUsdPerMTok: 4,
      longContext: null,
      fast: null,
    });
    const bundledOpus = describePrices(buildPriceTable()).find(
      (row) => row.modelId === 'claude-opus-4-6',
    );
    expect(bundledOpus?.fast).toMatchObject({ inputUsdPerMTok: 30, outputUsdPerMTok: 150 });
  });

  it('describes a single looked-up entry the same way', () => {
    const entry = lookupPrice(table, 'gw-sonnet')!;
    expect(describePriceEntry(table, entry)).toEqual(
      rows.find((row) => row.modelId === 'claude-sonnet-4-5'),
    );
  });
});
