/** `ctt daily|weekly|monthly|hourly|session|project|model|blocks`: reports from the ledger. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { CommonOptionValues } from '../shared-options.js';
import { addReportOptions, reportSettings, type ReportOptionValues } from './report-options.js';

export type ReportCommandName =
  | 'daily'
  | 'weekly'
  | 'monthly'
  | 'hourly'
  | 'session'
  | 'project'
  | 'model'
  | 'blocks';

const REPORTS: { name: ReportCommandName; description: string; example: string }[] = [
  {
    name: 'daily',
    description: 'usage and cost per day',
    example: 'ctt daily --since 2026-11-01 --breakdown',
  },
  {
    name: 'weekly',
    description: 'usage and cost per week',
    example: 'ctt weekly --start-of-week sunday',
  },
  { name: 'monthly', description: 'usage and cost per month', example: 'ctt monthly --json' },
  {
    name: 'hourly',
    description: 'usage and cost per hour',
    example: 'ctt hourly --since 20261130 --tz Asia/Kolkata',
  },
  {
    name: 'session',
    description: 'usage and cost per Claude Code session',
    example: 'ctt session --project webapp',
  },
  {
    name: 'project',
    description: 'usage and cost per project (working directory)',
    example: 'ctt project --csv',
  },
  { name: 'model', description: 'usage and cost per model', example: 'ctt model --mode calculate' },
  {
    name: 'blocks',
    description: '5-hour blocks with burn rate and projection',
    example: 'ctt blocks --json',
  },
];

export function registerReportCommands(program: Command, context: CliContext): void {
  for (const report of REPORTS) {
    const command = program.command(report.name).description(report.description);
    addReportOptions(command);
    if (report.name === 'weekly') {
      command.option('--start-of-week <day>', 'first day of a week (monday … sunday)', 'monday');
    }
    if (report.name === 'daily') command.option('--instances', 'group the days per project');
    command.addHelpText(
      'after',
      `
Example:
  $ ${report.example}

A report first catches up like \`ctt sync\` (skip with --no-sync). Days, weeks, months and hours are
in --timezone (default: the system zone).`,
    );
    command.action(async (_options: unknown, cmd: Command) => {
      const values = cmd.optsWithGlobals<ReportOptionValues & CommonOptionValues>();
      const settings = reportSettings(
        { ...values, ...(values.tz === undefined ? {} : { timezone: values.tz }) },
        context.env,
      );
      const { runReport } = await import('./run-report.js');
      await runReport(report.name, settings, values, context);
    });
  }
}
