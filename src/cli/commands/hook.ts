/**
 * `ctt hook <event>`: run by Claude Code as a command hook. It records the hook body's ids and
 * paths as one `hook_event` row for the tracker and returns. Rules (claude-code-data.md §4):
 * - stdout stays empty: a SessionStart hook's stdout is added to Claude's context;
 * - a hook must never break the user's session: any failure is one line on stderr and exit 0
 *   (only a usage error, such as a person running it on a terminal, exits 2);
 * - the body is read up to 1 MiB (a hook body the tracker needs is far smaller; a larger one is
 *   a Stop body with a huge last message, and the tracker rescans on its own anyway).
 *
 * `ctt hook --print-config` prints the settings.json `hooks` entries that run this ctt; it never
 * edits a settings file.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { resolveLocations } from '../locations.js';
import type { CommonOptionValues } from '../shared-options.js';
import { hookSettings } from './hook-settings.js';
import { readBoundedStdin } from './read-stdin.js';

interface HookOptionValues extends CommonOptionValues {
  readonly printConfig?: boolean;
}

export const MAX_HOOK_INPUT_BYTES = 1024 * 1024;
/** Claude Code closes stdin after the body; if it ever did not, parse what came by then. */
const STDIN_WAIT_MS = 3000;

async function recordHook(
  event: string | undefined,
  values: HookOptionValues,
  context: CliContext,
): Promise<void> {
  const stdin = await readBoundedStdin(process.stdin, MAX_HOOK_INPUT_BYTES, STDIN_WAIT_MS);
  if (stdin.kind === 'too-large') {
    context.stderr(`ctt hook: input larger than ${MAX_HOOK_INPUT_BYTES} bytes; not recorded`);
    return;
  }
  if (stdin.kind === 'error') {
    context.stderr(`ctt hook: cannot read stdin (${stdin.message}); not recorded`);
    return;
  }
  const { parseHookInput } = await import('../../sources/claude-code/hook-input.js');
  const parsed = parseHookInput(stdin.text, event);
  if (!parsed.ok) {
    context.stderr(`ctt hook: ${parsed.reason}; not recorded`);
    return;
  }
  const [{ openLedger }, { insertHookEvent }] = await Promise.all([
    import('../../store/database.js'),
    import('../../store/hook-events.js'),
  ]);
  const ledgerPath = resolveLocations(values, context.env).ledgerPath;
  try {
    const db = openLedger(ledgerPath);
    try {
      insertHookEvent(db, { receivedMs: context.nowMs(), ...parsed.input });
    } finally {
      db.close();
    }
  } catch (error) {
    context.stderr(`ctt hook: not recorded in ${ledgerPath}: ${firstLine(error)}`);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}

function printConfig(values: HookOptionValues, context: CliContext): void {
  const script = process.argv[1];
  if (script === undefined) throw new UsageError('cannot tell where this ctt is installed');
  const dbFromEnv = context.env['CTT_DB'];
  const named = values.db ?? (dbFromEnv === undefined || dbFromEnv === '' ? undefined : dbFromEnv);
  const settings = hookSettings({
    nodePath: process.execPath,
    scriptPath: resolve(script),
    ...(named === undefined ? {} : { dbPath: resolve(named) }),
  });
  context.stdout(JSON.stringify(settings, null, 2));
  context.stderr(
    'ctt: merge these "hooks" into ~/.claude/settings.json (or a project\'s .claude/settings.json); ctt does not edit it',
  );
}

export function registerHookCommand(program: Command, context: CliContext): void {
  program
    .command('hook')
    .description(
      'record a Claude Code hook event (run by Claude Code; reads the hook JSON on stdin)',
    )
    .argument('[event]', "the hook's event (session-start, session-end, stop, subagent-stop)")
    .option('--print-config', 'print the settings.json hooks that run this ctt (edits nothing)')
    .addHelpText(
      'after',
      `
Examples:
  $ ctt hook --print-config        the hooks to add to ~/.claude/settings.json
  $ echo '{"session_id":"abc","hook_event_name":"Stop"}' | ctt hook stop

It prints nothing on stdout and exits 0 even when it cannot record (one line on stderr), so a
hook never disturbs a Claude Code session.`,
    )
    .action(async (event: string | undefined, _options: unknown, cmd: Command) => {
      const values = cmd.optsWithGlobals<HookOptionValues>();
      if (values.printConfig === true) {
        printConfig(values, context);
        return;
      }
      if (process.stdin.isTTY) {
        throw new UsageError(
          'no hook JSON on stdin (it is a terminal): Claude Code runs this command; to set it up run: ctt hook --print-config',
        );
      }
      try {
        await recordHook(event, values, context);
      } catch (error) {
        context.stderr(`ctt hook: not recorded: ${firstLine(error)}`);
      }
    });
}
