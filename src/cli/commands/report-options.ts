/** Options every report takes (spec/cli.md "Report options"), parsed and checked once. */
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { parseDateArgument, toEpochRange } from '../../core/date-range.js';
import { parseWeekday, resolveTimeZone } from '../../core/time-zone.js';
import type { SortOrder } from '../../reports/aggregate.js';
import type { CostMode, ReportFilter } from '../../store/report-queries.js';

export interface ReportOptionValues {
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly since?: string;
  readonly until?: string;
  readonly timezone?: string;
  readonly project?: string;
  readonly model?: string;
  readonly breakdown?: boolean;
  readonly mode?: string;
  readonly order?: string;
  readonly sync?: boolean;
  readonly offline?: boolean;
  readonly startOfWeek?: string;
  readonly instances?: boolean;
}

export interface ReportSettings {
  readonly format: 'table' | 'json' | 'csv';
  readonly filter: ReportFilter;
  readonly timeZone: string;
  readonly breakdown: boolean;
  readonly order: SortOrder | undefined;
  readonly sync: boolean;
  readonly startOfWeek: number;
  readonly instances: boolean;
}

export function addReportOptions(command: Command): Command {
  return command
    .option('--json', 'print JSON (ccusage-compatible shape)')
    .option('--csv', 'print CSV (RFC 4180)')
    .option('--since <date>', 'first day to include, YYYY-MM-DD or YYYYMMDD (in the report zone)')
    .option('--until <date>', 'last day to include, inclusive')
    .option('--project <text>', 'only projects whose path contains TEXT')
    .option('--model <text>', 'only models whose id contains TEXT')
    .option('--breakdown', 'add a row per model')
    .addOption(
      new Option(
        '--mode <mode>',
        'cost mode: auto (Claude Code costUSD if present), calculate, display',
      )
        .choices(['auto', 'calculate', 'display'])
        .default('auto'),
    )
    .addOption(
      new Option('--cost-mode <mode>').hideHelp().choices(['auto', 'calculate', 'display']),
    )
    .addOption(new Option('--order <order>', 'row order').choices(['asc', 'desc']))
    .option('--no-sync', 'answer from the ledger as it is, without catching up first')
    .addOption(
      new Option(
        '--offline',
        'accepted for ccusage compatibility (ctt never uses the network)',
      ).hideHelp(),
    );
}

export function reportSettings(
  values: ReportOptionValues & { costMode?: string },
  env: NodeJS.ProcessEnv,
): ReportSettings {
  if (values.json === true && values.csv === true)
    throw new UsageError('choose one of --json and --csv');
  const timeZone = resolveTimeZone(values.timezone, env);
  const since = values.since === undefined ? undefined : parseDateArgument('--since', values.since);
  const until = values.until === undefined ? undefined : parseDateArgument('--until', values.until);
  const range = toEpochRange(
    { ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) },
    timeZone,
  );
  const costMode = (values.costMode ?? values.mode ?? 'auto') as CostMode;
  const filter: ReportFilter = {
    fromMs: range.fromMs,
    toMsExclusive: range.toMsExclusive,
    costMode,
    ...(values.project === undefined ? {} : { project: values.project }),
    ...(values.model === undefined ? {} : { model: values.model }),
  };
  return {
    format: values.json === true ? 'json' : values.csv === true ? 'csv' : 'table',
    filter,
    timeZone,
    breakdown: values.breakdown === true,
    order: values.order as SortOrder | undefined,
    sync: values.sync !== false,
    startOfWeek: values.startOfWeek === undefined ? 1 : parseWeekday(values.startOfWeek),
    instances: values.instances === true,
  };
}
