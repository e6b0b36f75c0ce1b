/**
 * The composition root for commands: real clock, streams, environment, ledger and price table.
 * Commands get this object, so tests can run them with their own.
 */
import { existsSync } from 'node:fs';
import { ConfigError, TrackerError, UsageError } from '../core/errors.js';
import { buildPriceTable, type PriceTable } from '../pricing/price-table.js';
import { loadUserPrices } from '../pricing/user-prices.js';
import type { SyncSummary } from '../tracker/sync-ledger.js';
import { resolveLocations, type Locations } from './locations.js';
import type { CommonOptionValues } from './shared-options.js';

export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly nowMs: () => number;
  parseCount(flag: string, value: string): number;
  loadPriceTable(options: CommonOptionValues): PriceTable;
  sync(
    options: CommonOptionValues,
    workers: number | undefined,
  ): Promise<{ summary: SyncSummary; locations: Locations }>;
}

export function createCliContext(env: NodeJS.ProcessEnv): CliContext {
  const context: CliContext = {
    env,
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    nowMs: () => Date.now(),
    parseCount(flag, value) {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
        throw new UsageError(`${flag} expects a whole number, got "${value}"`);
      return n;
    },
    loadPriceTable(options) {
      const locations = resolveLocations(options, env);
      const named = options.prices ?? env['CTT_PRICES'];
      if (named !== undefined && named !== '' && !existsSync(locations.pricesPath)) {
        throw new ConfigError(`prices file not found: ${locations.pricesPath}`);
      }
      const overrides = loadUserPrices(locations.pricesPath);
      return buildPriceTable(overrides);
    },
    async sync(options, workers) {
      const locations = resolveLocations(options, env);
      const priceTable = context.loadPriceTable(options);
      if (locations.configDirsExplicit && locations.configDirs.length === 0) {
        throw new UsageError('no Claude Code config dir given');
      }
      // SQLite and the tracker load only for commands that use them.
      const [{ openLedger }, { createScanPool }, { syncLedger }] = await Promise.all([
        import('../store/database.js'),
        import('../tracker/scan-pool.js'),
        import('../tracker/sync-ledger.js'),
      ]);
      const db = openLedger(locations.ledgerPath);
      const pool = createScanPool(workers);
      try {
        const summary = await syncLedger(db, {
          projectsDirs: locations.projectsDirs,
          priceTable,
          nowMs: context.nowMs,
          executor: pool.executor,
          ...tuning(env),
        });
        return { summary, locations };
      } finally {
        await pool.close();
        db.close();
      }
    },
  };
  return context;
}

function positiveIntegerEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  minimum: number,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < minimum) {
    throw new TrackerError('E_CONFIG', `${name} must be an integer ≥ ${minimum}, got "${raw}"`);
  }
  return n;
}

/**
 * Advanced tuning from the environment: `CTT_MAX_LINE_BYTES` (oversize-line limit, default
 * 64 MiB) and `CTT_BATCH_ROWS` (rows per commit, default 5,000).
 */
function tuning(env: NodeJS.ProcessEnv): { limits?: { maxLineBytes: number }; batchRows?: number } {
  const maxLineBytes = positiveIntegerEnv(env, 'CTT_MAX_LINE_BYTES', 1024);
  const batchRows = positiveIntegerEnv(env, 'CTT_BATCH_ROWS', 1);
  return {
    ...(maxLineBytes === undefined ? {} : { limits: { maxLineBytes } }),
    ...(batchRows === undefined ? {} : { batchRows }),
  };
}
