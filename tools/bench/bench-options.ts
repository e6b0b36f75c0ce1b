import { parseArgs } from 'node:util';
import type { MeasurePreference } from './measure.js';

/** Command-line options of `run-bench`. */

export interface BenchOptions {
  /** Corpus sizes in bytes, smallest first. */
  readonly sizesBytes: readonly number[];
  readonly runs: number;
  readonly seed: number;
  readonly json: boolean;
  readonly measure: MeasurePreference;
  readonly explain: boolean;
  /** Run the sync comparison (off with --reports-only). */
  readonly sync: boolean;
  /** Corpus sizes whose ledgers the reports are timed on, smallest first; empty with --no-reports. */
  readonly reportSizesBytes: readonly number[];
  /** Run the tracker part (off with --no-tracker). */
  readonly tracker: boolean;
  /** Lines appended per watch mode in the tracker latency test. */
  readonly appends: number;
  /** Transcript files in the tracker CPU tree. */
  readonly trackerFiles: number;
  /** Length of each tracker CPU window, in seconds. */
  readonly trackerWindowSeconds: number;
}

export const USAGE = `usage: node dist/tools/bench/run-bench.js [--sizes 1e8,1e9] [--runs 3] [--seed 1]
       [--quick] [--json] [--measure auto|time|proc] [--no-explain]
       [--report-sizes 1e9,1e10] [--reports-only | --no-reports]
       [--tracker-only | --no-tracker] [--appends 1000] [--tracker-files 3000]
       [--tracker-window 30]

ctt sync vs ccusage daily on generated corpora (cached under .bench/), median wall time and peak
RSS of each child process, no-change sync, and a per-day comparison with the corpus oracle.
Then the reports: one ledger per --report-sizes corpus, built once by ctt sync and cached as
.bench/ledger-<size>-seed<seed>.db, each ctt report on it (--no-sync --json) next to ccusage's
same report on the corpus.
Then the tracker (ctt start at its default intervals): latency from an appended line to its
ledger row (--appends lines, hybrid and --watch poll), CPU and RSS on a --tracker-files tree
(idle, steady appends, active without writes; --tracker-window seconds each), and one ccusage
daily over that tree.
--quick          one 2e7-byte corpus, one run (a smoke run; reports on its ledger too;
                 200 appends and 10 s tracker windows)
--json           print the results as JSON (they are always written to .bench/results.json;
                 a part not run is carried over from the previous file)
--measure        peak RSS via GNU time (time), /proc VmHWM polling (proc), or whichever works (auto)
--reports-only   skip the sync comparison and the tracker
--no-reports     skip the reports
--tracker-only   run only the tracker part
--no-tracker     skip the tracker part`;

const DEFAULT_SIZES_BYTES = [1e8, 1e9];
const DEFAULT_REPORT_SIZES_BYTES = [1e9, 1e10];
const QUICK_SIZES_BYTES = [2e7];
const DEFAULT_RUNS = 3;
const DEFAULT_SEED = 1;
const DEFAULT_APPENDS = 1000;
const QUICK_APPENDS = 200;
const DEFAULT_TRACKER_FILES = 3000;
const DEFAULT_TRACKER_WINDOW_SECONDS = 30;
const QUICK_TRACKER_WINDOW_SECONDS = 10;

function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name}: expected a positive number, got ${text}`);
  return value;
}

function isMeasurePreference(value: string): value is MeasurePreference {
  return value === 'auto' || value === 'time' || value === 'proc';
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      measure: { type: 'string', default: 'auto' },
      'no-explain': { type: 'boolean', default: false },
      'report-sizes': { type: 'string' },
      'reports-only': { type: 'boolean', default: false },
      'no-reports': { type: 'boolean', default: false },
      'tracker-only': { type: 'boolean', default: false },
      'no-tracker': { type: 'boolean', default: false },
      appends: { type: 'string' },
      'tracker-files': { type: 'string' },
      'tracker-window': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const measure = values.measure;
  if (!isMeasurePreference(measure))
    throw new Error(`--measure: expected auto, time or proc, got ${measure}`);
  const sizes =
    values.sizes === undefined
      ? null
      : values.sizes.split(',').map((s) => positiveNumber('sizes', s.trim()));
  const runs = values.runs === undefined ? null : positiveNumber('runs', values.runs);
  if (runs !== null && !Number.isInteger(runs)) throw new Error('--runs must be an integer');
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const sizesBytes = sizes ?? (values.quick ? QUICK_SIZES_BYTES : DEFAULT_SIZES_BYTES);
  if (values['reports-only'] && values['no-reports'])
    throw new Error('--reports-only and --no-reports exclude each other');
  const trackerOnly = values['tracker-only'];
  if (trackerOnly && (values['no-tracker'] || values['reports-only']))
    throw new Error('--tracker-only excludes --no-tracker and --reports-only');
  const integer = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = positiveNumber(name, text);
    if (!Number.isInteger(value)) throw new Error(`--${name} must be an integer`);
    return value;
  };
  const reportSizes =
    values['report-sizes'] === undefined
      ? values.quick
        ? QUICK_SIZES_BYTES
        : DEFAULT_REPORT_SIZES_BYTES
      : values['report-sizes'].split(',').map((s) => positiveNumber('report-sizes', s.trim()));
  return {
    sizesBytes: [...sizesBytes].sort((a, b) => a - b),
    runs: runs ?? (values.quick ? 1 : DEFAULT_RUNS),
    seed,
    json: values.json,
    measure,
    explain: !values['no-explain'],
    sync: !values['reports-only'] && !trackerOnly,
    reportSizesBytes:
      values['no-reports'] || trackerOnly ? [] : [...new Set(reportSizes)].sort((a, b) => a - b),
    tracker: !values['no-tracker'] && !values['reports-only'],
    appends: integer('appends', values.appends, values.quick ? QUICK_APPENDS : DEFAULT_APPENDS),
    trackerFiles: integer('tracker-files', values['tracker-files'], DEFAULT_TRACKER_FILES),
    trackerWindowSeconds: integer(
      'tracker-window',
      values['tracker-window'],
      values.quick ? QUICK_TRACKER_WINDOW_SECONDS : DEFAULT_TRACKER_WINDOW_SECONDS,
    ),
  };
}
