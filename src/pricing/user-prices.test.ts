import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { defaultUserPricesPath, loadUserPrices } from './user-prices.js';

const dir = mkdtempSync(join(tmpdir(), 'ctt-user-prices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function pricesFile(content: unknown): string {
  fileCount += 1;
  const path = join(dir, `prices-${fileCount}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const PRICES = { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 };

function loadError(content: unknown): { path: string; message: string } {
  const path = pricesFile(content);
  try {
    loadUserPrices(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return { path, message: (error as ConfigError).message };
  }
  throw new Error('expected a ConfigError');
}

describe('defaultUserPricesPath', () => {
  const home = join(dir, 'home');

  it('prefers $CTT_PRICES', () => {
    expect(defaultUserPricesPath({ CTT_PRICES: '/x/p.json', XDG_CONFIG_HOME: '/c' }, home)).toBe(
      '/x/p.json',
    );
  });

  it('uses $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultUserPricesPath({ XDG_CONFIG_HOME: '/cfg' }, home)).toBe(
      join('/cfg', 'claude-token-tracker', 'prices.json'),
    );
    expect(defaultUserPricesPath({}, home)).toBe(
      join(home, '.config', 'claude-token-tracker', 'prices.json'),
    );
  });

  it('ignores empty variables and a relative XDG_CONFIG_HOME', () => {
    const expected = join(home, '.config', 'claude-token-tracker', 'prices.json');
    expect(defaultUserPricesPath({ CTT_PRICES: '', XDG_CONFIG_HOME: '' }, home)).toBe(expected);
    expect(defaultUserPricesPath({ XDG_CONFIG_HOME: 'relative/cfg' }, home)).toBe(expected);
  });
});

describe('loadUserPrices', () => {
  it('returns undefined when the file does not exist', () => {
    expect(loadUserPrices(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('reads models and aliases', () => {
    const content = {
      models: {
        'my-model': { ...PRICES, webSearch: 0.02, fast: PRICES },
        'claude-opus-4-6': {
          ...PRICES,
          longContext: { abovePromptTokens: 200_000, ...PRICES },
        },
      },
      aliases: { 'gateway-opus': 'claude-opus-4-6' },
    };
    expect(loadUserPrices(pricesFile(content))).toEqual(content);
  });

  it('accepts an empty object and a byte-order mark', () => {
    expect(loadUserPrices(pricesFile('\uFEFF{}'))).toEqual({});
  });

  it('names the file and the problem for invalid JSON', () => {
    const { path, message } = loadError('{ "models": ');
    expect(message).toMatch(new RegExp(`^${escape(path)}: not valid JSON \\(`));
  });

  it('names the file when it cannot be read', () => {
    const directory = join(dir, 'a-directory.json');
    mkdirSync(directory);
    expect(() => loadUserPrices(directory)).toThrow(
      new ConfigError(`${directory}: cannot read the prices file (EISDIR)`),
    );
  });

  // prettier-ignore
  it.each([
    [[], 'the top level must be a JSON object'],
    [{ model: {} }, 'the top level has an unknown key "model" (allowed: models, aliases)'],
    [{ models: [] }, 'models must be a JSON object'],
    [{ models: { x: 3 } }, 'models["x"] must be a JSON object'],
    [{ models: { x: { ...PRICES, input: -1 } } }, 'models["x"].input must be a non-negative number'],
    [{ models: { x: { ...PRICES, input: '3' } } }, 'models["x"].input must be a non-negative number'],
    [{ models: { x: { ...PRICES, output: null } } }, 'models["x"].output must be a non-negative number'],
    [{ models: { x: { ...PRICES, cacheRead: undefined } } }, 'models["x"].cacheRead is required (USD per million tokens)'],
    [{ models: { x: { ...PRICES, inptu: 3 } } }, 'models["x"] has an unknown key "inptu" (allowed: input, output, cacheWrite5m, cacheWrite1h, cacheRead, webSearch, longContext, fast)'],
    [{ models: { x: { ...PRICES, webSearch: -0.01 } } }, 'models["x"].webSearch must be a non-negative number'],
    [{ models: { x: { ...PRICES, fast: { ...PRICES, webSearch: 1 } } } }, 'models["x"].fast has an unknown key "webSearch" (allowed: input, output, cacheWrite5m, cacheWrite1h, cacheRead)'],
    [{ models: { x: { ...PRICES, fast: { ...PRICES, cacheWrite1h: undefined } } } }, 'models["x"].fast.cacheWrite1h is required (USD per million tokens)'],
    [{ models: { x: { ...PRICES, longContext: PRICES } } }, 'models["x"].longContext.abovePromptTokens is required'],
    [{ models: { x: { ...PRICES, longContext: { ...PRICES, abovePromptTokens: 0 } } } }, 'models["x"].longContext.abovePromptTokens must be a positive whole number of tokens'],
    [{ models: { x: { ...PRICES, longContext: { ...PRICES, abovePromptTokens: 1.5 } } } }, 'models["x"].longContext.abovePromptTokens must be a positive whole number of tokens'],
    [{ models: { x: { ...PRICES, longContext: { ...PRICES, abovePromptTokens: 9, threshold: 9 } } } }, 'models["x"].longContext has an unknown key "threshold" (allowed: abovePromptTokens, input, output, cacheWrite5m, cacheWrite1h, cacheRead)'],
    [{ models: { '': PRICES } }, 'models[""]: the model id is empty'],
    [{ models: { 'claude-x ': PRICES } }, 'models["claude-x "]: the model id has leading or trailing whitespace'],
    [{ aliases: { a: 3 } }, 'aliases["a"] must be a model id (a non-empty string)'],
    [{ aliases: { a: '' } }, 'aliases["a"] must be a model id (a non-empty string)'],
    [{ aliases: { a: 'claude-opus-4' } }, 'aliases["a"] points at "claude-opus-4", which matches no catalogue or user model id'],
    [{ aliases: { a: 'b', b: 'claude-opus-4-6' } }, 'aliases["a"] points at "b", which is itself an alias; point it at a model id'],
    [{ models: { a: PRICES }, aliases: { a: 'claude-opus-4-6' } }, 'aliases["a"]: this id is also a key of "models"; keep only one'],
  ])('rejects %j: %s', (content, problem) => {
    const { path, message } = loadError(content);
    expect(message).toBe(`${path}: ${problem}`);
  });

  it('rejects a price of Infinity written as an overflowing number', () => {
    const { message } = loadError(
      '{"models":{"x":{"input":1e999,"output":1,"cacheWrite5m":1,"cacheWrite1h":1,"cacheRead":1}}}',
    );
    expect(message).toMatch(/models\["x"\]\.input must be a non-negative number$/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
