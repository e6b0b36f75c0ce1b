/**
 * argv → command → exit code. The only place that decides how an error becomes a message and an
 * exit status (0 ok, 1 failure, 2 bad usage, 75 ledger held).
 */
import { Command, CommanderError } from 'commander';
import { LedgerCorruptError, TrackerError } from '../core/errors.js';
import { createCliContext } from './context.js';
import { VERSION } from './version.js';
import { addCommonOptions } from './shared-options.js';
import { registerSyncCommand } from './commands/sync.js';
import { registerStartCommand } from './commands/start.js';
import { registerReportCommands } from './commands/reports.js';
import { registerSummaryCommand } from './commands/summary.js';
import { registerRepriceCommand } from './commands/reprice.js';
import { registerPricesCommand } from './commands/prices.js';
import { registerChangesCommand } from './commands/changes.js';
import { registerHookCommand } from './commands/hook.js';
import { registerStatusCommand } from './commands/status.js';
import type { CommonOptionValues } from './shared-options.js';

export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const context = createCliContext(env);
  const program = new Command('ctt')
    .description(
      'claude-token-tracker: what Claude Code costs, token by token, in a permanent ledger',
    )
    .version(VERSION)
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`ctt: ${text.replace(/^error: /, '')}`),
    });
  addCommonOptions(program);
  registerStartCommand(program, context);
  registerSyncCommand(program, context);
  registerReportCommands(program, context);
  registerSummaryCommand(program, context);
  registerRepriceCommand(program, context);
  registerChangesCommand(program, context);
  registerHookCommand(program, context);
  registerStatusCommand(program, context);
  registerPricesCommand(program, {
    loadPriceTable: () => context.loadPriceTable(program.opts<CommonOptionValues>()),
    stdout: context.stdout,
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return exitCodeOf(error, context.stderr);
  }
}

function exitCodeOf(error: unknown, stderr: (text: string) => void): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0; // --help, --version
    stderr("run 'ctt --help' for usage");
    return 2;
  }
  const sqliteCode = (error as { code?: unknown }).code;
  if (sqliteCode === 'SQLITE_CORRUPT' || sqliteCode === 'SQLITE_NOTADB') {
    stderr(`ctt: ${new LedgerCorruptError((error as Error).message).message}`);
    return 1;
  }
  if (sqliteCode === 'SQLITE_FULL') {
    stderr('ctt: the disk holding the ledger is full; nothing was lost: free space and run again');
    return 1;
  }
  if (error instanceof TrackerError) {
    stderr(`ctt: ${error.message}`);
    if (error.exitCode === 2) stderr("run 'ctt --help' for usage");
    return error.exitCode;
  }
  stderr(
    `ctt: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return 1;
}
