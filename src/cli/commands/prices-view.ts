/** `ctt prices` output: the table in force, or what one model id resolves to. */
import Table from 'cli-table3';
import pc from 'picocolors';
import { TrackerError } from '../../core/errors.js';
import { BUNDLED_CATALOG } from '../../pricing/bundled-catalog.js';
import { describePriceEntry, describePrices } from '../../pricing/describe-prices.js';
import type { PriceRow } from '../../pricing/describe-prices.js';
import type { ModelPrices, PriceTable } from '../../pricing/price-table.js';
import { lookupPrice } from '../../pricing/price-table.js';

export interface PricesCommandDeps {
  /** The table in force: bundled prices plus the user's prices file. */
  readonly loadPriceTable: () => PriceTable;
  readonly stdout: (text: string) => void;
}

export interface PricesOptions {
  readonly json?: boolean;
  readonly model?: string;
}

export function runPrices(options: PricesOptions, deps: PricesCommandDeps): void {
  const table = deps.loadPriceTable();
  if (options.model !== undefined) {
    resolveModel(table, options.model, options.json === true, deps);
    return;
  }
  const rows = describePrices(table);
  if (options.json === true) {
    deps.stdout(toJson({ version: table.version, models: rows }));
    return;
  }
  deps.stdout(`${versionLine(table)}\n${renderTable(rows)}\n${legend(rows)}\n`);
}

function resolveModel(
  table: PriceTable,
  modelId: string,
  json: boolean,
  deps: PricesCommandDeps,
): void {
  const entry = lookupPrice(table, modelId);
  if (entry === undefined) {
    throw new TrackerError(
      'E_UNPRICED',
      `model ${JSON.stringify(modelId)} is unpriced: no bundled or user price has this exact id ` +
        '(ids are never matched fuzzily); add it under "models" or "aliases" in your prices file ' +
        '(see ctt prices --help)',
    );
  }
  const row = describePriceEntry(table, entry);
  if (json) {
    deps.stdout(toJson({ version: table.version, query: modelId, model: row }));
    return;
  }
  const alias = Object.hasOwn(table.userAliases, modelId) ? ' via your alias' : '';
  const lines = [
    `${modelId} is priced as ${row.modelId} (${row.displayName}, ${row.source} prices)${alias}`,
    renderTable([row]),
    `ids priced as ${row.modelId}: ${row.lookupIds.join(', ')}`,
    legend([row]),
    versionLine(table),
  ];
  deps.stdout(`${lines.join('\n')}\n`);
}

const NUMERIC_COLUMNS = new Set(['input', 'output', '5m write', '1h write', 'read', 'search/req']);

function renderTable(rows: readonly PriceRow[]): string {
  const showSearch = new Set(rows.map((row) => row.webSearchUsdPerRequest)).size > 1;
  const head = ['model', 'input', 'output', '5m write', '1h write', 'read', 'long ctx', 'fast'];
  if (showSearch) head.push('search/req');
  head.push('source');
  const table = new Table({
    head: head.map((title) => pc.bold(title)),
    colAligns: head.map((title) => (NUMERIC_COLUMNS.has(title) ? 'right' : 'left')),
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([
      row.modelId,
      usd(row.inputUsdPerMTok),
      usd(row.outputUsdPerMTok),
      usd(row.cacheWrite5mUsdPerMTok),
      usd(row.cacheWrite1hUsdPerMTok),
      usd(row.cacheReadUsdPerMTok),
      row.longContext == null
        ? '-'
        : `>${tokens(row.longContext.abovePromptTokens)}: ${priceSet(row.longContext)}`,
      row.fast == null ? '-' : priceSet(row.fast),
      ...(showSearch ? [usd(row.webSearchUsdPerRequest)] : []),
      row.source,
    ]);
  }
  return table.toString();
}

function legend(rows: readonly PriceRow[]): string {
  const searchPrices = [...new Set(rows.map((row) => row.webSearchUsdPerRequest))];
  const search =
    searchPrices.length === 1 && searchPrices[0] !== undefined
      ? ` Web search: $${usd(searchPrices[0])} per request.`
      : '';
  return pc.dim(
    'USD per million tokens; long ctx and fast list input/output/5m write/1h write/read.' + search,
  );
}

function versionLine(table: PriceTable): string {
  const user = table.version.includes('+user:') ? ' + your prices file' : '';
  return (
    `Price table ${table.version} ` +
    pc.dim(`(bundled: ${BUNDLED_CATALOG.source} catalogue, ${BUNDLED_CATALOG.snapshotDate}${user})`)
  );
}

function priceSet(prices: ModelPrices): string {
  return [
    prices.inputUsdPerMTok,
    prices.outputUsdPerMTok,
    prices.cacheWrite5mUsdPerMTok,
    prices.cacheWrite1hUsdPerMTok,
    prices.cacheReadUsdPerMTok,
  ]
    .map(usd)
    .join('/');
}

/** A price with up to 4 decimals, trailing zeros dropped: 3.75, 0.3, 22.5, 0.0001. */
function usd(value: number): string {
  const fixed = value.toFixed(4);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** 200000 → "200k"; other counts with digit grouping. */
function tokens(count: number): string {
  return count % 1000 === 0 ? `${count / 1000}k` : count.toLocaleString('en-US');
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
