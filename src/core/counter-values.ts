/**
 * The per-project `last*` counters of `~/.claude.json` (claude-code-data.md §2.3), as the
 * tracker keeps them: one session's cumulative totals, written when that session is saved
 * (at exit, `/clear`, `/resume`). A field the file does not hold is `null`, never 0: absent
 * and zero are different facts (a reset to defaults drops the fields; it does not zero them).
 */

/** Session totals; the names carry units (`Usd`, `Tokens`, `Ms`). */
export interface CounterValues {
  /** `lastCost`: Claude Code's own client-side estimate. */
  readonly costUsd: number | null;
  /** `lastTotalInputTokens`: uncached input only. */
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cacheCreationTokens: number | null;
  readonly cacheReadTokens: number | null;
  readonly webSearchRequests: number | null;
  readonly linesAdded: number | null;
  readonly linesRemoved: number | null;
  /** `lastAPIDuration`: API wait including retries. */
  readonly apiDurationMs: number | null;
  readonly apiDurationWithoutRetriesMs: number | null;
  readonly toolDurationMs: number | null;
  /** `lastDuration`: wall clock of the session. */
  readonly durationMs: number | null;
}

export type CounterField = keyof CounterValues;

/** Each counter and the `projects[key]` property it is read from, in display order. */
export const COUNTER_SOURCE_KEYS: Readonly<Record<CounterField, string>> = Object.freeze({
  costUsd: 'lastCost',
  inputTokens: 'lastTotalInputTokens',
  outputTokens: 'lastTotalOutputTokens',
  cacheCreationTokens: 'lastTotalCacheCreationInputTokens',
  cacheReadTokens: 'lastTotalCacheReadInputTokens',
  webSearchRequests: 'lastTotalWebSearchRequests',
  linesAdded: 'lastLinesAdded',
  linesRemoved: 'lastLinesRemoved',
  apiDurationMs: 'lastAPIDuration',
  apiDurationWithoutRetriesMs: 'lastAPIDurationWithoutRetries',
  toolDurationMs: 'lastToolDuration',
  durationMs: 'lastDuration',
});

export const COUNTER_FIELDS: readonly CounterField[] = Object.freeze(
  Object.keys(COUNTER_SOURCE_KEYS) as CounterField[],
);

/** One model's totals from `lastModelUsage[model]`, under the file's own names. */
export interface ModelCounters {
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  /** Written by Claude Code ≥ 2.1.291 only. */
  readonly thinkingTokens: number | null;
  readonly cacheReadInputTokens: number | null;
  readonly cacheCreationInputTokens: number | null;
  readonly webSearchRequests: number | null;
  readonly costUSD: number | null;
}

export type ModelField = keyof ModelCounters;

export const MODEL_FIELDS: readonly ModelField[] = Object.freeze([
  'inputTokens',
  'outputTokens',
  'thinkingTokens',
  'cacheReadInputTokens',
  'cacheCreationInputTokens',
  'webSearchRequests',
  'costUSD',
]);

/** The `last*` part of one `projects[key]` entry; everything else in the file is dropped. */
export interface ProjectSnapshot {
  /** The key of `projects`: the canonical git root or cwd. */
  readonly projectPath: string;
  /** `lastSessionId`: the session these totals belong to (the epoch). */
  readonly sessionId: string | null;
  readonly counters: CounterValues;
  /** `lastModelUsage`, by model id as sent to the API. */
  readonly models: Readonly<Record<string, ModelCounters>>;
  readonly versionBase: string | null;
  /** `lastGracefulShutdown`: false from session start until a clean save. */
  readonly gracefulShutdown: boolean | null;
  /** `lastStartTime` (epoch ms). */
  readonly startTimeMs: number | null;
}

/** A rise of a USD field smaller than this is float noise, not a change. */
export const COST_TOLERANCE_USD = 1e-6;

/** Key of a session-total field in a high-water mark set: the field name itself. */
export function counterKey(field: CounterField): string {
  return field;
}

/** Key of a per-model field: `model:<id>:<field>` (ids may contain `:`, fields never do). */
export function modelKey(model: string, field: ModelField): string {
  return `model:${model}:${field}`;
}

export interface ParsedMarkKey {
  readonly model: string | null;
  readonly field: string;
}

export function parseMarkKey(key: string): ParsedMarkKey {
  if (!key.startsWith('model:')) return { model: null, field: key };
  const last = key.lastIndexOf(':');
  return { model: key.slice('model:'.length, last), field: key.slice(last + 1) };
}

/** True for the fields in USD, compared with `COST_TOLERANCE_USD`. */
export function isCostKey(key: string): boolean {
  return key === 'costUsd' || key.endsWith(':costUSD');
}

/** Every non-null counter of a snapshot by mark key: the values a high-water set follows. */
export function snapshotValues(snapshot: ProjectSnapshot): Map<string, number> {
  const values = new Map<string, number>();
  for (const field of COUNTER_FIELDS) {
    const value = snapshot.counters[field];
    if (value !== null) values.set(counterKey(field), value);
  }
  for (const [model, counters] of Object.entries(snapshot.models)) {
    for (const field of MODEL_FIELDS) {
      const value = counters[field];
      if (value !== null) values.set(modelKey(model, field), value);
    }
  }
  return values;
}
