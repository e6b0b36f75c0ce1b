import { describe, expect, it } from 'vitest';
import { ZERO_USAGE } from '../core/usage.js';
import { ConfigError } from '../core/errors.js';
import { computeCost } from './compute-cost.js';
import { buildPriceTable, lookupPrice } from './price-table.js';
import type { UserPrices } from './user-prices-format.js';

const CHEAP = { input: 1, output: 2, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 };
const SONNET_FORMS = [
  'claude-sonnet-4-5',
  'claude-sonnet-4-5-20250929',
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'claude-sonnet-4-5@20250929',
];

describe('buildPriceTable with user prices', () => {
  it('replaces a catalogue model under every id it is served as', () => {
    const table = buildPriceTable({ models: { 'claude-sonnet-4-5': CHEAP } });
    for (const id of SONNET_FORMS) {
      const entry = lookupPrice(table, id);
      expect(entry).toMatchObject({
        modelId: 'claude-sonnet-4-5',
        displayName: 'Sonnet 4.5',
        source: 'user',
        standard: { inputUsdPerMTok: 1, outputUsdPerMTok: 2, cacheReadUsdPerMTok: 0.1 },
        webSearchUsdPerRequest: 0.01,
      });
      // the replacement is the whole price set: no bundled long-context tier survives
      expect(entry?.longContext).toBeUndefined();
    }
    expect(table.entries).toHaveLength(24);
    expect(table.entries.filter((entry) => entry.source === 'user')).toHaveLength(1);
    expect(lookupPrice(table, 'claude-sonnet-4-0')?.source).toBe('bundled');
  });

  it('adds a model the catalogue lacks, with its own tiers', () => {
    const table = buildPriceTable({
      models: {
        'my-local-model': {
          ...CHEAP,
          webSearch: 0.05,
          longContext: { abovePromptTokens: 1_000, ...CHEAP, input: 10 },
          fast: { ...CHEAP, output: 20 },
        },
      },
    });
    const entry = lookupPrice(table, 'my-local-model');
    expect(entry).toMatchObject({ modelId: 'my-local-model', displayName: 'my-local-model' });
    expect(table.entries.at(-1)).toBe(entry);
    // long context: 1,001 × $10 = 10,010 µ$; + 1 search × $0.05
    const long = computeCost({ ...ZERO_USAGE, inputTokens: 1_001, webSearchRequests: 1 }, entry!);
    expect(long.costUsd).toBeCloseTo(0.06001, 10);
    // fast: 1,000 × $20 = $0.02
    const fast = computeCost({ ...ZERO_USAGE, outputTokens: 1_000, speed: 'fast' }, entry!);
    expect(fast).toMatchObject({ tier: 'fast', fastUnpriced: false });
    expect(fast.costUsd).toBeCloseTo(0.02, 10);
    expect(lookupPrice(table, 'my-local')).toBeUndefined();
  });

  it('prices exactly a non-canonical id when the user names it, leaving the other forms', () => {
    const table = buildPriceTable({ models: { 'claude-sonnet-4-5-20250929': CHEAP } });
    expect(lookupPrice(table, 'claude-sonnet-4-5-20250929')).toMatchObject({
      modelId: 'claude-sonnet-4-5-20250929',
      source: 'user',
    });
    expect(lookupPrice(table, 'claude-sonnet-4-5@20250929')).toMatchObject({
      modelId: 'claude-sonnet-4-5',
      source: 'bundled',
    });
  });

  it('maps an alias to another model’s prices, resolving any id form', () => {
    const table = buildPriceTable({
      models: { 'my-model': CHEAP },
      aliases: {
        'gateway-sonnet': 'claude-sonnet-4-5',
        'my-bedrock-opus': 'us.anthropic.claude-opus-4-6-v1',
        'mine-too': 'my-model',
        'claude-haiku-4-5-20251001': 'claude-haiku-5-5',
      },
    });
    expect(lookupPrice(table, 'gateway-sonnet')).toBe(lookupPrice(table, 'claude-sonnet-4-5'));
    expect(lookupPrice(table, 'my-bedrock-opus')?.modelId).toBe('claude-opus-4-6');
    expect(lookupPrice(table, 'mine-too')).toBe(lookupPrice(table, 'my-model'));
    expect(lookupPrice(table, 'claude-haiku-4-5-20251001')?.modelId).toBe('claude-haiku-5-5');
    expect(lookupPrice(table, 'claude-haiku-4-5')?.modelId).toBe('claude-haiku-4-5');
    expect(table.userAliases).toEqual({
      'gateway-sonnet': 'claude-sonnet-4-5',
      'my-bedrock-opus': 'claude-opus-4-6',
      'mine-too': 'my-model',
      'claude-haiku-4-5-20251001': 'claude-haiku-5-5',
    });
  });

  it('an alias to a replaced model gets the user prices', () => {
    const table = buildPriceTable({
      models: { 'claude-opus-4-6': CHEAP },
      aliases: { 'gw-opus': 'claude-opus-4-6' },
    });
    expect(lookupPrice(table, 'gw-opus')?.source).toBe('user');
  });

  it('throws ConfigError for an alias that points at nothing priced', () => {
    expect(() => buildPriceTable({ aliases: { x: 'claude-sonnet' } })).toThrow(ConfigError);
  });
});

describe('price table version with user prices', () => {
  const base: UserPrices = { models: { 'my-model': CHEAP }, aliases: { gw: 'my-model' } };
  const version = buildPriceTable(base).version;

  it('appends a short hash of the overrides', () => {
    expect(version).toMatch(/^cc-2\.1\.332@2026-11-24\+user:[0-9a-f]{8}$/);
  });

  it('does not depend on key order', () => {
    const reordered: UserPrices = {
      aliases: { gw: 'my-model' },
      models: {
        'my-model': { cacheRead: 0.1, cacheWrite1h: 2, cacheWrite5m: 1.25, output: 2, input: 1 },
      },
    };
    expect(buildPriceTable(reordered).version).toBe(version);
  });

  it('changes when any override changes', () => {
    const versions = [
      version,
      buildPriceTable({ ...base, models: { 'my-model': { ...CHEAP, cacheRead: 0.11 } } }).version,
      buildPriceTable({ ...base, aliases: { gw2: 'my-model' } }).version,
      buildPriceTable({ models: base.models! }).version,
      buildPriceTable({ models: { 'my-model': { ...CHEAP, webSearch: 0.02 } } }).version,
    ];
    expect(new Set(versions).size).toBe(versions.length);
  });
});
