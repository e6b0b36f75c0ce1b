/**
 * The `last*` fields of every `projects[key]` of a parsed `~/.claude.json` (claude-code-data.md
 * §2.3), and nothing else: the rest of the file holds prompt history, account data and caches
 * that the tracker must not keep. A field that is absent or of the wrong type is `null`, never 0.
 */
import type {
  CounterField,
  CounterValues,
  ModelCounters,
  ModelField,
  ProjectSnapshot,
} from '../../core/counter-values.js';
import { COUNTER_FIELDS, COUNTER_SOURCE_KEYS, MODEL_FIELDS } from '../../core/counter-values.js';

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function ownValue(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function counterValues(entry: JsonObject): CounterValues {
  const values = {} as Record<CounterField, number | null>;
  for (const field of COUNTER_FIELDS) {
    values[field] = numberOrNull(ownValue(entry, COUNTER_SOURCE_KEYS[field]));
  }
  return values;
}

function modelCounters(usage: JsonObject): ModelCounters {
  const values = {} as Record<ModelField, number | null>;
  for (const field of MODEL_FIELDS) values[field] = numberOrNull(ownValue(usage, field));
  return values;
}

function modelUsage(entry: JsonObject): Record<string, ModelCounters> {
  const raw = ownValue(entry, 'lastModelUsage');
  if (!isObject(raw)) return {};
  const models: [string, ModelCounters][] = [];
  for (const [model, usage] of Object.entries(raw)) {
    if (isObject(usage)) models.push([model, modelCounters(usage)]);
  }
  return Object.fromEntries(models);
}

export function extractProject(projectPath: string, entry: JsonObject): ProjectSnapshot {
  const graceful = ownValue(entry, 'lastGracefulShutdown');
  return {
    projectPath,
    sessionId: stringOrNull(ownValue(entry, 'lastSessionId')),
    counters: counterValues(entry),
    models: modelUsage(entry),
    versionBase: stringOrNull(ownValue(entry, 'lastVersionBase')),
    gracefulShutdown: typeof graceful === 'boolean' ? graceful : null,
    startTimeMs: numberOrNull(ownValue(entry, 'lastStartTime')),
  };
}

/**
 * Every project of a parsed file, in file order; `null` when the document is not an object with
 * an object `projects` (a reset to `{}` or a foreign file: unknown, not "no projects").
 * Entries that are not objects are skipped.
 */
export function extractProjects(document: unknown): ProjectSnapshot[] | null {
  if (!isObject(document)) return null;
  const projects = ownValue(document, 'projects');
  if (!isObject(projects)) return null;
  const snapshots: ProjectSnapshot[] = [];
  for (const [projectPath, entry] of Object.entries(projects)) {
    if (isObject(entry)) snapshots.push(extractProject(projectPath, entry));
  }
  return snapshots;
}
