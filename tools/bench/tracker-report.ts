import type { LatencyPercentiles, TrackerCpuWindow, TrackerResults } from './results.js';
import { formatCount, humanBytes } from './token-fields.js';

/** The printed tracker section of the bench report and its one-line "figures" summary. */

function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value >= 100 ? `${formatCount(Math.round(value))} ms` : `${value.toFixed(1)} ms`;
}

function seconds(valueMs: number): string {
  return valueMs >= 1_000 ? `${(valueMs / 1_000).toFixed(2)} s` : `${Math.round(valueMs)} ms`;
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
}

const WINDOW_TITLES: Readonly<Record<TrackerCpuWindow['label'], string>> = {
  idle: 'idle (nothing written)',
  steady: 'steady (5 lines/s, 10 files)',
  'active-quiet': 'active, no writes',
};

function windowRow(watch: string, w: TrackerCpuWindow): string {
  return row(
    [
      `${watch} ${WINDOW_TITLES[w.label]}`,
      `${w.cpuPercent.toFixed(2)}%`,
      formatCount(Math.round(w.cpuMs)),
      formatCount(w.polls),
      ms(w.meanPollMs),
      ms(w.maxPollMs),
      w.modes.join('/'),
      w.rssMb.toFixed(0),
      w.loadAverage.toFixed(1),
    ],
    [40, 8, 7, 6, 9, 9, 12, 7, 5],
  );
}

/** Errors the tracker itself reported during the measured runs (none expected). */
function errorLines(result: TrackerResults): string[] {
  const runs = [
    ...result.latency.map((l) => [`latency ${l.watch}`, l.trackerErrors] as const),
    ...result.cpu.map((c) => [`CPU ${c.watch}`, c.trackerErrors] as const),
  ];
  return runs
    .filter(([, errors]) => errors.length > 0)
    .map(
      ([run, errors]) =>
        `   tracker errors during ${run}: ${errors.length} (first: ${errors[0] ?? ''})`,
    );
}

/** What an idle poll costs and how much of it is the listing of the tree. */
function idleBreakdown(result: TrackerResults): string[] {
  return result.cpu.flatMap((c) => {
    const idle = c.windows.find((w) => w.label === 'idle');
    if (idle === undefined || idle.polls === 0) return [];
    const perPollMs = idle.cpuMs / idle.polls;
    return [
      `${c.watch} idle: ${perPollMs.toFixed(1)} ms CPU per poll (incl. everything between polls); ` +
        `listing the ${formatCount(c.filesSeen)} files alone (readdir of every folder + a stat per file) costs ${result.listingCpuMs.toFixed(1)} ms CPU` +
        ` (${Math.min(100, (100 * result.listingCpuMs) / perPollMs).toFixed(0)}%)`,
    ];
  });
}

export function trackerReport(result: TrackerResults): string {
  const first = result.latency[0];
  const latencyWidths = [26, 9, 9, 9, 9, 9, 9, 6, 0];
  const latencyRow = (
    label: string,
    rows: string,
    l: LatencyPercentiles,
    load: number,
    goal: string,
  ): string =>
    row(
      [
        label,
        rows,
        ms(l.p50Ms),
        ms(l.p90Ms),
        ms(l.p99Ms),
        ms(l.maxMs),
        ms(l.meanMs),
        load.toFixed(1),
        goal,
      ],
      latencyWidths,
    );
  const latencyRows = result.latency.map((l) =>
    latencyRow(
      `${l.watch}, small HOME`,
      `${formatCount(l.detected)}/${formatCount(l.appends)}`,
      l,
      l.loadAverage,
      `   ${l.met ? 'MET' : 'MISSED'}`,
    ),
  );
  for (const c of result.cpu) {
    const steady = c.windows.find((w) => w.label === 'steady');
    if (steady?.latency == null) continue;
    latencyRows.push(
      latencyRow(
        `${c.watch}, ${formatCount(c.filesSeen)} files`,
        `${formatCount(steady.appends - steady.missingRows)}/${formatCount(steady.appends)}`,
        steady.latency,
        steady.loadAverage,
        '   (steady window, 5 lines/s)',
      ),
    );
  }
  const { tree } = result;
  const cpuRows = result.cpu.flatMap((c) => [
    ...c.windows.map((w) => windowRow(c.watch, w)),
    `${c.watch}: start-up catch-up ${seconds(c.catchUpMs)} (ledger already current), peak RSS ${c.peakRssMb.toFixed(0)} MB; idle ≤ 1% of a core: ${c.met ? 'MET' : 'MISSED'}`,
  ]);
  const hybridIdle = result.cpu[0]?.windows.find((w) => w.label === 'idle');
  const cc = result.ccusageDaily;
  return [
    '== tracker (ctt start, default intervals: 500 ms active / 2,000 ms idle)',
    `   latency from an appended line to its ledger row: ${formatCount(first?.appends ?? 0)} assistant lines (mean ${formatCount(Math.round(first?.meanLineBytes ?? 0))} bytes), 20–300 ms apart, into ${first?.openSessions ?? 0} open sessions with live process files and ${first?.newFiles ?? 0} new files`,
    `   detection: ${result.detection}; achieved check interval ${ms(first?.meanCheckIntervalMs ?? Number.NaN)}`,
    `   ${row(['watch, tree', 'rows', 'p50', 'p90', 'p99', 'max', 'mean', 'load', `   goal p99 ≤ 1 s`], latencyWidths)}`,
    ...latencyRows.map((l) => `   ${l}`),
    '',
    `   CPU and memory on ${formatCount(tree.files)} transcript files in ${tree.projects} project folders (${humanBytes(tree.bytes)}, ${formatCount(tree.responses)} responses; ${tree.dir}` +
      `${tree.firstCatchUpMs === null ? '' : `; first catch-up ${seconds(tree.firstCatchUpMs)}`})`,
    `   CPU = utime+stime of the tracker process from /proc/<pid>/stat (${result.clockTicksPerSecond} ticks/s) over each window's wall time; polls from ctt start --debug --json`,
    `   ${row(['window', 'CPU', 'CPU ms', 'polls', 'mean poll', 'max poll', 'modes', 'RSS MB', 'load'], [40, 8, 7, 6, 9, 9, 12, 7, 5])}`,
    ...cpuRows.map((l) => `   ${l}`),
    ...idleBreakdown(result).map((l) => `   ${l}`),
    '',
    `   ccusage has no tracker: its users re-run \`ccusage daily\`, which re-reads all ${formatCount(tree.files)} files: ` +
      `${seconds(cc.wallMs)}, ${cc.peakRssMb.toFixed(0)} MB peak RSS (one run, page cache warm).`,
    `   one ctt idle poll (${ms(hybridIdle?.meanPollMs ?? Number.NaN)}, hybrid) vs one ccusage daily run (${seconds(cc.wallMs)}): ` +
      `${formatCount(Math.round(result.ccusageOverIdlePoll))}× less wall time per look`,
    ...errorLines(result),
    '   goals:',
    ...result.goals.map(
      (g) => `   ${g.met ? 'met   ' : 'MISSED'}  ${g.name} ${g.target}: ${g.actual}`,
    ),
    '',
  ].join('\n');
}

export function trackerFiguresLine(result: Omit<TrackerResults, 'figures'>): string {
  const latency = result.latency.map((l) => `p99 ${ms(l.p99Ms)} (${l.watch})`).join(', ');
  const cpu = result.cpu
    .map((c) => {
      const of = (label: TrackerCpuWindow['label']): string =>
        `${c.windows.find((w) => w.label === label)?.cpuPercent.toFixed(2) ?? '—'}%`;
      return `${c.watch} idle ${of('idle')}, steady ${of('steady')}, ${c.peakRssMb.toFixed(0)} MB peak`;
    })
    .join('; ');
  return (
    `Tracker (${result.cpus} cores, Node ${result.node}): append → ledger row ${latency}; ` +
    `${formatCount(result.tree.files)} files: ${cpu}; ` +
    `one idle poll is ${formatCount(Math.round(result.ccusageOverIdlePoll))}× shorter than one ccusage daily (${seconds(result.ccusageDaily.wallMs)})`
  );
}
