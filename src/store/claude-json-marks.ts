/**
 * The `~/.claude.json` high-water marks in the ledger (reliability §2.7): `claude_json_mark` holds
 * every (project, epoch, field) mark, `claude_json_epoch` every epoch ever seen and which one is
 * current. A track's marks, epochs and trail rows commit in ONE immediate transaction, guarded
 * like a slice's offset: every delta's `from` must still be the stored mark and a new epoch must
 * still be new, else nothing is written and the caller reloads. So a crash between the read and
 * the commit, a restart, or a second process can never count a rise twice.
 */
import {
  highWaterFromMarks,
  type EpochRow,
  type HighWater,
  type MarkRow,
  type ProjectMarks,
} from '../core/counter-marks.js';
import type { TrackResult } from '../core/counter-tracking.js';
import {
  ChangeLog,
  ZERO_DELTA,
  type ChangeDelta,
  type ChangeRecord,
  type StoredChange,
} from './change-log.js';
import {
  ANOMALY_PREFIX,
  CLAUDE_JSON_SOURCE,
  readTrail,
  trackRecords,
  type FileAnomaly,
} from './claude-json-trail.js';
import type { Ledger } from './database.js';

/** `session_id` is part of the primary keys, so a `null` session id is stored as ''. */
const NULL_SESSION = '';
const storedSession = (sessionId: string | null): string => sessionId ?? NULL_SESSION;
const sessionOf = (stored: string): string | null => (stored === NULL_SESSION ? null : stored);

export interface ClaudeJsonState {
  readonly highWater: HighWater;
  /** False until a first read was adopted as a baseline (the ledger holds no claude-json state). */
  readonly baselineDone: boolean;
  /** The file-level condition of the newest claude-json row, if it is one (reported once). */
  readonly fileAnomaly: FileAnomaly | null;
}

function loadMarks(db: Ledger): HighWater {
  const marks: MarkRow[] = [];
  const rows = db
    .prepare('SELECT project, session_id, key, value FROM claude_json_mark')
    .raw()
    .iterate() as IterableIterator<[string, string, string, number]>;
  for (const [projectPath, session, key, value] of rows) {
    marks.push({ projectPath, sessionId: sessionOf(session), key, value });
  }
  const epochs = db
    .prepare('SELECT project, session_id, is_current FROM claude_json_epoch ORDER BY first_seen_ms')
    .all() as { project: string; session_id: string; is_current: number }[];
  const asRow = (row: { project: string; session_id: string }): EpochRow => ({
    projectPath: row.project,
    sessionId: sessionOf(row.session_id),
  });
  const current = epochs.filter((row) => row.is_current === 1).map(asRow);
  return highWaterFromMarks(marks, current, epochs.map(asRow));
}

/** Everything a tracker needs to resume where the ledger stands. */
export function loadClaudeJsonState(db: Ledger): ClaudeJsonState {
  return db.transaction((): ClaudeJsonState => {
    const loaded = loadMarks(db);
    const trail = readTrail(db);
    const projects = new Map<string, ProjectMarks>();
    for (const [path, project] of loaded.projects) {
      const openAnomaly = trail.openAnomalies.get(path) ?? null;
      projects.set(path, openAnomaly === null ? project : { ...project, openAnomaly });
    }
    return {
      highWater: { projects },
      baselineDone: trail.baselineDone || loaded.projects.size > 0,
      fileAnomaly: trail.fileAnomaly,
    };
  })();
}

/** The marks, epochs and open anomalies the ledger holds. */
export function loadHighWater(db: Ledger): HighWater {
  return loadClaudeJsonState(db).highWater;
}

export interface RecordTrackOptions {
  /** Wall clock of the recording: the trail rows' time and new epochs' `first_seen_ms`. */
  readonly timeMs: number;
  /** The track adopted the file (`trackCounters` with `baseline`): valid only on an empty ledger. */
  readonly baseline?: boolean;
  /** Runs inside the transaction just before it commits (fault tests throw here). */
  readonly beforeCommit?: () => void;
}

/** `stale`: the ledger moved since the marks were loaded; nothing was written. */
export type RecordTrackOutcome =
  | { readonly kind: 'recorded'; readonly changes: StoredChange[] }
  | { readonly kind: 'stale' };

function statements(db: Ledger) {
  return {
    mark: db.prepare(
      'SELECT value FROM claude_json_mark WHERE project = ? AND session_id = ? AND key = ?',
    ),
    epoch: db.prepare('SELECT 1 FROM claude_json_epoch WHERE project = ? AND session_id = ?'),
    anyState: db.prepare(
      `SELECT EXISTS (SELECT 1 FROM claude_json_epoch)
         OR EXISTS (SELECT 1 FROM change_event WHERE source = ? AND kind = 'baseline') AS held`,
    ),
    raise: db.prepare(
      `INSERT INTO claude_json_mark (project, session_id, key, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (project, session_id, key) DO UPDATE SET value = max(value, excluded.value)`,
    ),
    addEpoch: db.prepare(
      `INSERT OR IGNORE INTO claude_json_epoch (project, session_id, is_current, first_seen_ms)
       VALUES (?, ?, 0, ?)`,
    ),
    makeCurrent: db.prepare(
      `UPDATE claude_json_epoch SET is_current = (session_id = ?)
       WHERE project = ? AND is_current != (session_id = ?)`,
    ),
  };
}

type Statements = ReturnType<typeof statements>;
const prepared = new WeakMap<Ledger, { statements: Statements; log: ChangeLog }>();

function preparedFor(db: Ledger) {
  let entry = prepared.get(db);
  if (entry === undefined)
    prepared.set(db, (entry = { statements: statements(db), log: new ChangeLog(db) }));
  return entry;
}

/** True when the ledger still holds the marks the track was computed from. */
function stillCurrent(s: Statements, result: TrackResult, baseline: boolean): boolean {
  if (baseline && (s.anyState.get(CLAUDE_JSON_SOURCE) as { held: number }).held !== 0) return false;
  for (const change of result.changes) {
    const session = storedSession(change.sessionId);
    const known = s.epoch.get(change.projectPath, session) !== undefined;
    if (known !== (change.kind !== 'session-saved')) return false;
    for (const { key, from } of change.deltas) {
      const row = s.mark.get(change.projectPath, session, key) as { value: number } | undefined;
      if ((row?.value ?? 0) !== from) return false;
    }
  }
  return true;
}

/** Raises (never lowers) the marks of one epoch of `next`, and makes it the project's current. */
function writeEpoch(
  s: Statements,
  next: HighWater,
  projectPath: string,
  sessionId: string | null,
  timeMs: number,
): void {
  const session = storedSession(sessionId);
  s.addEpoch.run(projectPath, session, timeMs);
  s.makeCurrent.run(session, projectPath, session);
  for (const [key, value] of next.projects.get(projectPath)?.epochs.get(sessionId) ?? []) {
    s.raise.run(projectPath, session, key, value);
  }
}

function stored(id: number, record: ChangeRecord): StoredChange {
  const delta: ChangeDelta = { ...ZERO_DELTA, ...record.delta };
  return { ...record, id, delta };
}

/**
 * Writes one track in one immediate transaction: the rows of the trail (baselines, changes,
 * anomalies), the raised marks and the epochs. Returns the stored rows in trail order.
 */
export function recordCounterTrack(
  db: Ledger,
  result: TrackResult,
  options: RecordTrackOptions,
): RecordTrackOutcome {
  const { timeMs, baseline = false } = options;
  const records = trackRecords(result, timeMs, baseline);
  if (records.length === 0) return { kind: 'recorded', changes: [] };
  const { statements: s, log } = preparedFor(db);
  return db
    .transaction((): RecordTrackOutcome => {
      if (!stillCurrent(s, result, baseline)) return { kind: 'stale' };
      for (const snapshot of result.initial) {
        writeEpoch(s, result.next, snapshot.projectPath, snapshot.sessionId, timeMs);
      }
      for (const change of result.changes) {
        writeEpoch(s, result.next, change.projectPath, change.sessionId, timeMs);
      }
      const changes = records.map((record) => stored(log.insert(record), record));
      options.beforeCommit?.();
      return { kind: 'recorded', changes };
    })
    .immediate();
}

/** One row for a condition of the whole file (`anomaly-missing`, `anomaly-no-projects`). */
export function recordFileAnomaly(db: Ledger, anomaly: FileAnomaly, timeMs: number): StoredChange {
  const record: ChangeRecord = {
    timeMs,
    source: CLAUDE_JSON_SOURCE,
    kind: ANOMALY_PREFIX + anomaly,
    project: null,
    sessionId: null,
    delta: {},
  };
  return db.transaction(() => stored(preparedFor(db).log.insert(record), record)).immediate();
}
