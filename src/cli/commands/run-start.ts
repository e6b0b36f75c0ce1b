/**
 * Composition of `ctt start`: options checked, the ledger's folder refused on a network file
 * system, the tracker lock taken (exit 75 when held), the ledger opened, the parts wired, signals
 * turned into a graceful stop. The loop itself is tracker/run-tracker.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, UsageError } from '../../core/errors.js';
import { resolveTimeZone } from '../../core/time-zone.js';
import { ChangeLog } from '../../store/change-log.js';
import { openLedger } from '../../store/database.js';
import { fileSystemKindOf } from '../../store/file-system-kind.js';
import { acquireTrackerLock } from '../../store/tracker-lock.js';
import { statusPathOf, writeTrackerStatus } from '../../store/tracker-status-file.js';
import { ClaudeJsonTracker } from '../../tracker/claude-json-step.js';
import { priceFnOf } from '../../tracker/price-fn.js';
import { TrackerLoop } from '../../tracker/run-tracker.js';
import { createScanPool } from '../../tracker/scan-pool.js';
import { DEFAULT_SESSION_SETTLE_MS } from '../../tracker/session-watch.js';
import { TrackerPoll } from '../../tracker/tracker-poll.js';
import { startWatchHints } from '../../tracker/watch-hints.js';
import type { CliContext } from '../context.js';
import { resolveLocations } from '../locations.js';
import { VERSION } from '../version.js';
import type { StartOptionValues } from './start.js';
import { createStartOutput } from './start-output.js';

const TRACKER_BUSY_TIMEOUT_MS = 1_000;
/** Files written this recently are stat-ed at every poll, the rest at every full listing. */
const HOT_WINDOW_MS = 10 * 60_000;

function intervalOption(context: CliContext, flag: string, value: string, minimum: number): number {
  const n = context.parseCount(flag, value);
  if (n < minimum) throw new UsageError(`${flag} must be at least ${minimum}, got ${n}`);
  return n;
}

/** Sources on a network or FUSE mount deliver no reliable events: poll only. */
function hintsUnreliableOn(dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    try {
      const kind = fileSystemKindOf(dir);
      if (kind.kind === 'network' || kind.kind === 'fuse')
        return `${kind.name} file system at ${dir}`;
    } catch {
      // Not there yet: nothing to judge.
    }
  }
  return null;
}

export async function runStart(values: StartOptionValues, context: CliContext): Promise<void> {
  const activeIntervalMs = intervalOption(context, '--active-interval', values.activeInterval, 10);
  const idleIntervalMs = intervalOption(context, '--idle-interval', values.idleInterval, 10);
  if (idleIntervalMs < activeIntervalMs)
    throw new UsageError('--idle-interval must not be shorter than --active-interval');
  const reconcileIntervalMs = intervalOption(
    context,
    '--reconcile-interval',
    values.reconcileInterval,
    100,
  );
  const fullListingEveryMs = intervalOption(
    context,
    '--full-scan-interval',
    values.fullScanInterval,
    activeIntervalMs,
  );
  const idleTimeoutMs =
    intervalOption(context, '--session-idle-timeout', values.sessionIdleTimeout, 1) * 60_000;
  const lockWaitMs = context.parseCount('--lock-wait', values.lockWait);
  const workers =
    values.workers === undefined
      ? undefined
      : intervalOption(context, '--workers', values.workers, 1);
  const timeZone = resolveTimeZone(values.timezone ?? values.tz, context.env);
  const locations = resolveLocations(values, context.env);
  if (locations.configDirsExplicit && locations.configDirs.length === 0)
    throw new UsageError('no Claude Code config dir given');
  const priceTable = context.loadPriceTable(values);

  const ledgerDir = dirname(locations.ledgerPath);
  mkdirSync(ledgerDir, { recursive: true, mode: 0o700 });
  const ledgerFs = fileSystemKindOf(ledgerDir);
  if (ledgerFs.kind === 'network') {
    throw new ConfigError(
      `the ledger's folder ${ledgerDir} is on a network file system (${ledgerFs.name}), where SQLite's WAL is unsafe; use --db on a local disk`,
    );
  }
  const lock = await acquireTrackerLock(locations.ledgerPath, { waitMs: lockWaitMs });
  // A short busy wait: SQLite waits synchronously, and the loop's own backoff keeps signals
  // and status reports flowing while another process holds the ledger.
  const db = openLedger(locations.ledgerPath, { busyTimeoutMs: TRACKER_BUSY_TIMEOUT_MS });
  let stdoutClosed = false;
  const output = createStartOutput({
    json: values.json === true,
    debug: values.debug === true,
    timeZone,
    color: context.env['NO_COLOR'] === undefined && process.stdout.isTTY,
    // A closed pipe (`ctt start --json | head`) stops the tracker gracefully, like a signal.
    write: (text) => {
      if (!stdoutClosed) context.stdout(text);
    },
    warn: context.stderr,
  });
  const monoMs = (): number => performance.now();
  try {
    const log = new ChangeLog(db);
    const claudeJson = new ClaudeJsonTracker(db, locations.claudeJson, context.nowMs);
    const poll = new TrackerPoll(
      db,
      log,
      {
        projectsDirs: locations.projectsDirs,
        sessions: {
          configDirs: locations.configDirs,
          idleTimeoutMs,
          settleMs: DEFAULT_SESSION_SETTLE_MS,
        },
        price: priceFnOf(priceTable),
        priceVersion: priceTable.version,
        wallMs: context.nowMs,
        monoMs,
        listing: {
          fullListingEveryMs,
          fullListingWithEventsMs: Math.max(fullListingEveryMs, 30_000),
          hotWindowMs: HOT_WINDOW_MS,
        },
      },
      claudeJson,
    );
    const unreliable = hintsUnreliableOn(locations.projectsDirs);
    const pool = createScanPool(workers);
    const loop = new TrackerLoop(
      {
        schedule: { activeIntervalMs, idleIntervalMs, activeWindowMs: 60_000 },
        watch: values.watch,
        reconcileIntervalMs,
        shutdownDeadlineMs: 5_000,
        version: VERSION,
        monoMs,
        wallMs: context.nowMs,
      },
      {
        db,
        poll,
        catchUpExecutor: pool,
        ...(unreliable === null
          ? {
              startHints: (wake, onOff) =>
                startWatchHints(
                  {
                    projectsDirs: locations.projectsDirs,
                    sessionsDirs: locations.configDirs.map((dir) => join(dir, 'sessions')),
                    claudeJsonPath: locations.claudeJson,
                  },
                  wake,
                  onOff,
                ),
            }
          : {}),
        writeStatus: (status) => writeTrackerStatus(statusPathOf(locations.ledgerPath), status),
        onEvent: (event) => output.event(event, claudeJson.marks),
      },
    );
    let deadline: NodeJS.Timeout | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (deadline !== undefined) return;
      // The hard stop: the design is kill-safe, so exiting late loses nothing, but never hangs.
      deadline = setTimeout(() => {
        context.stderr(`ctt: did not stop within 5 s of ${signal}; exiting (nothing is lost)`);
        process.exit(1);
      }, 5_000);
      deadline.unref();
      loop.stop(signal);
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, onSignal);
    const onStdoutError = (error: NodeJS.ErrnoException): void => {
      if (error.code !== 'EPIPE') throw error;
      stdoutClosed = true;
      onSignal('SIGPIPE');
    };
    process.stdout.on('error', onStdoutError);
    // The header says the tracker runs: from its first line on, a signal stops it gracefully.
    output.started({
      pid: process.pid,
      version: VERSION,
      projectsDirs: locations.projectsDirs,
      claudeJson: locations.claudeJson,
      ledger: locations.ledgerPath,
      watch: values.watch,
      watchNote: unreliable === null ? null : `events off: ${unreliable}`,
      activeIntervalMs,
      idleIntervalMs,
    });
    try {
      await loop.run();
    } finally {
      for (const signal of signals) process.off(signal, onSignal);
      process.stdout.off('error', onStdoutError);
      if (deadline !== undefined) clearTimeout(deadline);
    }
  } finally {
    db.close();
    lock.release();
  }
}
