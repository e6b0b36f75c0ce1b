/** A JSON value as written to (and read back from) a transcript line. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object; every transcript record is one. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Narrows an unknown parsed value to a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
