/**
 * `ctt changes`: the audit trail as recorded, newest last. It reads the ledger only (no catch-up:
 * the trail is what the tracker saw when it saw it), and a missing ledger is an empty trail, not
 * a new file.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { resolveTimeZone } from '../../core/time-zone.js';
import { toTimeRange } from '../../core/time-argument.js';
import type { ChangeSource } from '../../store/change-log.js';
import type { ChangeQuery } from '../../store/change-queries.js';
import type { CliContext } from '../context.js';
import { resolveLocations } from '../locations.js';
import { writePieces } from '../write-pieces.js';
import type { CommonOptionValues } from '../shared-options.js';

interface ChangesOptionValues extends CommonOptionValues {
  readonly since?: string;
  readonly until?: string;
  readonly project?: string;
  readonly session?: string;
  readonly source?: string;
  readonly kind?: string;
  readonly last?: string;
  readonly json?: boolean;
  readonly csv?: boolean;
}

/** Every source the trail knows (a new `ChangeSource` fails to compile until it is listed). */
const SOURCES: Record<ChangeSource, true> = {
  transcript: true,
  'claude-json': true,
  hook: true,
  process: true,
  tracker: true,
};

export interface ChangesSettings {
  readonly format: 'table' | 'json' | 'csv';
  readonly timeZone: string;
  readonly query: ChangeQuery;
}

function list(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseSources(value: string | undefined): string[] {
  const sources = list(value);
  for (const source of sources) {
    if (!Object.hasOwn(SOURCES, source)) {
      throw new UsageError(
        `--source "${source}" is not a change source (expected ${Object.keys(SOURCES).join(', ')})`,
      );
    }
  }
  return sources;
}

/** The options as a query, checked: any bad value is a UsageError with a one-line reason. */
export function changesSettings(
  values: ChangesOptionValues,
  context: Pick<CliContext, 'env' | 'nowMs' | 'parseCount'>,
): ChangesSettings {
  if (values.json === true && values.csv === true)
    throw new UsageError('choose one of --json and --csv');
  const timeZone = resolveTimeZone(values.timezone ?? values.tz, context.env);
  const range = toTimeRange(
    { since: values.since, until: values.until },
    timeZone,
    context.nowMs(),
  );
  const source = parseSources(values.source);
  const kind = list(values.kind);
  if (values.session !== undefined && values.session.trim() === '')
    throw new UsageError('--session expects a session id or its first characters');
  const query: ChangeQuery = {
    ...range,
    ...(values.project === undefined ? {} : { project: values.project }),
    ...(values.session === undefined ? {} : { sessionId: values.session.trim() }),
    ...(source.length === 0 ? {} : { source }),
    ...(kind.length === 0 ? {} : { kind }),
    ...(values.last === undefined ? {} : { lastN: context.parseCount('--last', values.last) }),
  };
  return {
    format: values.json === true ? 'json' : values.csv === true ? 'csv' : 'table',
    timeZone,
    query,
  };
}

/**
 * A table of more rows than a screen or two is unreadable (and cli-table3 slows down with the
 * square of its rows): without `--last` it shows the newest ones and says how many matched.
 */
export const TABLE_ROWS = 200;

async function runChanges(values: ChangesOptionValues, context: CliContext): Promise<void> {
  const settings = changesSettings(values, context);
  const ledgerPath = resolveLocations(values, context.env).ledgerPath;
  const [{ openLedger }, queries, render, table] = await Promise.all([
    import('../../store/database.js'),
    import('../../store/change-queries.js'),
    import('../../reports/render-changes.js'),
    import('../../reports/render-changes-table.js'),
  ]);
  // Opening migrates an older ledger (it gains an empty trail); a missing one stays missing.
  const db = existsSync(ledgerPath) ? openLedger(ledgerPath) : null;
  try {
    const { query, format } = settings;
    if (format !== 'table') {
      const changes = db === null ? [] : queries.iterateChanges(db, query);
      const pieces =
        format === 'json' ? render.changesJsonPieces(changes) : render.changesCsvPieces(changes);
      await writePieces(pieces, process.stdout);
      return;
    }
    const capped = query.lastN === undefined;
    const lastN = query.lastN ?? TABLE_ROWS + 1;
    let changes = db === null ? [] : queries.queryChanges(db, { ...query, lastN });
    let matchingTotal: number | undefined;
    if (capped && changes.length > TABLE_ROWS && db !== null) {
      changes = changes.slice(-TABLE_ROWS);
      matchingTotal = queries.countMatchingChanges(db, query);
    }
    const recordedTotal = changes.length === 0 && db !== null ? queries.countChanges(db) : 0;
    context.stdout(
      table.changesToTable(changes, {
        columns: Number(context.env['COLUMNS']) || process.stdout.columns || 120,
        color: process.stdout.isTTY && (context.env['NO_COLOR'] ?? '') === '',
        timeZone: settings.timeZone,
        recordedTotal,
        ...(matchingTotal === undefined ? {} : { matchingTotal }),
      }),
    );
  } finally {
    db?.close();
  }
}

export function registerChangesCommand(program: Command, context: CliContext): void {
  program
    .command('changes')
    .description('the audit trail: every recorded change with its deltas, newest last')
    .option(
      '--since <when>',
      'from this day (YYYY-MM-DD, YYYYMMDD), date-time (2026-11-30T14:05[:07][Z|+01:00]) or span ago (30m, 2h, 7d)',
    )
    .option('--until <when>', 'up to this day (inclusive), date-time or span ago')
    .option('--project <text>', 'only projects whose path contains TEXT (any case)')
    .option('--session <id>', 'only the session whose id starts with ID')
    .option(
      '--source <list>',
      `only these sources, comma-separated (${Object.keys(SOURCES).join(', ')})`,
    )
    .option('--kind <list>', 'only these kinds, comma-separated (session keeps session-start, …)')
    .option(
      '--last <n>',
      `only the newest N changes that match (a table shows ${TABLE_ROWS} by default)`,
    )
    .option('--json', 'print JSON ({"changes":[…]})')
    .option('--csv', 'print CSV (RFC 4180)')
    .addHelpText(
      'after',
      `
Examples:
  $ ctt changes --since 2h                    what changed in the last two hours
  $ ctt changes --session 5b0e --kind usage   one session's responses
  $ ctt changes --source claude-json --last 20 --json

Days and date-times without an offset are in --timezone (default: the system zone). The trail is
read as recorded by ctt start; nothing is synced first.`,
    )
    .action(async (_options: unknown, cmd: Command) => {
      await runChanges(cmd.optsWithGlobals<ChangesOptionValues>(), context);
    });
}
