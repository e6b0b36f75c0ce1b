import type { CorpusResult, Goal, MeasuredSeries } from './results.js';
import { formatCount, humanBytes } from './token-fields.js';

/** The timing table of one corpus, its goals, and the one-line "figures" summary. */

export const GOAL_WALL_RATIO = 1.0;
export const GOAL_PEAK_RSS_MB = 250;
export const GOAL_NO_CHANGE_MS = 100;
export const NO_CHANGE_MIN_FILES = 3000;

export function goalsOf(result: Omit<CorpusResult, 'goals' | 'days' | 'explain'>): Goal[] {
  const rss = Math.max(result.cttFullSync.medianPeakRssMb, result.cttNoChangeSync.medianPeakRssMb);
  return [
    {
      name: 'ctt / ccusage wall time',
      target: `≤ ${GOAL_WALL_RATIO.toFixed(1)}`,
      actual: result.wallRatio.toFixed(2),
      met: result.wallRatio <= GOAL_WALL_RATIO,
    },
    {
      name: 'ctt peak RSS',
      target: `≤ ${GOAL_PEAK_RSS_MB} MB`,
      actual: `${rss.toFixed(1)} MB`,
      met: rss <= GOAL_PEAK_RSS_MB,
    },
    {
      name: 'ctt no-change sync',
      target: `≤ ${GOAL_NO_CHANGE_MS} ms`,
      actual: `${Math.round(result.cttNoChangeSync.medianWallMs)} ms`,
      met: result.cttNoChangeSync.medianWallMs <= GOAL_NO_CHANGE_MS,
    },
  ];
}

function runsText(series: MeasuredSeries): string {
  return series.samples
    .map((s) => `${formatCount(Math.round(s.wallMs))}/${s.peakRssMb.toFixed(0)}`)
    .join('  ');
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) =>
      i === 0 || i === cells.length - 1
        ? cell.padEnd(widths[i] ?? 0)
        : cell.padStart(widths[i] ?? 0),
    )
    .join('  ')
    .trimEnd();
}

export function timingReport(result: CorpusResult): string {
  const generated =
    result.generationMs === null
      ? 'reused'
      : `generated in ${(result.generationMs / 1000).toFixed(1)} s`;
  const header = [
    `== corpus ${result.label} (seed ${result.seed}): ${result.dir} (${generated})`,
    `   ${formatCount(result.bytes)} bytes (${humanBytes(result.bytes)}), ${formatCount(result.files)} files, ${formatCount(result.lines)} lines; ` +
      `median of ${result.runs} run${result.runs === 1 ? '' : 's'} each, the two tools alternating which goes first`,
    '',
  ];
  const widths = [34, 10, 12, 0];
  const series: [string, MeasuredSeries][] = [
    ['ctt sync --json (fresh ledger)', result.cttFullSync],
    ['ccusage daily --offline --json', result.ccusageDaily],
  ];
  const lines = [row(['', 'wall ms', 'peak RSS MB', 'each run (wall ms/RSS MB)'], widths)];
  for (const [name, s] of series) {
    lines.push(
      row(
        [name, formatCount(Math.round(s.medianWallMs)), s.medianPeakRssMb.toFixed(1), runsText(s)],
        widths,
      ),
    );
  }
  lines.push(
    row(['ctt / ccusage', result.wallRatio.toFixed(2), result.peakRssRatio.toFixed(2), ''], widths),
  );
  const noChange = result.cttNoChangeSync;
  lines.push(
    row(
      [
        'ctt sync, no change',
        formatCount(Math.round(noChange.medianWallMs)),
        noChange.medianPeakRssMb.toFixed(1),
        runsText(noChange),
      ],
      widths,
    ),
  );
  const fileNote =
    result.noChangeFilesSeen >= NO_CHANGE_MIN_FILES
      ? `≥ ${formatCount(NO_CHANGE_MIN_FILES)}`
      : `fewer than ${formatCount(NO_CHANGE_MIN_FILES)}`;
  const goals = result.goals.map(
    (g) => `   ${g.met ? 'met   ' : 'MISSED'}  ${g.name} ${g.target}: ${g.actual}`,
  );
  return [
    ...header,
    ...lines.map((l) => `   ${l}`),
    '',
    `   no-change sync: ${formatCount(result.noChangeFilesSeen)} files seen (${fileNote}), ${formatCount(result.noChangeFilesRead)} read; ` +
      `ledger ${formatCount(result.ledgerResponses)} responses (oracle ${formatCount(result.expectedResponses)})`,
    '   goals:',
    ...goals,
  ].join('\n');
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function figuresLine(corpora: readonly CorpusResult[], cpus: number): string {
  const parts = [...corpora].reverse().map((c) => {
    const full = c.cttFullSync;
    const cc = c.ccusageDaily;
    return (
      `${humanBytes(c.bytes)} / ${formatCount(c.files)} files: ctt sync ${seconds(full.medianWallMs)}, ${full.medianPeakRssMb.toFixed(0)} MB peak ` +
      `vs ccusage ${seconds(cc.medianWallMs)}, ${cc.medianPeakRssMb.toFixed(0)} MB (ctt/ccusage ${c.wallRatio.toFixed(2)}); ` +
      `no-change sync ${seconds(c.cttNoChangeSync.medianWallMs)}; per day ctt = oracle ${c.days.cttEqualsOracle}/${c.days.days}, ` +
      `ccusage = oracle ${c.days.ccusageEqualsOracle}/${c.days.days}`
    );
  });
  const runs = corpora[0]?.runs ?? 0;
  return `Figures (median of ${runs}, ${cpus} cores, Node ${process.versions.node}): ${parts.join(' · ')}`;
}
