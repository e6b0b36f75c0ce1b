import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { buildPriceTable } from './price-table.js';
import { parseUserPrices } from './user-prices-format.js';
import type { UserPrices } from './user-prices-format.js';

export type {
  UserLongContextPrices,
  UserModelPrices,
  UserPriceSet,
  UserPrices,
} from './user-prices-format.js';

const APP_DIR = 'claude-token-tracker';
const FILE_NAME = 'prices.json';

/**
 * Where the user prices file lives: `$CTT_PRICES` if set, else
 * `${XDG_CONFIG_HOME:-$HOME/.config}/claude-token-tracker/prices.json`. A relative
 * `XDG_CONFIG_HOME` is ignored, as the XDG spec asks.
 */
export function defaultUserPricesPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const explicit = env['CTT_PRICES'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdgConfigHome = env['XDG_CONFIG_HOME'];
  const configHome =
    xdgConfigHome !== undefined && isAbsolute(xdgConfigHome)
      ? xdgConfigHome
      : join(homeDir, '.config');
  return join(configHome, APP_DIR, FILE_NAME);
}

/**
 * Reads and checks the user prices file. A missing file gives undefined (bundled prices only);
 * a file that cannot be read, is not JSON, or does not follow the format throws `ConfigError`
 * naming the file and the problem. Alias targets are checked against the catalogue too.
 */
export function loadUserPrices(path: string): UserPrices | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    throw new ConfigError(`${path}: cannot read the prices file (${code ?? String(error)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${path}: not valid JSON (${detail})`);
  }
  try {
    const prices = parseUserPrices(data);
    buildPriceTable(prices);
    return prices;
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`);
    throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error == null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
