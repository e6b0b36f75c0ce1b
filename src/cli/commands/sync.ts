/** `ctt sync`: one catch-up pass of every source into the ledger, then a summary. */
import type { Command } from 'commander';
import type { SyncSummary } from '../../tracker/sync-ledger.js';
import { formatCount, formatDurationMs } from '../format.js';
import type { CommonOptionValues } from '../shared-options.js';
import type { CliContext } from '../context.js';
import type { Locations } from '../locations.js';

interface SyncOptionValues extends CommonOptionValues {
  readonly json?: boolean;
  readonly workers?: string;
  readonly quiet?: boolean;
}

export function summaryToJson(summary: SyncSummary, ledgerPath: string): Record<string, unknown> {
  const { pass, ledger } = summary;
  return {
    files: pass.files,
    bytesRead: pass.bytesRead,
    lines: pass.lines,
    newResponses: pass.newResponses,
    updatedResponses: pass.updatedResponses,
    usageCopies: pass.usageCopies,
    copiesMerged: pass.usageCopies - pass.newResponses,
    quarantinedLines: pass.quarantinedLines,
    pendingTailBytes: pass.pendingTailBytes,
    dedupHitsRaw: pass.dedupHitsRaw,
    staleCommits: pass.staleCommits,
    busyRetries: pass.busyRetries,
    unpricedModels: ledger.unpricedModels,
    missingRoots: pass.missingRoots,
    unreadable: pass.unreadable,
    ledger: { path: ledgerPath, ...ledger },
    priceVersion: summary.priceVersion,
    durationMs: summary.durationMs,
  };
}

export function summaryToText(summary: SyncSummary, locations: Locations): string {
  const { ledgerPath, pricesPath } = locations;
  const { pass, ledger } = summary;
  const f = pass.files;
  const lines = [
    `synced ${formatCount(f.seen)} transcript files (${formatCount(f.read)} read, ${formatCount(f.unchanged)} unchanged` +
      `${f.added > 0 ? `, ${formatCount(f.added)} new` : ''}${f.gone > 0 ? `, ${formatCount(f.gone)} gone` : ''}) in ${formatDurationMs(summary.durationMs)}`,
    `  ${formatCount(pass.newResponses)} new responses, ${formatCount(pass.usageCopies - pass.newResponses)} copies merged, ` +
      `${formatCount(pass.quarantinedLines)} lines quarantined`,
  ];
  if (f.renamed + f.reset + f.inodeReused > 0) {
    lines.push(
      `  ${f.renamed} renamed, ${f.reset} re-read after truncation or rewrite, ${f.inodeReused} reused inodes`,
    );
  }
  for (const model of ledger.unpricedModels) {
    lines.push(
      `  unpriced model ${model.model}: ${formatCount(model.totalTokens)} tokens in ${formatCount(model.responses)} response${model.responses === 1 ? '' : 's'} (add its prices to ${pricesPath})`,
    );
  }
  if (pass.missingRoots.length === locations.projectsDirs.length) {
    lines.push(
      `  no Claude Code transcripts found (looked in ${locations.projectsDirs.join(', ')}); see --claude-dir`,
    );
  } else if (locations.configDirsExplicit) {
    for (const root of pass.missingRoots) lines.push(`  not found: ${root}`);
  }
  for (const u of pass.unreadable) lines.push(`  unreadable (${u.code}): ${u.path}`);
  lines.push(
    `  ledger ${ledgerPath}: ${formatCount(ledger.responses)} responses from ${formatCount(ledger.files.active + ledger.files.gone)} files` +
      `${ledger.files.gone > 0 ? ` (${formatCount(ledger.files.gone)} deleted since)` : ''}, ${formatCount(ledger.quarantinedLines)} quarantined lines`,
  );
  return lines.join('\n');
}

export function registerSyncCommand(program: Command, context: CliContext): void {
  const command = program
    .command('sync')
    .description('read every new transcript byte into the ledger once, then print what was added')
    .option('--json', 'print the summary as one JSON object')
    .option('--workers <n>', 'reader threads (default: auto, 0 = read on the main thread)')
    .option('-q, --quiet', 'print nothing on success');
  command.addHelpText(
    'after',
    `
Examples:
  $ ctt sync                      catch up from ~/.claude and ~/.config/claude
  $ ctt sync --json               the same, with a JSON summary
  $ ctt sync --claude-dir /backup/.claude --db ./ledger.db`,
  );
  command.action(async (_options: unknown, cmd: Command) => {
    const options = cmd.optsWithGlobals<SyncOptionValues>();
    const workers =
      options.workers === undefined ? undefined : context.parseCount('--workers', options.workers);
    const { summary, locations } = await context.sync(options, workers);
    if (options.json === true)
      context.stdout(JSON.stringify(summaryToJson(summary, locations.ledgerPath), null, 2));
    else if (options.quiet !== true) context.stdout(summaryToText(summary, locations));
  });
}
