/** `ctt reprice`: price the whole history again with the prices in force (explicit, never implicit). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { CommonOptionValues } from '../shared-options.js';

interface RepriceOptionValues extends CommonOptionValues {
  readonly json?: boolean;
  readonly dryRun?: boolean;
}

export function registerRepriceCommand(program: Command, context: CliContext): void {
  program
    .command('reprice')
    .description(
      'price every recorded response again with the prices in force (after adding or changing prices)',
    )
    .option('--dry-run', 'count what would change, change nothing')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ctt prices --model claude-nova-7     check the new price first\n  $ ctt reprice --dry-run\n  $ ctt reprice',
    )
    .action(async (_options: unknown, cmd: Command) => {
      const values = cmd.optsWithGlobals<RepriceOptionValues>();
      const [{ openLedger }, { repriceResponses }, { priceFnOf }, { resolveLocations }] =
        await Promise.all([
          import('../../store/database.js'),
          import('../../store/reprice.js'),
          import('../../tracker/price-fn.js'),
          import('../locations.js'),
        ]);
      const table = context.loadPriceTable(values);
      const db = openLedger(resolveLocations(values, context.env).ledgerPath);
      try {
        const result = repriceResponses(
          db,
          priceFnOf(table),
          table.version,
          values.dryRun === true,
          context.nowMs,
        );
        if (values.json === true) {
          context.stdout(
            JSON.stringify(
              { ...result, priceVersion: table.version, dryRun: values.dryRun === true },
              null,
              2,
            ),
          );
        } else {
          context.stdout(
            `${values.dryRun === true ? 'would re-price' : 're-priced'} ${result.changed} of ${result.examined} responses ` +
              `(${result.newlyPriced} newly priced, ${result.unpriced} still unpriced) with prices ${table.version}`,
          );
        }
      } finally {
        db.close();
      }
    });
}
