/**
 * Reports as human tables (cli-table3) that never exceed `columns`: text columns (paths, models)
 * shorten first; when a layout still does not fit, the next narrower one is tried — cache columns
 * merged into one "Cache", then no models, then (sessions) no last activity or token split, then
 * only key, total tokens and cost; below ~25 columns, plain lines cut to the width.
 * Under the table: the active block's burn rate and projection, one line per unpriced model.
 * The text ends with a newline. Colour only when asked (header cyan, totals bold, unpriced yellow).
 */
import pc from 'picocolors';
import {
  displayWidth,
  fitModelList,
  formatCostUsd,
  formatCount,
  formatDuration,
  formatHourKey,
  formatLocalTime,
  formatUnpricedNote,
  shortenPath,
  shortModelName,
  shortSessionId,
  truncateEnd,
  wrapText,
} from './format-cells.js';
import type { AnyReport } from './render-json.js';
import { isSessionRow, knownCost } from './render-json.js';
import type { Block, BlocksReport, ModelBreakdown, ReportKind } from './report-model.js';
import type { ReportRow, UsageTotals } from './report-model.js';
import { col, layOut, type Col, type Colors, type Fit, type Spec } from './table-layout.js';

export interface TableOptions {
  /** Terminal width; no line is wider (`Infinity` or 0: no limit). */
  readonly columns: number;
  readonly color: boolean;
  /** Per-model sub-rows (` └ model`) under each row (not in the model report). */
  readonly breakdown?: boolean;
  /** Zone for session last activity and block times; default the report's. */
  readonly timeZone?: string;
}

export const EMPTY_TEXT = 'No usage recorded for this period.';

type Line =
  | { readonly kind: 'row'; readonly row: ReportRow }
  | { readonly kind: 'sub'; readonly usage: ModelBreakdown }
  | { readonly kind: 'total'; readonly usage: UsageTotals }
  | { readonly kind: 'section'; readonly title: string };

const num = (id: string, head: string, get: (u: UsageTotals) => number | null): Col<Line> =>
  col(id, head, 'right', (line) => {
    if (line.kind === 'section') return '';
    const value = get(line.kind === 'row' ? line.row : line.usage);
    return id === 'cost' ? formatCostUsd(value) : formatCount(value ?? 0);
  });
const NUMBERS = [
  num('input', 'Input', (u) => u.inputTokens),
  num('output', 'Output', (u) => u.outputTokens),
  num('cacheCreate', 'Cache Create', (u) => u.cacheCreationTokens),
  num('cacheRead', 'Cache Read', (u) => u.cacheReadTokens),
  num('cache', 'Cache', (u) => u.cacheCreationTokens + u.cacheReadTokens),
  num('total', 'Total Tokens', (u) => u.totalTokens),
  num('cost', 'Cost (USD)', knownCost),
];
const LEVELS = [
  'key project last models input output cacheCreate cacheRead total cost',
  'key project last models input output cache total cost',
  'key project last input output cache total cost',
  'key project total cost',
  'key total cost',
].map((ids) => new Set(ids.split(' ')));
const KEY_HEADS: Record<ReportKind, string> = {
  daily: 'Date',
  weekly: 'Week',
  monthly: 'Month',
  hourly: 'Hour',
  session: 'Session',
  project: 'Project',
  model: 'Model',
};

function reportColumns(kind: ReportKind, lines: readonly Line[], zone: string): Col<Line>[] {
  const rowKey = (row: ReportRow): string =>
    kind === 'hourly'
      ? formatHourKey(row.key)
      : kind === 'session'
        ? shortSessionId(row.key)
        : row.key;
  const keyText = (line: Line): string => {
    if (line.kind === 'row') return rowKey(line.row);
    return line.kind === 'sub' ? ` └ ${shortModelName(line.usage.modelName)}` : 'Total';
  };
  const cut: Fit<Line> = (_line, text, width) => truncateEnd(text, width);
  const pathFit: Fit<Line> = (line, text, width) =>
    line.kind === 'row' ? shortenPath(text, width) : truncateEnd(text, width);
  // Dates, hours and session ids never shorten; only breakdown labels under them may.
  const keyMin = Math.max(
    0,
    ...lines.map((l) => (l.kind === 'row' ? displayWidth(keyText(l)) : 0)),
  );
  const onRow = (get: (row: ReportRow) => string) => (line: Line) =>
    line.kind === 'row' ? get(line.row) : '';
  const cols = [
    col(
      'key',
      KEY_HEADS[kind],
      'left',
      keyText,
      kind === 'project' ? pathFit : cut,
      kind === 'project' || kind === 'model' ? 12 : keyMin,
    ),
  ];
  if (kind === 'session') {
    const path = onRow((r) => (isSessionRow(r) ? (r.projectPath ?? r.projectDir ?? '—') : '—'));
    const last = onRow((r) =>
      isSessionRow(r) && r.lastActivityMs !== null ? formatLocalTime(r.lastActivityMs, zone) : '—',
    );
    cols.push(
      col('project', 'Project', 'left', path, pathFit, 12),
      col('last', 'Last Activity', 'left', last),
    );
  }
  if (kind !== 'model') {
    const models = onRow((r) => r.modelsUsed.map(shortModelName).join(', '));
    const fit: Fit<Line> = (line, text, width) =>
      line.kind === 'row' ? fitModelList(line.row.modelsUsed, width) : truncateEnd(text, width);
    cols.push(col('models', 'Models', 'left', models, fit, 12));
  }
  return [...cols, ...NUMBERS];
}

function reportLines(report: Exclude<AnyReport, BlocksReport>, breakdown: boolean): Line[] {
  const withSubs = (row: ReportRow): Line[] => [
    { kind: 'row', row },
    ...(breakdown ? row.modelBreakdowns.map((usage): Line => ({ kind: 'sub', usage })) : []),
  ];
  const body: Line[] =
    report.kind === 'daily-instances'
      ? report.projects
          .filter((p) => p.rows.length > 0)
          .flatMap((p) => [{ kind: 'section', title: p.projectPath }, ...p.rows.flatMap(withSubs)])
      : report.rows.flatMap(withSubs);
  return body.length === 0 ? [] : [...body, { kind: 'total', usage: report.totals }];
}

function blocksSpec(report: BlocksReport, zone: string, c: Colors): Spec<Block> {
  const span = (b: Block): number => (b.isGap ? b.endMs : (b.actualEndMs ?? b.startMs)) - b.startMs;
  const cols = [
    col<Block>('start', 'Start', 'left', (b) => formatLocalTime(b.startMs, zone)),
    col<Block>('status', 'Status', 'left', (b) => (b.isActive ? 'ACTIVE' : b.isGap ? 'gap' : '')),
    col<Block>('duration', 'Duration', 'right', (b) => formatDuration(span(b))),
    col<Block>('tokens', 'Tokens', 'right', (b) => (b.isGap ? '—' : formatCount(b.totalTokens))),
    col<Block>('cost', 'Cost (USD)', 'right', (b) => (b.isGap ? '—' : formatCostUsd(b.costUsd))),
    col<Block>(
      'models',
      'Models',
      'left',
      (b) => b.models.map(shortModelName).join(', '),
      (b, _t, w) => fitModelList(b.models, w),
      12,
    ),
  ];
  const without = (ids: string[]): Col<Block>[] => cols.filter((x) => !ids.includes(x.id));
  return {
    levels: [cols, without(['models']), without(['models', 'duration'])],
    lines: report.blocks,
    section: () => null,
    paint: (b, id) => (id !== 'status' ? null : b.isActive ? c.green : b.isGap ? c.dim : null),
    ruleAboveLast: false,
  };
}

function activeBlockNotes(report: BlocksReport, zone: string): string[] {
  return report.blocks.flatMap((b) => {
    if (!b.isActive) return [];
    const notes = [`Active block: ends ${formatLocalTime(b.endMs, zone)}`];
    if (b.burnRate !== null) {
      const { tokensPerHour, costUsdPerHour } = b.burnRate;
      notes.push(
        `Burn rate: ${formatCount(tokensPerHour)} tokens/h, ${formatCostUsd(costUsdPerHour)}/h`,
      );
    }
    if (b.projection !== null) {
      const { totalTokens, costUsd, remainingMinutes } = b.projection;
      const left = formatDuration(remainingMinutes * 60_000);
      notes.push(
        `Projected at block end: ${formatCount(totalTokens)} tokens, ${formatCostUsd(costUsd)} (${left} left)`,
      );
    }
    return notes;
  });
}

/** The report as a table (or the empty-report line) and its notes, fitted to `options.columns`. */
export function reportToTable(report: AnyReport, options: TableOptions): string {
  const c = pc.createColors(options.color);
  const zone = options.timeZone ?? report.timeZone;
  const columns = options.columns > 0 ? options.columns : Infinity;
  let body = EMPTY_TEXT;
  let notes: string[] = [];
  if (report.kind === 'blocks') {
    if (report.blocks.length > 0) body = layOut(blocksSpec(report, zone, c), columns, c);
    notes = activeBlockNotes(report, zone);
  } else {
    const lines = reportLines(report, options.breakdown === true && report.kind !== 'model');
    const all = reportColumns(
      report.kind === 'daily-instances' ? 'daily' : report.kind,
      lines,
      zone,
    );
    const spec: Spec<Line> = {
      levels: LEVELS.map((ids) => all.filter((column) => ids.has(column.id))),
      lines,
      section: (line) => (line.kind === 'section' ? line.title : null),
      paint: (line) => (line.kind === 'total' ? c.bold : line.kind === 'sub' ? c.dim : null),
      ruleAboveLast: true,
    };
    if (lines.length > 0) body = layOut(spec, columns, c);
  }
  const wrap = (text: string): string[] => wrapText(text, columns);
  const unpriced = report.unpricedModels
    .map(formatUnpricedNote)
    .flatMap(wrap)
    .map((l) => c.yellow(l));
  return `${[body, ...notes.flatMap(wrap), ...unpriced].join('\n')}\n`;
}
