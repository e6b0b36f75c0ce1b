/**
 * The audit trail as a human table that never exceeds `columns`: one line per change (local time
 * with seconds in the given zone, source, kind, project, session), then only the delta columns
 * some change moved, so a trail of session events is not a wall of zeros; a zero cell is blank.
 * Narrower layouts drop the detail, then merge the token and line columns, then drop source and
 * session, then the project, then every delta but tokens and cost. Time and kind never shorten. A Total line sums the deltas; a footer names the count and the zone.
 */
import pc from 'picocolors';
import { ZERO_DELTA, type ChangeDelta, type StoredChange } from '../store/change-log.js';
import {
  formatCostUsd,
  formatCount,
  shortenPath,
  shortSessionId,
  truncateEnd,
  wrapText,
} from './format-cells.js';
import { zoneOffsetMs } from '../core/time-zone.js';
import { col, layOut, type Col, type Fit, type Spec } from './table-layout.js';

export interface ChangesTableOptions {
  /** Terminal width; no line is wider (`Infinity` or 0: no limit). */
  readonly columns: number;
  readonly color: boolean;
  /** IANA zone of the times shown. */
  readonly timeZone: string;
  /** How many changes the whole trail holds (tells "none recorded" from "none match"). */
  readonly recordedTotal: number;
  /** How many changes matched when only the newest were kept for the table (else absent). */
  readonly matchingTotal?: number;
}

export const NO_CHANGES_RECORDED =
  'No changes recorded yet: `ctt start` records every change as it happens.';

type Line =
  | { readonly kind: 'change'; readonly change: StoredChange }
  | { readonly kind: 'total'; readonly delta: ChangeDelta };

type DeltaKey = keyof ChangeDelta;

/** `2026-11-30 15:03:07`: the wall time of `epochMs` in `zone`, to the second. */
export function formatLocalSecond(epochMs: number, zone: string): string {
  const local = new Date(epochMs + zoneOffsetMs(epochMs, zone)).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
}

/** A change's cost: cents as in reports, but a fraction of a cent still shows (`$0.0042`). */
export function formatChangeCost(costUsd: number): string {
  if (costUsd === 0) return '';
  if (Math.abs(costUsd) >= 0.005) return formatCostUsd(costUsd);
  const text = `$${Math.abs(costUsd).toFixed(4)}`;
  if (text === '$0.0000') return costUsd > 0 ? '<$0.0001' : '>-$0.0001';
  return costUsd < 0 ? `-${text}` : text;
}

/** A detail object as `key=value` pairs (objects by their keys), for one table cell. */
export function formatDetail(detail: Readonly<Record<string, unknown>> | undefined): string {
  if (detail === undefined) return '';
  const scalar = (v: unknown): string =>
    v === null || typeof v !== 'object' ? String(v) : Array.isArray(v) ? `[${v.length}]` : '{…}';
  return Object.entries(detail)
    .map(([key, value]) => {
      if (Array.isArray(value)) return `${key}=${value.map(scalar).join(',')}`;
      if (value !== null && typeof value === 'object')
        return `${key}=${Object.keys(value).join(',')}`;
      return `${key}=${scalar(value)}`;
    })
    .join(' ');
}

const deltaOf = (line: Line): ChangeDelta =>
  line.kind === 'change' ? line.change.delta : line.delta;
const count = (value: number): string => (value === 0 ? '' : formatCount(value));
const tokensOf = (d: ChangeDelta): number =>
  d.inputTokens + d.outputTokens + d.cacheCreationTokens + d.cacheReadTokens;

function sumDeltas(changes: readonly StoredChange[]): ChangeDelta {
  const keys = Object.keys(ZERO_DELTA) as DeltaKey[];
  const sums: Record<DeltaKey, number> = { ...ZERO_DELTA };
  for (const { delta } of changes) for (const k of keys) sums[k] += delta[k];
  return sums;
}

function numberCol(id: string, head: string, text: (d: ChangeDelta) => string): Col<Line> {
  return col(id, head, 'right', (line) => text(deltaOf(line)));
}

const DELTA_COLUMNS: readonly { key: DeltaKey; col: Col<Line> }[] = [
  { key: 'inputTokens', col: numberCol('input', 'Input', (d) => count(d.inputTokens)) },
  { key: 'outputTokens', col: numberCol('output', 'Output', (d) => count(d.outputTokens)) },
  {
    key: 'cacheCreationTokens',
    col: numberCol('cacheCreate', 'Cache Create', (d) => count(d.cacheCreationTokens)),
  },
  {
    key: 'cacheReadTokens',
    col: numberCol('cacheRead', 'Cache Read', (d) => count(d.cacheReadTokens)),
  },
  { key: 'costUsd', col: numberCol('cost', 'Cost (USD)', (d) => formatChangeCost(d.costUsd)) },
  { key: 'linesAdded', col: numberCol('linesAdded', '+Lines', (d) => count(d.linesAdded)) },
  { key: 'linesRemoved', col: numberCol('linesRemoved', '-Lines', (d) => count(d.linesRemoved)) },
  {
    key: 'webSearchRequests',
    col: numberCol('webSearch', 'Searches', (d) => count(d.webSearchRequests)),
  },
];
const TOKENS = numberCol('tokens', 'Tokens', (d) => count(tokensOf(d)));
const LINES = numberCol('lines', 'Lines', (d) =>
  d.linesAdded === 0 && d.linesRemoved === 0
    ? ''
    : `+${formatCount(d.linesAdded)} -${formatCount(d.linesRemoved)}`,
);
const TOKEN_IDS = new Set(['input', 'output', 'cacheCreate', 'cacheRead']);

/** Column sets, widest first, holding only the delta columns some change moved. */
function levels(lines: readonly Line[], zone: string): Col<Line>[][] {
  const onChange = (get: (c: StoredChange) => string) => (line: Line) =>
    line.kind === 'change' ? get(line.change) : '';
  const cut: Fit<Line> = (_line, text, width) => truncateEnd(text, width);
  const time = col<Line>('time', 'Time', 'left', (line) =>
    line.kind === 'change' ? formatLocalSecond(line.change.timeMs, zone) : 'Total',
  );
  const source = col<Line>(
    'source',
    'Source',
    'left',
    onChange((c) => c.source),
  );
  const kind = col<Line>(
    'kind',
    'Kind',
    'left',
    onChange((c) => c.kind),
  );
  const project = col<Line>(
    'project',
    'Project',
    'left',
    onChange((c) => c.project ?? ''),
    (_line, text, width) => shortenPath(text, width),
    12,
  );
  const session = col<Line>(
    'session',
    'Session',
    'left',
    onChange((c) => (c.sessionId === null ? '' : shortSessionId(c.sessionId))),
  );
  const detail = col<Line>(
    'detail',
    'Detail',
    'left',
    onChange((c) => formatDetail(c.detail)),
    cut,
    12,
  );
  const changes = lines.flatMap((line) => (line.kind === 'change' ? [line.change] : []));
  const moved = DELTA_COLUMNS.filter(({ key }) => changes.some((c) => c.delta[key] !== 0)).map(
    (d) => d.col,
  );
  const has = (id: string): boolean => moved.some((c) => c.id === id);
  const merged = [
    ...(moved.some((c) => TOKEN_IDS.has(c.id)) ? [TOKENS] : []),
    ...moved.filter((c) => c.id === 'cost'),
    ...(has('linesAdded') || has('linesRemoved') ? [LINES] : []),
    ...moved.filter((c) => c.id === 'webSearch'),
  ];
  const withDetail = changes.some((c) => formatDetail(c.detail) !== '') ? [detail] : [];
  return [
    [time, source, kind, project, session, ...moved, ...withDetail],
    [time, source, kind, project, session, ...moved],
    [time, source, kind, project, session, ...merged],
    [time, kind, project, ...merged],
    [time, kind, ...merged],
    [time, kind, ...merged.filter((c) => c.id === 'tokens' || c.id === 'cost')],
    [time, kind, ...merged.filter((c) => c.id === 'cost')],
  ];
}

/** The trail as a table with its Total line and footer, or the message for an empty trail. */
export function changesToTable(
  changes: readonly StoredChange[],
  options: ChangesTableOptions,
): string {
  if (changes.length === 0) {
    return options.recordedTotal === 0
      ? `${NO_CHANGES_RECORDED}\n`
      : `No changes match these filters (the trail holds ${formatCount(options.recordedTotal)}).\n`;
  }
  const c = pc.createColors(options.color);
  const lines: Line[] = [
    ...changes.map((change): Line => ({ kind: 'change', change })),
    { kind: 'total', delta: sumDeltas(changes) },
  ];
  const spec: Spec<Line> = {
    levels: levels(lines, options.timeZone),
    lines,
    section: () => null,
    paint: (line, id) =>
      line.kind === 'total'
        ? c.bold
        : id === 'kind' && line.change.kind.startsWith('anomaly')
          ? c.yellow
          : null,
    ruleAboveLast: true,
  };
  const columns = options.columns > 0 ? options.columns : Infinity;
  const n = changes.length;
  const shown =
    options.matchingTotal !== undefined && options.matchingTotal > n
      ? `the newest ${formatCount(n)} of ${formatCount(options.matchingTotal)} changes (--last N for more, --json or --csv for all)`
      : `${formatCount(n)} change${n === 1 ? '' : 's'}`;
  const footer = `${shown}, times in ${options.timeZone}`;
  return `${[layOut(spec, columns, c), ...wrapText(footer, columns)].join('\n')}\n`;
}
