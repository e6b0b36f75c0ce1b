import { ConfigError } from '../core/errors.js';
import type { PlainPriceSet } from './model-prices.js';

/**
 * The user prices file, as written: prices in USD per million tokens, `webSearch` in USD per
 * request. Validation is strict: an unknown key is an error, so a typo never prices at $0.
 *
 * ```json
 * { "models": { "my-model": { "input": 3, "output": 15, "cacheWrite5m": 3.75,
 *                             "cacheWrite1h": 6, "cacheRead": 0.3 } },
 *   "aliases": { "my-gateway-sonnet": "claude-sonnet-4-5" } }
 * ```
 */
export type UserPriceSet = PlainPriceSet;

export interface UserLongContextPrices extends UserPriceSet {
  readonly abovePromptTokens: number;
}

export interface UserModelPrices extends UserPriceSet {
  /** USD per web search request; 0.01 when absent. */
  readonly webSearch?: number;
  readonly longContext?: UserLongContextPrices;
  readonly fast?: UserPriceSet;
}

export interface UserPrices {
  /** Model id → prices. A catalogue model id replaces that model; any other id is added. */
  readonly models?: Readonly<Record<string, UserModelPrices>>;
  /** Id → the catalogue or user model id whose prices it uses. */
  readonly aliases?: Readonly<Record<string, string>>;
}

const PRICE_SET_KEYS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
const MODEL_KEYS = [...PRICE_SET_KEYS, 'webSearch', 'longContext', 'fast'] as const;
const LONG_CONTEXT_KEYS = ['abovePromptTokens', ...PRICE_SET_KEYS] as const;
const TOP_KEYS = ['models', 'aliases'] as const;

type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Checks the parsed file content and returns it typed. Throws `ConfigError` naming the first
 * problem by its place in the file, e.g. `models["x"].input must be a non-negative number`.
 */
export function parseUserPrices(data: unknown): UserPrices {
  const top = expectObject(data, 'the top level');
  rejectUnknownKeys(top, TOP_KEYS, 'the top level');
  const models = top['models'] === undefined ? undefined : parseModels(top['models']);
  const aliases = top['aliases'] === undefined ? undefined : parseAliases(top['aliases']);
  return {
    ...(models === undefined ? {} : { models }),
    ...(aliases === undefined ? {} : { aliases }),
  };
}

function parseModels(value: unknown): Record<string, UserModelPrices> {
  const models = expectObject(value, 'models');
  const parsed: Record<string, UserModelPrices> = Object.create(null) as Record<
    string,
    UserModelPrices
  >;
  for (const [modelId, raw] of Object.entries(models)) {
    const where = `models[${JSON.stringify(modelId)}]`;
    checkId(modelId, where);
    const fields = expectObject(raw, where);
    rejectUnknownKeys(fields, MODEL_KEYS, where);
    const webSearch = fields['webSearch'];
    const longContext = fields['longContext'];
    const fast = fields['fast'];
    parsed[modelId] = {
      ...parsePriceSet(fields, where),
      ...(webSearch === undefined ? {} : { webSearch: price(webSearch, `${where}.webSearch`) }),
      ...(longContext === undefined
        ? {}
        : { longContext: parseLongContext(longContext, `${where}.longContext`) }),
      ...(fast === undefined ? {} : { fast: parseFast(fast, `${where}.fast`) }),
    };
  }
  return parsed;
}

function parseLongContext(value: unknown, where: string): UserLongContextPrices {
  const fields = expectObject(value, where);
  rejectUnknownKeys(fields, LONG_CONTEXT_KEYS, where);
  const above = fields['abovePromptTokens'];
  if (above === undefined) fail(`${where}.abovePromptTokens is required`);
  if (typeof above !== 'number' || !Number.isSafeInteger(above) || above <= 0) {
    fail(`${where}.abovePromptTokens must be a positive whole number of tokens`);
  }
  return { abovePromptTokens: above, ...parsePriceSet(fields, where) };
}

function parseFast(value: unknown, where: string): UserPriceSet {
  const fields = expectObject(value, where);
  rejectUnknownKeys(fields, PRICE_SET_KEYS, where);
  return parsePriceSet(fields, where);
}

function parsePriceSet(fields: JsonObject, where: string): UserPriceSet {
  const read = (key: (typeof PRICE_SET_KEYS)[number]): number => {
    const value = fields[key];
    if (value === undefined) fail(`${where}.${key} is required (USD per million tokens)`);
    return price(value, `${where}.${key}`);
  };
  return {
    input: read('input'),
    output: read('output'),
    cacheWrite5m: read('cacheWrite5m'),
    cacheWrite1h: read('cacheWrite1h'),
    cacheRead: read('cacheRead'),
  };
}

function parseAliases(value: unknown): Record<string, string> {
  const aliases = expectObject(value, 'aliases');
  const parsed: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [aliasId, target] of Object.entries(aliases)) {
    const where = `aliases[${JSON.stringify(aliasId)}]`;
    checkId(aliasId, where);
    if (typeof target !== 'string' || target.length === 0) {
      fail(`${where} must be a model id (a non-empty string)`);
    }
    parsed[aliasId] = target;
  }
  return parsed;
}

function price(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(`${where} must be a non-negative number`);
  }
  return value;
}

function checkId(id: string, where: string): void {
  if (id.length === 0) fail(`${where}: the model id is empty`);
  if (id.trim() !== id) fail(`${where}: the model id has leading or trailing whitespace`);
}

function expectObject(value: unknown, where: string): JsonObject {
  if (typeof value !== 'object' || value == null || Array.isArray(value)) {
    fail(`${where} must be a JSON object`);
  }
  return value as JsonObject;
}

function rejectUnknownKeys(fields: JsonObject, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) {
      fail(`${where} has an unknown key ${JSON.stringify(key)} (allowed: ${allowed.join(', ')})`);
    }
  }
}

function fail(problem: string): never {
  throw new ConfigError(problem);
}
