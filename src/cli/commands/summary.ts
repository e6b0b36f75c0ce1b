/** `ctt report`: today, this week, this month, all time; top projects and models; the current block; data health. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { CommonOptionValues } from '../shared-options.js';
import { Option } from 'commander';

export interface SummaryOptionValues extends CommonOptionValues {
  readonly json?: boolean;
  readonly sync?: boolean;
  readonly mode?: string;
  readonly startOfWeek?: string;
}

export function registerSummaryCommand(program: Command, context: CliContext): void {
  program
    .command('report')
    .description(
      'the summary to read first: periods, top projects and models, current block, data health',
    )
    .option('--json', 'print JSON')
    .option('--no-sync', 'answer from the ledger as it is, without catching up first')
    .addOption(
      new Option('--mode <mode>', 'cost mode')
        .choices(['auto', 'calculate', 'display'])
        .default('auto'),
    )
    .option('--start-of-week <day>', 'first day of a week', 'monday')
    .addHelpText('after', '\nExample:\n  $ ctt report\n  $ ctt report --json --tz Europe/Berlin')
    .action(async (_options: unknown, cmd: Command) => {
      const { runSummary } = await import('./run-summary.js');
      await runSummary(cmd.optsWithGlobals<SummaryOptionValues>(), context);
    });
}
