import type {
  LongContextPrices,
  ModelPrices,
  PriceEntry,
  PriceSource,
  PriceTable,
} from './price-table.js';

/** One model of the price table in force, flat, for `ctt prices` (table and JSON). */
export interface PriceRow {
  readonly modelId: string;
  readonly displayName: string;
  readonly source: PriceSource;
  readonly inputUsdPerMTok: number;
  readonly outputUsdPerMTok: number;
  readonly cacheWrite5mUsdPerMTok: number;
  readonly cacheWrite1hUsdPerMTok: number;
  readonly cacheReadUsdPerMTok: number;
  readonly webSearchUsdPerRequest: number;
  readonly longContext: LongContextPrices | null;
  readonly fast: ModelPrices | null;
  /** Every exact id priced as this model (catalogue forms and user aliases). */
  readonly lookupIds: readonly string[];
}

/** One row per model, in table order. */
export function describePrices(table: PriceTable): PriceRow[] {
  const idsByEntry = lookupIdsByEntry(table);
  return table.entries.map((entry) => toRow(entry, idsByEntry.get(entry) ?? []));
}

/** The row of the one entry `entry` (as found by `lookupPrice`). */
export function describePriceEntry(table: PriceTable, entry: PriceEntry): PriceRow {
  return toRow(entry, lookupIdsByEntry(table).get(entry) ?? []);
}

function toRow(entry: PriceEntry, lookupIds: readonly string[]): PriceRow {
  return {
    modelId: entry.modelId,
    displayName: entry.displayName,
    source: entry.source,
    inputUsdPerMTok: entry.standard.inputUsdPerMTok,
    outputUsdPerMTok: entry.standard.outputUsdPerMTok,
    cacheWrite5mUsdPerMTok: entry.standard.cacheWrite5mUsdPerMTok,
    cacheWrite1hUsdPerMTok: entry.standard.cacheWrite1hUsdPerMTok,
    cacheReadUsdPerMTok: entry.standard.cacheReadUsdPerMTok,
    webSearchUsdPerRequest: entry.webSearchUsdPerRequest,
    longContext: entry.longContext ?? null,
    fast: entry.fast ?? null,
    lookupIds,
  };
}

function lookupIdsByEntry(table: PriceTable): Map<PriceEntry, string[]> {
  const idsByEntry = new Map<PriceEntry, string[]>();
  for (const [id, entry] of Object.entries(table.byId)) {
    const ids = idsByEntry.get(entry);
    if (ids === undefined) idsByEntry.set(entry, [id]);
    else ids.push(id);
  }
  return idsByEntry;
}
