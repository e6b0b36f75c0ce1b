/** `ctt status`: is a tracker running, since when, how far behind, last error, ledger size. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { StatusOptionValues } from './run-status.js';

export function registerStatusCommand(program: Command, context: CliContext): void {
  const command = program
    .command('status')
    .description(
      'is a tracker running, since when, how far behind the transcripts, last error, ledger size',
    )
    .option('--json', 'print one JSON object');
  command.addHelpText(
    'after',
    `
Exit status: 0 when it could answer (a tracker running or not), 1 when it could not.

Examples:
  $ ctt status
  $ ctt status --json | jq .lag.pendingBytes`,
  );
  command.action(async (_options: unknown, cmd: Command) => {
    // SQLite loads only when the command runs.
    const { runStatus } = await import('./run-status.js');
    runStatus(cmd.optsWithGlobals<StatusOptionValues>(), context);
  });
}
