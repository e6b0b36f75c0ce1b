/** `ctt start`: the always-on tracker, in the foreground, until SIGINT/SIGTERM. */
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import type { CommonOptionValues } from '../shared-options.js';

export interface StartOptionValues extends CommonOptionValues {
  readonly debug?: boolean;
  readonly json?: boolean;
  readonly watch: 'hybrid' | 'events' | 'poll';
  readonly activeInterval: string;
  readonly idleInterval: string;
  readonly reconcileInterval: string;
  readonly fullScanInterval: string;
  readonly sessionIdleTimeout: string;
  readonly lockWait: string;
  readonly workers?: string;
}

const EXAMPLES = `
Examples:
  $ ctt start                      track, print every change; Ctrl-C stops
  $ ctt start --debug              also poll timings, files scanned, intervals
  $ ctt start --json | jq .        the same events as NDJSON
  $ ctt start --watch poll         no file-system events at all (network or WSL mounts)
  $ ctt start --active-interval 250 --idle-interval 5000

Runs until SIGINT/SIGTERM (exit 0 within 5 s). Exit 75 when another tracker holds the ledger.`;

export function registerStartCommand(program: Command, context: CliContext): void {
  program
    .command('start')
    .description('the always-on tracker: records every change of every source into the ledger')
    .option('--debug', 'also print poll timing, files scanned and intervals')
    .option('--json', 'print the events as NDJSON on stdout')
    .addOption(
      new Option(
        '--watch <mode>',
        'file-system events: hints to look sooner (hybrid), the main trigger with a periodic full poll (events), or none (poll)',
      )
        .choices(['hybrid', 'events', 'poll'])
        .default('hybrid'),
    )
    .option('--active-interval <ms>', 'poll interval while a session is active', '500')
    .option('--idle-interval <ms>', 'poll interval when idle', '2000')
    .option('--reconcile-interval <ms>', 'with --watch events: the full poll interval', '30000')
    .option(
      '--full-scan-interval <ms>',
      'between full listings a poll stats only folders and files written in the last 10 minutes; an append to an older file is found within this (with file events on: at once, and the full listing runs every 30 s)',
      '10000',
    )
    .option(
      '--session-idle-timeout <minutes>',
      'a session without a live process and without activity this long has ended',
      '30',
    )
    .option(
      '--lock-wait <ms>',
      'how long to wait for another tracker to release the ledger',
      '10000',
    )
    .option('--workers <n>', 'reader threads for the start-up catch-up (default: 2)')
    .addHelpText('after', EXAMPLES)
    .action(async (_options: unknown, cmd: Command) => {
      const { runStart } = await import('./run-start.js');
      await runStart(cmd.optsWithGlobals<StartOptionValues>(), context);
    });
}
