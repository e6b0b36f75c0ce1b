import type { LedgerReportsResult, ReportsResults, ReportTiming } from './results.js';
import { formatCount, humanBytes } from './token-fields.js';

/** The reports table of one ledger, and the one-line reports summary. */

function pad(
  cells: readonly string[],
  widths: readonly number[],
  left: ReadonlySet<number>,
): string {
  return cells
    .map((cell, i) => (left.has(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
}

function ms(value: number): string {
  return formatCount(Math.round(value));
}

function rows(r: ReportTiming): string {
  const n = (v: number | null): string => (v === null ? '-' : formatCount(v));
  return `${n(r.cttRows)}/${n(r.ccusageRows)}`;
}

function goalCell(r: ReportTiming): string {
  if (r.met === null) return '-';
  return r.met ? 'met' : 'MISSED';
}

export function ledgerReportsReport(result: LedgerReportsResult): string {
  const build =
    result.ledgerBuild === null
      ? 'reused'
      : `built by ctt sync in ${(result.ledgerBuild.wallMs / 1000).toFixed(1)} s, ${result.ledgerBuild.peakRssMb.toFixed(0)} MB peak`;
  const generated =
    result.corpusGenerationMs === null
      ? 'reused'
      : `generated in ${(result.corpusGenerationMs / 1000).toFixed(1)} s`;
  const goal = result.goalMs === null ? 'no goal' : `≤ ${result.goalMs} ms`;
  const header = [
    `== reports on the ${result.label} ledger (seed ${result.seed}): ${result.ledger}, ${humanBytes(result.ledgerBytes)}, ` +
      `${formatCount(result.ledgerResponses)} responses (oracle ${formatCount(result.expectedResponses)}) (${build})`,
    `   from ${result.corpusDir}: ${humanBytes(result.corpusBytes)}, ${formatCount(result.corpusFiles)} files (${generated}); ` +
      `median of ${result.runs} run${result.runs === 1 ? '' : 's'} each, the two tools alternating which goes first; ` +
      `1-min load at each round ${result.loadAverages.map((l) => l.toFixed(2)).join(', ')}`,
    '   ctt:     ctt <report> --no-sync --json --db <ledger> --claude-dir <each corpus config dir>; empty HOME, TZ=UTC',
    '   ccusage: ccusage <counterpart> --offline --json, CLAUDE_CONFIG_DIR=<the corpus config dirs>; empty HOME, TZ=UTC',
    '',
  ];
  const widths = [8, 7, 11, 9, 11, 15, 14, 8, 0];
  const left = new Set([0, 7, 8]);
  const lines = [
    pad(
      [
        'report',
        'ctt ms',
        'ccusage ms',
        'speed-up',
        'ctt RSS MB',
        'ccusage RSS MB',
        'rows ctt/cc',
        goal,
        'ccusage counterpart',
      ],
      widths,
      left,
    ),
  ];
  for (const r of result.reports) {
    lines.push(
      pad(
        [
          r.report,
          ms(r.ctt.medianWallMs),
          r.ccusage === null ? 'n/a' : ms(r.ccusage.medianWallMs),
          r.speedup === null ? 'n/a' : `${r.speedup.toFixed(1)}×`,
          r.ctt.medianPeakRssMb.toFixed(1),
          r.ccusage === null ? 'n/a' : r.ccusage.medianPeakRssMb.toFixed(1),
          rows(r),
          goalCell(r),
          r.ccusageNote,
        ],
        widths,
        left,
      ),
    );
  }
  const goals = result.goals.map(
    (g) => `   ${g.met ? 'met   ' : 'MISSED'}  ${g.name} ${g.target}: ${g.actual}`,
  );
  return [
    ...header,
    ...lines.map((l) => `   ${l}`),
    '',
    '   speed-up = ccusage median wall / ctt median wall (ccusage re-reads every transcript per report, ctt reads its ledger);',
    '   rows = rows in each JSON (project: projects; model: distinct models)',
    '   project: ccusage has no project report; the nearest is its daily rows per project, `ccusage claude daily --instances`',
    '            (the top-level `ccusage daily` rejects --instances), which answers a different, larger question',
    '   model:   ccusage has no model report; the nearest is `ccusage claude monthly --breakdown` (months with per-model rows)',
    '   hourly, report: ccusage has neither (n/a); their ctt times still count toward the goal',
    ...(goals.length === 0 ? [] : ['   goals:', ...goals]),
  ].join('\n');
}

function range(values: readonly number[], format: (v: number) => string): string {
  if (values.length === 0) return '-';
  const lo = format(Math.min(...values));
  const hi = format(Math.max(...values));
  return lo === hi ? lo : `${lo}–${hi}`;
}

function duration(valueMs: number): string {
  return valueMs >= 1000 ? `${(valueMs / 1000).toFixed(1)} s` : `${Math.round(valueMs)} ms`;
}

export function reportsFiguresLine(reports: ReportsResults): string {
  const parts = reports.ledgers.map((l) => {
    const ctt = l.reports.map((r) => r.ctt.medianWallMs);
    const same = l.reports.filter((r) => r.speedup !== null);
    const cc = same.flatMap((r) => (r.ccusage === null ? [] : [r.ccusage.medianWallMs]));
    const speedups = same.flatMap((r) => (r.speedup === null ? [] : [r.speedup]));
    const goal =
      l.goalMs === null
        ? ''
        : ` (goal ≤ ${l.goalMs} ms ${l.reports.every((r) => r.met === true) ? 'met' : 'MISSED'})`;
    return (
      `${l.label} ledger (${humanBytes(l.corpusBytes)} of transcripts): ${l.reports.length} ctt reports ${range(ctt, duration)}${goal}, ` +
      `ccusage's ${cc.length} counterparts ${range(cc, duration)}, speed-up ${range(speedups, (v) => `${v.toFixed(1)}×`)}`
    );
  });
  const runs = reports.ledgers[0]?.runs ?? 0;
  return `Report figures (median of ${runs}, ${reports.cpus} cores, Node ${reports.node}): ${parts.join(' · ')}`;
}
