/**
 * Options every command shares (spec/cli.md), defined once on the program. Commander accepts
 * them before or after the command name, and `--help` of every command lists them.
 */
import { Option, type Command } from 'commander';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export interface CommonOptionValues {
  readonly claudeDir?: string[];
  readonly claudeJson?: string;
  readonly db?: string;
  readonly prices?: string;
  readonly timezone?: string;
  readonly tz?: string;
}

export function addCommonOptions(program: Command): Command {
  return program
    .addOption(
      new Option(
        '--claude-dir <dir>',
        'Claude Code config dir, repeatable (default: each of $CLAUDE_CONFIG_DIR, else ~/.claude and ~/.config/claude)',
      ).argParser(collect),
    )
    .option('--claude-json <file>', "Claude Code's global config (default: ~/.claude.json)")
    .option(
      '--db <file>',
      'the ledger (default: $CTT_DB, else ${XDG_DATA_HOME:-~/.local/share}/claude-token-tracker/ledger.db)',
    )
    .option(
      '--timezone <zone>',
      'IANA time zone for days, weeks, months and hours (default: the system zone)',
    )
    .addOption(new Option('--tz <zone>', 'alias of --timezone').hideHelp())
    .option(
      '--prices <file>',
      'price overrides (default: $CTT_PRICES, else ${XDG_CONFIG_HOME:-~/.config}/claude-token-tracker/prices.json)',
    );
}
