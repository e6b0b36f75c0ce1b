/**
 * The audit-trail rows of one `~/.claude.json` track (reliability §2.7): one row per change, per
 * anomaly and per project adopted by a baseline. Deltas of the session totals go to the row's
 * columns; per-model and duration deltas, and the session's new totals, go to `detail`. The
 * caller inserts the records in its transaction; `readTrail` reads back what the marks tables do
 * not hold. Usage metadata only.
 */
import type { EpochMarks, HighWater } from '../core/counter-marks.js';
import {
  anomalySignature,
  type CounterAnomaly,
  type CounterChange,
  type TrackResult,
} from '../core/counter-tracking.js';
import {
  COUNTER_FIELDS,
  parseMarkKey,
  snapshotValues,
  type ProjectSnapshot,
} from '../core/counter-values.js';
import type { ChangeDelta, ChangeRecord } from './change-log.js';
import type { Ledger } from './database.js';

export const CLAUDE_JSON_SOURCE = 'claude-json';

/** Kind prefix of an anomaly row: `anomaly-decrease`, `anomaly-reset`, … */
export const ANOMALY_PREFIX = 'anomaly-';

/** A condition of the whole file, reported once (a row with no project) until it clears. */
export type FileAnomaly = 'missing' | 'no-projects';

/** Session totals that have a trail column (the other counters are durations, in `detail`). */
const DELTA_FIELDS: ReadonlySet<string> = new Set<keyof ChangeDelta>([
  'inputTokens',
  'outputTokens',
  'cacheCreationTokens',
  'cacheReadTokens',
  'costUsd',
  'linesAdded',
  'linesRemoved',
  'webSearchRequests',
]);

type Numbers = Record<string, number>;

/** The session totals of an epoch's marks, in display order (fields never seen are left out). */
function sessionTotals(marks: EpochMarks | undefined): Numbers {
  const totals: Numbers = {};
  for (const field of COUNTER_FIELDS) {
    const value = marks?.get(field);
    if (value !== undefined) totals[field] = value;
  }
  return totals;
}

/** The per-model marks of an epoch: `{ model: { field: value } }`. */
function modelTotals(marks: EpochMarks | undefined): Record<string, Numbers> {
  const models: Record<string, Numbers> = {};
  for (const [key, value] of marks ?? []) {
    const { model, field } = parseMarkKey(key);
    if (model !== null) (models[model] ??= {})[field] = value;
  }
  return models;
}

function epochMarks(next: HighWater, projectPath: string, sessionId: string | null) {
  return next.projects.get(projectPath)?.epochs.get(sessionId);
}

export function changeRecord(change: CounterChange, next: HighWater, timeMs: number): ChangeRecord {
  const delta: Partial<Record<keyof ChangeDelta, number>> = {};
  const durations: Numbers = {};
  const models: Record<string, Numbers> = {};
  for (const { model, field, delta: amount } of change.deltas) {
    if (model !== null) (models[model] ??= {})[field] = amount;
    else if (DELTA_FIELDS.has(field)) delta[field as keyof ChangeDelta] = amount;
    else durations[field] = amount;
  }
  return {
    timeMs,
    source: CLAUDE_JSON_SOURCE,
    kind: change.kind,
    project: change.projectPath,
    sessionId: change.sessionId,
    delta,
    detail: {
      previousSessionId: change.previousSessionId,
      models,
      durations,
      versionBase: change.versionBase,
      gracefulShutdown: change.gracefulShutdown,
      startTimeMs: change.startTimeMs,
      to: sessionTotals(epochMarks(next, change.projectPath, change.sessionId)),
    },
  };
}

/**
 * `groupSize`: how many anomaly rows the project got at this read (they are written next to each
 * other), so that a restart can rebuild the project's open anomaly and not report it again.
 */
export function anomalyRecord(
  anomaly: CounterAnomaly,
  groupSize: number,
  timeMs: number,
): ChangeRecord {
  return {
    timeMs,
    source: CLAUDE_JSON_SOURCE,
    kind: ANOMALY_PREFIX + anomaly.kind,
    project: anomaly.projectPath,
    sessionId: anomaly.sessionId,
    delta: {},
    detail: {
      currentSessionId: anomaly.currentSessionId,
      fields: anomaly.fields.map(({ key, mark, value }) => ({ key, mark, value })),
      groupSize,
    },
  };
}

/** A project adopted as it was at the first read: its totals, no delta. */
export function baselineRecord(
  snapshot: ProjectSnapshot,
  next: HighWater,
  timeMs: number,
): ChangeRecord {
  const marks =
    epochMarks(next, snapshot.projectPath, snapshot.sessionId) ?? snapshotValues(snapshot);
  return {
    timeMs,
    source: CLAUDE_JSON_SOURCE,
    kind: 'baseline',
    project: snapshot.projectPath,
    sessionId: snapshot.sessionId,
    delta: {},
    detail: {
      to: sessionTotals(marks),
      modelsTo: modelTotals(marks),
      versionBase: snapshot.versionBase,
      gracefulShutdown: snapshot.gracefulShutdown,
      startTimeMs: snapshot.startTimeMs,
    },
  };
}

/** A baseline of a file without any session yet: one row, so that no later read is a baseline. */
export function emptyBaselineRecord(timeMs: number): ChangeRecord {
  return {
    timeMs,
    source: CLAUDE_JSON_SOURCE,
    kind: 'baseline',
    project: null,
    sessionId: null,
    delta: {},
    detail: { projects: 0 },
  };
}

/** Every row of one track, in trail order: baselines, changes, then each project's anomalies. */
export function trackRecords(result: TrackResult, timeMs: number, baseline: boolean) {
  const records: ChangeRecord[] = result.initial.map((s) => baselineRecord(s, result.next, timeMs));
  if (baseline && records.length === 0) records.push(emptyBaselineRecord(timeMs));
  for (const change of result.changes) records.push(changeRecord(change, result.next, timeMs));
  const perProject = new Map<string, number>();
  for (const { projectPath } of result.anomalies) {
    perProject.set(projectPath, (perProject.get(projectPath) ?? 0) + 1);
  }
  for (const anomaly of result.anomalies) {
    const groupSize = perProject.get(anomaly.projectPath) ?? 1;
    records.push(anomalyRecord(anomaly, groupSize, timeMs));
  }
  return records;
}

interface TrailRow {
  id: number;
  kind: string;
  project: string | null;
  session_id: string | null;
  detail: string | null;
}

/** A project's anomaly rows since its last other row (the newest few suffice). */
const KEPT_ANOMALY_ROWS = 8;

export interface TrailState {
  readonly openAnomalies: Map<string, string | null>;
  readonly baselineDone: boolean;
  readonly fileAnomaly: FileAnomaly | null;
}

/**
 * One pass over the claude-json trail rebuilds what the marks tables do not hold: whether a
 * baseline happened, the condition last reported for the file, and each project's open anomaly
 * (the anomaly rows its newest read wrote, identified like `trackCounters` does).
 */
export function readTrail(db: Ledger): TrailState {
  const recent = new Map<string, TrailRow[]>();
  let baselineDone = false;
  let last: TrailRow | undefined;
  const rows = db
    .prepare(
      `SELECT id, kind, project, session_id, detail FROM change_event
       WHERE source = ? ORDER BY id`,
    )
    .iterate(CLAUDE_JSON_SOURCE) as IterableIterator<TrailRow>;
  for (const row of rows) {
    last = row;
    if (row.kind === 'baseline') baselineDone = true;
    if (row.project === null) continue;
    if (!row.kind.startsWith(ANOMALY_PREFIX)) {
      recent.delete(row.project);
      continue;
    }
    const kept = recent.get(row.project) ?? [];
    kept.push(row);
    if (kept.length > KEPT_ANOMALY_ROWS) kept.shift();
    recent.set(row.project, kept);
  }
  const openAnomalies = new Map<string, string | null>();
  for (const [project, kept] of recent) openAnomalies.set(project, openSignature(kept));
  const fileAnomaly =
    last?.project === null && last.kind.startsWith(ANOMALY_PREFIX)
      ? (last.kind.slice(ANOMALY_PREFIX.length) as FileAnomaly)
      : null;
  return { openAnomalies, baselineDone, fileAnomaly };
}

interface AnomalyDetail {
  fields?: { key: string; value: number | null }[];
  groupSize?: number;
}

function openSignature(rows: readonly TrailRow[]): string | null {
  const newest = rows.at(-1);
  if (newest === undefined) return null;
  const groupSize = (JSON.parse(newest.detail ?? '{}') as AnomalyDetail).groupSize ?? 1;
  if (groupSize > rows.length) return null;
  const group = rows.slice(rows.length - groupSize).map((row) => {
    const detail = JSON.parse(row.detail ?? '{}') as AnomalyDetail;
    return {
      kind: row.kind.slice(ANOMALY_PREFIX.length) as CounterAnomaly['kind'],
      sessionId: row.session_id,
      fields: (detail.fields ?? []).map(({ key, value }) => ({ key, value })),
    };
  });
  return anomalySignature(group);
}
