/**
 * The settings.json `hooks` entries for `ctt hook` (claude-code-data.md §4.1). The command names
 * this node and this ctt script by absolute path, so it works whatever PATH Claude Code's hook
 * shell has. SessionStart, Stop and SubagentStop run `async` (Claude Code does not wait for them);
 * SessionEnd runs at exit, where an async hook could be cut off, so it is synchronous with a 10 s
 * budget (Claude Code's default budget for SessionEnd hooks is 1.5 s in all).
 */

export interface HookSettingsInput {
  readonly nodePath: string;
  readonly scriptPath: string;
  /** A ledger named on the command line or in `CTT_DB` (Claude Code may not have that env). */
  readonly dbPath?: string;
}

interface CommandHook {
  type: 'command';
  command: string;
  async?: boolean;
  timeout?: number;
}

export interface HookSettings {
  hooks: Record<string, { hooks: CommandHook[] }[]>;
}

const EVENTS: readonly { name: string; argument: string; async: boolean }[] = [
  { name: 'SessionStart', argument: 'session-start', async: true },
  { name: 'SessionEnd', argument: 'session-end', async: false },
  { name: 'Stop', argument: 'stop', async: true },
  { name: 'SubagentStop', argument: 'subagent-stop', async: true },
];

const SESSION_END_TIMEOUT_S = 10;

/** `text` as one shell word: as is when plainly safe, else single-quoted. */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_/.,:=+@%-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function hookSettings(input: HookSettingsInput): HookSettings {
  const base = [input.nodePath, input.scriptPath].map(shellWord).join(' ');
  const db = input.dbPath === undefined ? '' : ` --db ${shellWord(input.dbPath)}`;
  const hooks: HookSettings['hooks'] = {};
  for (const event of EVENTS) {
    const hook: CommandHook = {
      type: 'command',
      command: `${base} hook ${event.argument}${db}`,
      ...(event.async ? { async: true } : { timeout: SESSION_END_TIMEOUT_S }),
    };
    hooks[event.name] = [{ hooks: [hook] }];
  }
  return { hooks };
}
