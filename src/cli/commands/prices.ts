/** `ctt prices`: show the model prices in force. */
import type { Command } from 'commander';
import type { PricesCommandDeps, PricesOptions } from './prices-view.js';

export type { PricesCommandDeps } from './prices-view.js';

const EXAMPLES = `
Examples:
  $ ctt prices                                            every model, and where its prices come from
  $ ctt prices --model claude-sonnet-4-5-20250929         the prices a served model id gets
  $ ctt prices --model us.anthropic.claude-opus-4-6-v1    Bedrock and Vertex ids resolve too
  $ ctt prices --json                                     the same, as JSON

Prices are USD per million tokens (web search: USD per request). Ids match exactly; an id that
matches nothing is unpriced, never $0. Override or add models and aliases in a prices file:
--prices FILE, else $CTT_PRICES, else \${XDG_CONFIG_HOME:-~/.config}/claude-token-tracker/prices.json.`;

export function registerPricesCommand(program: Command, deps: PricesCommandDeps): void {
  program
    .command('prices')
    .description('show the model prices in force, or which price a model id resolves to')
    .option('--json', 'print JSON instead of a table')
    .option('--model <id>', 'resolve one model id (first-party, Bedrock or Vertex form)')
    .addHelpText('after', EXAMPLES)
    .action(async (_options: unknown, command: Command) => {
      // The table renderer loads only when this command runs, keeping every other command's start fast.
      const { runPrices } = await import('./prices-view.js');
      runPrices(command.opts<PricesOptions>(), deps);
    });
}
