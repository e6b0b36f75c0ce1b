import { createHash } from 'node:crypto';
import { bedrockIdForms } from './bedrock-ids.js';
import { BUNDLED_CATALOG } from './bundled-catalog.js';
import type { CatalogModel } from './bundled-catalog.js';
import { canonicalJson } from './canonical-json.js';
import { applyUserPrices } from './apply-user-prices.js';
import { toLongContextPrices, toModelPrices } from './model-prices.js';
import type { LongContextPrices, ModelPrices } from './model-prices.js';
import type { UserPrices } from './user-prices-format.js';

export type { LongContextPrices, ModelPrices } from './model-prices.js';

export type PriceSource = 'bundled' | 'user';

export interface PriceEntry {
  /** The catalogue's canonical id, or the user's id for a model the catalogue lacks. */
  readonly modelId: string;
  readonly displayName: string;
  readonly standard: ModelPrices;
  readonly longContext?: LongContextPrices;
  /** Prices for `usage.speed == "fast"`; absent when the model has none. */
  readonly fast?: ModelPrices;
  readonly webSearchUsdPerRequest: number;
  readonly source: PriceSource;
}

export interface PriceTable {
  /** Names the prices in force; stored with every priced usage row. */
  readonly version: string;
  /** One entry per model, catalogue order first, then models only the user defines. */
  readonly entries: readonly PriceEntry[];
  /** Every exact lookup id → its entry. Use `lookupPrice`. */
  readonly byId: Readonly<Record<string, PriceEntry>>;
  /** User aliases in force: alias id → the model id it is priced as. */
  readonly userAliases: Readonly<Record<string, string>>;
}

export const BUNDLED_PRICE_TABLE_VERSION = `cc-${BUNDLED_CATALOG.claudeCodeVersion}@${BUNDLED_CATALOG.snapshotDate}`;

/** The mutable working form shared with `applyUserPrices`. */
export interface PriceTableDraft {
  readonly entries: PriceEntry[];
  readonly byId: Map<string, PriceEntry>;
  readonly userAliases: Map<string, string>;
}

/**
 * The bundled catalogue as a lookup table, with the user's overrides (if any) applied. Lookup is
 * by exact id only: no fuzzy or substring matching, no fallback price for an unknown model.
 * Throws `ConfigError` when an alias points at nothing priced.
 */
export function buildPriceTable(overrides?: UserPrices): PriceTable {
  const draft = bundledDraft();
  const hasOverrides = overrides !== undefined && countOverrides(overrides) > 0;
  if (hasOverrides) applyUserPrices(draft, overrides);
  const version = hasOverrides
    ? `${BUNDLED_PRICE_TABLE_VERSION}+user:${overridesHash(overrides)}`
    : BUNDLED_PRICE_TABLE_VERSION;
  return Object.freeze({
    version,
    entries: Object.freeze([...draft.entries]),
    byId: frozenRecord(draft.byId),
    userAliases: frozenRecord(draft.userAliases),
  });
}

/** The entry priced under exactly this id, or undefined: the model is unpriced. */
export function lookupPrice(table: PriceTable, modelId: string): PriceEntry | undefined {
  return Object.hasOwn(table.byId, modelId) ? table.byId[modelId] : undefined;
}

/** Every id the catalogue serves a model under: id, first-party, Bedrock forms, Vertex. */
export function catalogLookupIds(model: CatalogModel): readonly string[] {
  const ids = [model.id, model.firstPartyId];
  if (model.bedrock != null) ids.push(...bedrockIdForms(model.bedrock));
  if (model.vertex != null) ids.push(model.vertex);
  return [...new Set(ids)];
}

function bundledDraft(): PriceTableDraft {
  const catalog = BUNDLED_CATALOG;
  const draft: PriceTableDraft = { entries: [], byId: new Map(), userAliases: new Map() };
  for (const model of catalog.models) {
    const tier = catalog.tiers[model.tier];
    if (tier === undefined) throw new Error(`catalogue model ${model.id}: no tier ${model.tier}`);
    const longPrompt = tier.longPrompt ?? catalog.longContextSupplement[model.id];
    const fast = catalog.fastModeOverrides[model.id];
    const entry: PriceEntry = Object.freeze({
      modelId: model.id,
      displayName: model.displayName,
      standard: toModelPrices(tier),
      ...(longPrompt === undefined ? {} : { longContext: toLongContextPrices(longPrompt) }),
      ...(fast === undefined ? {} : { fast: toModelPrices(fast) }),
      webSearchUsdPerRequest: tier.webSearch,
      source: 'bundled',
    });
    draft.entries.push(entry);
    for (const id of catalogLookupIds(model)) {
      const taken = draft.byId.get(id);
      if (taken !== undefined) throw new Error(`catalogue id ${id} names ${taken.modelId} too`);
      draft.byId.set(id, entry);
    }
  }
  const known = new Set(catalog.models.map((model) => model.id));
  for (const id of [
    ...Object.keys(catalog.fastModeOverrides),
    ...Object.keys(catalog.longContextSupplement),
  ]) {
    if (!known.has(id)) throw new Error(`catalogue prices a model it does not list: ${id}`);
  }
  return draft;
}

function countOverrides(overrides: UserPrices): number {
  return Object.keys(overrides.models ?? {}).length + Object.keys(overrides.aliases ?? {}).length;
}

function overridesHash(overrides: UserPrices): string {
  return createHash('sha256').update(canonicalJson(overrides)).digest('hex').slice(0, 8);
}

function frozenRecord<T>(map: ReadonlyMap<string, T>): Readonly<Record<string, T>> {
  const record = Object.create(null) as Record<string, T>;
  for (const [key, value] of map) record[key] = value;
  return Object.freeze(record);
}
