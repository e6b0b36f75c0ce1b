/**
 * Turns successive `~/.claude.json` snapshots into counter changes (reliability §2.7). Per
 * (project, epoch = `lastSessionId`, field) a value above its high-water mark is a change of
 * `to − from`; anything else that moved is an anomaly, and the mark stays where it is. So a torn
 * write, a reset to defaults or a stale backup restore (Claude Code does all three) never yields
 * a negative or a repeated delta, and the newer values coming back yield no delta either.
 * Pure: no clock, no IO.
 */
import type { HighWater, ProjectMarks, EpochMarks } from './counter-marks.js';
import { toleranceOf } from './counter-marks.js';
import type { ProjectSnapshot } from './counter-values.js';
import { parseMarkKey, snapshotValues } from './counter-values.js';

/** One field that rose: `to − from`, with `from` the old mark (0 in a new epoch). */
export interface FieldDelta {
  /** Mark key: the counter name, or `model:<id>:<field>`. */
  readonly key: string;
  /** The model of a `lastModelUsage` field, `null` for the session totals. */
  readonly model: string | null;
  readonly field: string;
  readonly from: number;
  readonly to: number;
  readonly delta: number;
}

/**
 * Everything that rose in one project at one snapshot. `session-saved`: a session id not seen
 * before (Claude Code writes `last*` when a session is saved, so this is a session end, and it
 * is reported even when no counter moved); `session-resumed`: an older session id came back with
 * higher values; `updated`: the same session id, higher values.
 */
export interface CounterChange {
  readonly kind: 'session-saved' | 'session-resumed' | 'updated';
  readonly projectPath: string;
  readonly sessionId: string | null;
  /** The epoch the project was in before this change (`null` for a new project). */
  readonly previousSessionId: string | null;
  readonly deltas: readonly FieldDelta[];
  readonly versionBase: string | null;
  readonly gracefulShutdown: boolean | null;
  readonly startTimeMs: number | null;
  readonly observedAtMs: number;
}

/** A field whose value is not above its mark in a way a change cannot explain. */
export interface AnomalyField {
  readonly key: string;
  readonly model: string | null;
  readonly field: string;
  readonly mark: number;
  /** What the snapshot holds; `null` when absent. */
  readonly value: number | null;
}

/**
 * `decrease`: a field fell below its mark. `reset`: fields (or the session id) turned absent, as
 * in a reset to defaults. `vanished`: the project left the file. `stale-restore`: an older
 * session id came back with nothing above its marks (a backup restore).
 */
export interface CounterAnomaly {
  readonly kind: 'decrease' | 'reset' | 'vanished' | 'stale-restore';
  readonly projectPath: string;
  /** The session id the snapshot holds (`null` when absent or vanished). */
  readonly sessionId: string | null;
  /** The epoch the project stays in. */
  readonly currentSessionId: string | null;
  readonly fields: readonly AnomalyField[];
  readonly observedAtMs: number;
}

export interface TrackOptions {
  /** Time of the read, copied into every change and anomaly. */
  readonly observedAtMs: number;
  /** Adopt projects without marks as they are (`initial`) instead of counting them. */
  readonly baseline?: boolean;
}

export interface TrackResult {
  readonly changes: CounterChange[];
  readonly anomalies: CounterAnomaly[];
  /** Projects adopted by a baseline, as read. */
  readonly initial: ProjectSnapshot[];
  readonly next: HighWater;
}

interface Comparison {
  readonly rises: FieldDelta[];
  readonly falls: AnomalyField[];
  readonly cleared: AnomalyField[];
  readonly marks: EpochMarks;
}

function compare(marks: EpochMarks | undefined, values: ReadonlyMap<string, number>): Comparison {
  const rises: FieldDelta[] = [];
  const falls: AnomalyField[] = [];
  const cleared: AnomalyField[] = [];
  const next = new Map(marks);
  for (const [key, value] of values) {
    const mark = marks?.get(key);
    const from = mark ?? 0;
    const slack = toleranceOf(key);
    const { model, field } = parseMarkKey(key);
    if (value - from > slack) {
      rises.push({ key, model, field, from, to: value, delta: value - from });
      next.set(key, value);
    } else if (from - value > slack) {
      falls.push({ key, model, field, mark: from, value });
    } else if (mark === undefined) {
      next.set(key, from);
    }
  }
  for (const [key, mark] of marks ?? []) {
    if (!values.has(key)) cleared.push({ key, ...parseMarkKey(key), mark, value: null });
  }
  return { rises, falls, cleared, marks: next };
}

function allMarks(marks: EpochMarks | undefined, values: ReadonlyMap<string, number>) {
  return [...(marks ?? [])].map(
    ([key, mark]): AnomalyField => ({
      key,
      ...parseMarkKey(key),
      mark,
      value: values.get(key) ?? null,
    }),
  );
}

interface ProjectOutcome {
  readonly state: ProjectMarks | undefined;
  readonly change: CounterChange | null;
  readonly anomalies: CounterAnomaly[];
}

function withEpoch(
  state: ProjectMarks | undefined,
  sessionId: string | null,
  marks: EpochMarks,
): ProjectMarks {
  const epochs = new Map(state?.epochs);
  epochs.set(sessionId, marks);
  return { currentSessionId: sessionId, epochs, openAnomaly: state?.openAnomaly ?? null };
}

function trackProject(
  state: ProjectMarks | undefined,
  snapshot: ProjectSnapshot,
  observedAtMs: number,
): ProjectOutcome {
  const sessionId = snapshot.sessionId;
  const values = snapshotValues(snapshot);
  const current = state?.currentSessionId ?? null;
  const anomaly = (kind: CounterAnomaly['kind'], fields: readonly AnomalyField[]) => ({
    kind,
    projectPath: snapshot.projectPath,
    sessionId,
    currentSessionId: current,
    fields,
    observedAtMs,
  });
  const change = (kind: CounterChange['kind'], deltas: readonly FieldDelta[]) => ({
    kind,
    projectPath: snapshot.projectPath,
    sessionId,
    previousSessionId: current,
    deltas,
    versionBase: snapshot.versionBase,
    gracefulShutdown: snapshot.gracefulShutdown,
    startTimeMs: snapshot.startTimeMs,
    observedAtMs,
  });
  if (state === undefined && sessionId === null && values.size === 0) {
    return { state, change: null, anomalies: [] }; // a project without any session yet
  }
  if (state !== undefined && sessionId === null && current !== null) {
    return {
      state,
      change: null,
      anomalies: [anomaly('reset', allMarks(state.epochs.get(current), values))],
    };
  }
  if (state === undefined || !state.epochs.has(sessionId)) {
    const { rises, marks } = compare(undefined, values);
    return {
      state: withEpoch(state, sessionId, marks),
      change: change('session-saved', rises),
      anomalies: [],
    };
  }
  const { rises, falls, cleared, marks } = compare(state.epochs.get(sessionId), values);
  const anomalies: CounterAnomaly[] = [];
  if (sessionId !== current && rises.length === 0) {
    return { state, change: null, anomalies: [anomaly('stale-restore', [...falls, ...cleared])] };
  }
  if (falls.length > 0) anomalies.push(anomaly('decrease', falls));
  if (cleared.length > 0) anomalies.push(anomaly('reset', cleared));
  if (rises.length === 0) return { state, change: null, anomalies };
  const kind = sessionId === current ? 'updated' : 'session-resumed';
  return { state: withEpoch(state, sessionId, marks), change: change(kind, rises), anomalies };
}

/** The parts of an anomaly that identify it (a store rebuilds them from its trail rows). */
export interface AnomalyIdentity {
  readonly kind: CounterAnomaly['kind'];
  readonly sessionId: string | null;
  readonly fields: readonly Pick<AnomalyField, 'key' | 'value'>[];
}

/**
 * Identity of a set of anomalies, so that the same lasting condition is reported once; exported
 * so that a store can rebuild `ProjectMarks.openAnomaly` after a restart.
 */
export function anomalySignature(anomalies: readonly AnomalyIdentity[]): string | null {
  if (anomalies.length === 0) return null;
  return JSON.stringify(
    anomalies.map((a) => [
      a.kind,
      a.sessionId,
      // by key: a mark set's order depends on how it was built (in memory or loaded from a store)
      a.fields.map((f) => [f.key, f.value]).sort(([x], [y]) => (String(x) < String(y) ? -1 : 1)),
    ]),
  );
}

/** Reports the anomalies unless they repeat the project's open ones; records the signature. */
function settle(
  state: ProjectMarks | undefined,
  anomalies: CounterAnomaly[],
): { state: ProjectMarks | undefined; reported: CounterAnomaly[] } {
  if (state === undefined) return { state, reported: anomalies };
  const signature = anomalySignature(anomalies);
  const reported = signature !== null && signature === state.openAnomaly ? [] : anomalies;
  if (signature === state.openAnomaly) return { state, reported };
  return { state: { ...state, openAnomaly: signature }, reported };
}

export function trackCounters(
  previous: HighWater,
  snapshots: readonly ProjectSnapshot[],
  options: TrackOptions,
): TrackResult {
  const { observedAtMs, baseline = false } = options;
  const projects = new Map(previous.projects);
  const changes: CounterChange[] = [];
  const anomalies: CounterAnomaly[] = [];
  const initial: ProjectSnapshot[] = [];
  const seen = new Set<string>();
  for (const snapshot of snapshots) {
    const path = snapshot.projectPath;
    seen.add(path);
    const state = projects.get(path);
    if (state === undefined && baseline) {
      const values = snapshotValues(snapshot);
      if (snapshot.sessionId === null && values.size === 0) continue;
      const marks = new Map([...values].map(([key, value]) => [key, Math.max(0, value)]));
      projects.set(path, withEpoch(undefined, snapshot.sessionId, marks));
      initial.push(snapshot);
      continue;
    }
    const outcome = trackProject(state, snapshot, observedAtMs);
    if (outcome.change !== null) changes.push(outcome.change);
    const settled = settle(outcome.state, outcome.anomalies);
    anomalies.push(...settled.reported);
    if (settled.state !== undefined) projects.set(path, settled.state);
  }
  for (const [path, state] of previous.projects) {
    if (seen.has(path)) continue;
    const current = state.currentSessionId;
    const vanished: CounterAnomaly = {
      kind: 'vanished',
      projectPath: path,
      sessionId: null,
      currentSessionId: current,
      fields: allMarks(state.epochs.get(current), new Map()),
      observedAtMs,
    };
    const settled = settle(state, [vanished]);
    anomalies.push(...settled.reported);
    if (settled.state !== undefined) projects.set(path, settled.state);
  }
  return { changes, anomalies, initial, next: { projects } };
}
