/**
 * High-water marks of the `~/.claude.json` counters (reliability §2.7): per project, per epoch
 * (`lastSessionId`), per field, the highest value ever accepted. A mark never goes down and an
 * epoch is never pruned: a stale backup can bring any old session back, and a pruned epoch would
 * then be counted a second time. Immutable: `trackCounters` returns a new `HighWater`.
 */
import { isCostKey, COST_TOLERANCE_USD } from './counter-values.js';

/** Mark key (`inputTokens`, `model:<id>:costUSD`, …) → highest accepted value. */
export type EpochMarks = ReadonlyMap<string, number>;

export interface ProjectMarks {
  /** The epoch of the latest snapshot accepted for this project (`null`: no session id yet). */
  readonly currentSessionId: string | null;
  /** Every epoch ever seen, with its marks (possibly none); never pruned. */
  readonly epochs: ReadonlyMap<string | null, EpochMarks>;
  /**
   * Signature of the anomalies reported at this project's last snapshot, so a lasting condition
   * (a reset file read at every poll) is reported once; `null` once the project reads clean.
   */
  readonly openAnomaly: string | null;
}

export interface HighWater {
  /** By project path (the key of `projects`). */
  readonly projects: ReadonlyMap<string, ProjectMarks>;
}

export const EMPTY_HIGH_WATER: HighWater = Object.freeze({ projects: new Map() });

/** One mark as a flat row, the shape a store keeps. */
export interface MarkRow {
  readonly projectPath: string;
  readonly sessionId: string | null;
  readonly key: string;
  readonly value: number;
}

export function listMarks(highWater: HighWater): MarkRow[] {
  const rows: MarkRow[] = [];
  for (const [projectPath, project] of highWater.projects) {
    for (const [sessionId, marks] of project.epochs) {
      for (const [key, value] of marks) rows.push({ projectPath, sessionId, key, value });
    }
  }
  return rows;
}

export interface EpochRow {
  readonly projectPath: string;
  readonly sessionId: string | null;
}

/**
 * Rebuilds marks from stored rows. `currentEpochs` gives each project's current session id;
 * `knownEpochs` lists epochs seen without any mark (a session saved with no counters).
 */
export function highWaterFromMarks(
  rows: readonly MarkRow[],
  currentEpochs: readonly EpochRow[],
  knownEpochs: readonly EpochRow[] = [],
): HighWater {
  const epochsByProject = new Map<string, Map<string | null, Map<string, number>>>();
  const epochOf = (projectPath: string, sessionId: string | null): Map<string, number> => {
    let epochs = epochsByProject.get(projectPath);
    if (epochs === undefined)
      epochsByProject.set(projectPath, (epochs = new Map<string | null, Map<string, number>>()));
    let marks = epochs.get(sessionId);
    if (marks === undefined) epochs.set(sessionId, (marks = new Map<string, number>()));
    return marks;
  };
  for (const row of rows) {
    const marks = epochOf(row.projectPath, row.sessionId);
    marks.set(row.key, Math.max(row.value, marks.get(row.key) ?? row.value));
  }
  for (const { projectPath, sessionId } of [...knownEpochs, ...currentEpochs]) {
    epochOf(projectPath, sessionId);
  }
  const current = new Map(currentEpochs.map((row) => [row.projectPath, row.sessionId]));
  const projects = new Map<string, ProjectMarks>();
  for (const [projectPath, epochs] of epochsByProject) {
    const currentSessionId = current.has(projectPath)
      ? (current.get(projectPath) ?? null)
      : ([...epochs.keys()].at(-1) ?? null);
    projects.set(projectPath, { currentSessionId, epochs, openAnomaly: null });
  }
  return { projects };
}

/** Slack of a comparison: USD fields tolerate float noise, counts compare exactly. */
export function toleranceOf(key: string): number {
  return isCostKey(key) ? COST_TOLERANCE_USD : 0;
}
