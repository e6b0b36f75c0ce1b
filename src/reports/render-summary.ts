/** `ctt report` as text (aligned sections) and as JSON. Pure. */
import type { SummaryReport } from './build-summary.js';
import {
  formatCostUsd,
  formatCount,
  formatDuration,
  formatLocalTime,
  shortenPath,
} from './format-cells.js';
import { blockToJson, knownCost, rowToJson } from './render-json.js';
import type { ReportRow, UsageTotals } from './report-model.js';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function padStart(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

function usageLine(label: string, totals: UsageTotals): string {
  const cost = totals.responses === 0 ? '$0.00' : formatCostUsd(totals.totalCost);
  return `  ${pad(label, 12)}${padStart(cost, 12)}${padStart(formatCount(totals.totalTokens), 18)} tokens${padStart(formatCount(totals.responses), 10)} responses`;
}

function topLines(title: string, rows: readonly ReportRow[], columns: number): string[] {
  if (rows.length === 0) return [title, '  (no usage this month)'];
  const width = Math.max(20, Math.min(60, columns - 34));
  return [
    title,
    ...rows.map(
      (row) =>
        `  ${pad(shortenPath(row.key, width), width)}${padStart(formatCostUsd(row.totalCost), 12)}${padStart(formatCount(row.totalTokens), 18)} tokens`,
    ),
  ];
}

export function summaryToText(report: SummaryReport, options: { columns: number }): string {
  const lines: string[] = [
    `Claude Code usage (${report.timeZone}, ${formatLocalTime(report.nowMs, report.timeZone)})`,
  ];
  for (const period of report.periods) lines.push(usageLine(period.label, period.totals));
  lines.push('', ...topLines('Top projects this month', report.topProjects, options.columns));
  lines.push(...topLines('Top models this month', report.topModels, options.columns));
  const block = report.currentBlock;
  lines.push('', 'Current 5-hour block');
  if (block === null) lines.push('  no active block');
  else {
    const left = Math.max(0, block.endMs - report.nowMs);
    lines.push(
      `  started ${formatLocalTime(block.startMs, report.timeZone)}, ${formatDuration(left)} left`,
      `  ${formatCount(block.totalTokens)} tokens, ${formatCostUsd(block.costUsd)}`,
    );
    if (block.burnRate !== null) {
      lines.push(
        `  burn rate ${formatCount(Math.round(block.burnRate.tokensPerHour))} tokens/h, ${formatCostUsd(block.burnRate.costUsdPerHour)}/h`,
      );
    }
    if (block.projection !== null) {
      lines.push(
        `  projected at block end: ${formatCount(Math.round(block.projection.totalTokens))} tokens, ${formatCostUsd(block.projection.costUsd)}`,
      );
    }
  }
  const h = report.health;
  lines.push('', 'Data health');
  lines.push(
    `  last ingest ${h.lastIngestMs === null ? 'never' : formatLocalTime(h.lastIngestMs, report.timeZone)}; ${formatCount(h.responses)} responses` +
      (h.firstResponseMs === null
        ? ''
        : ` since ${formatLocalTime(h.firstResponseMs, report.timeZone).slice(0, 10)}`),
  );
  lines.push(`  ${formatCount(h.quarantinedLines)} quarantined lines`);
  for (const model of h.unpricedModels) {
    lines.push(
      `  unpriced model ${model.model}: ${formatCount(model.totalTokens)} tokens in ${formatCount(model.responses)} response${model.responses === 1 ? '' : 's'}`,
    );
  }
  const c = h.cleanup;
  lines.push(
    `  Claude Code deletes transcripts after ${c.cleanupPeriodDays} days${c.settingsFile === null ? ' (default)' : ` (${c.settingsFile})`}: ` +
      `${formatCount(c.dueSoon)} due within ${c.withinDays} days, ` +
      (c.dueSoonNotInLedger === 0
        ? 'all already in the ledger'
        : `${formatCount(c.dueSoonNotInLedger)} not fully read yet (an incomplete last line, or run ctt sync)`),
  );
  return lines.join('\n');
}

/** Usage with its cost as in report JSON: null only when every token is unpriced (none: 0). */
function usageJson(totals: UsageTotals): Record<string, unknown> {
  return { ...totals, totalCost: knownCost(totals) };
}

export function summaryToJson(report: SummaryReport): Record<string, unknown> {
  const iso = (ms: number | null): string | null =>
    ms === null ? null : new Date(ms).toISOString();
  return {
    timeZone: report.timeZone,
    generatedAt: iso(report.nowMs),
    periods: report.periods.map((p) => ({
      period: p.label,
      since: p.since,
      ...usageJson(p.totals),
    })),
    topProjects: report.topProjects.map((row) => rowToJson('project', row)),
    topModels: report.topModels.map((row) => rowToJson('model', row)),
    currentBlock:
      report.currentBlock === null
        ? null
        : {
            ...blockToJson(report.currentBlock),
            minutesLeft: Math.max(
              0,
              Math.round((report.currentBlock.endMs - report.nowMs) / 60_000),
            ),
          },
    health: {
      ...report.health,
      lastIngest: iso(report.health.lastIngestMs),
      firstResponse: iso(report.health.firstResponseMs),
      lastResponse: iso(report.health.lastResponseMs),
    },
  };
}
