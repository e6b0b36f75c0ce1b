import { ConfigError } from '../core/errors.js';
import type { PriceEntry, PriceTableDraft } from './price-table.js';
import { toLongContextPrices, toModelPrices } from './model-prices.js';
import type { UserModelPrices, UserPrices } from './user-prices-format.js';

/** Web search price for a user model that names none (the catalogue's price for every model). */
export const DEFAULT_WEB_SEARCH_USD_PER_REQUEST = 0.01;

/**
 * Applies the user's prices to a bundled draft, in place:
 * - a `models` key equal to a catalogue model id replaces that model's prices under every id it
 *   is served as (first-party, Bedrock, Vertex); its display name stays;
 * - any other `models` key prices exactly that id as a new model (taking the id over if the
 *   catalogue priced it as part of another model);
 * - an `aliases` key prices exactly that id as its target, which must be an id priced by the
 *   catalogue or by `models` (not another alias).
 * Throws `ConfigError` naming the alias when a reference cannot be resolved.
 */
export function applyUserPrices(draft: PriceTableDraft, overrides: UserPrices): void {
  const models = overrides.models ?? {};
  const aliases = overrides.aliases ?? {};
  for (const [modelId, prices] of Object.entries(models)) {
    const position = draft.entries.findIndex((entry) => entry.modelId === modelId);
    const replaced = draft.entries[position];
    const entry = userEntry(modelId, replaced?.displayName ?? modelId, prices);
    if (replaced === undefined) {
      draft.entries.push(entry);
      draft.byId.set(modelId, entry);
      continue;
    }
    draft.entries[position] = entry;
    for (const [id, current] of draft.byId) {
      if (current === replaced) draft.byId.set(id, entry);
    }
  }
  const resolved: [string, PriceEntry][] = [];
  for (const [aliasId, target] of Object.entries(aliases)) {
    const where = `aliases[${JSON.stringify(aliasId)}]`;
    if (Object.hasOwn(models, aliasId)) {
      throw new ConfigError(`${where}: this id is also a key of "models"; keep only one`);
    }
    if (Object.hasOwn(aliases, target)) {
      throw new ConfigError(
        `${where} points at ${JSON.stringify(target)}, which is itself an alias; point it at a model id`,
      );
    }
    const entry = draft.byId.get(target);
    if (entry === undefined) {
      throw new ConfigError(
        `${where} points at ${JSON.stringify(target)}, which matches no catalogue or user model id`,
      );
    }
    resolved.push([aliasId, entry]);
  }
  for (const [aliasId, entry] of resolved) {
    draft.byId.set(aliasId, entry);
    draft.userAliases.set(aliasId, entry.modelId);
  }
}

function userEntry(modelId: string, displayName: string, prices: UserModelPrices): PriceEntry {
  const { longContext, fast } = prices;
  return Object.freeze({
    modelId,
    displayName,
    standard: toModelPrices(prices),
    ...(longContext === undefined ? {} : { longContext: toLongContextPrices(longContext) }),
    ...(fast === undefined ? {} : { fast: toModelPrices(fast) }),
    webSearchUsdPerRequest: prices.webSearch ?? DEFAULT_WEB_SEARCH_USD_PER_REQUEST,
    source: 'user',
  });
}
