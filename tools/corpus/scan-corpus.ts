import { join } from 'node:path';
import { listTranscripts, scanFile } from './corpus-reader.js';
import type { ScannedFile } from './corpus-reader.js';
import type { CorpusManifest } from './manifest.js';

/** Test support: every record of a written corpus with its file, and usage lines by key. */

export type Rec = Record<string, unknown>;

export interface Found {
  readonly file: string;
  readonly record: Rec;
}

export interface CorpusScan {
  readonly files: ScannedFile[];
  readonly records: Found[];
  /** Usage lines grouped by `message.id|requestId`. */
  readonly responses: Map<string, Found[]>;
}

export const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export const obj = (value: unknown): Rec =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rec) : {};

export const usageOf = (r: Rec): Rec => obj(obj(r.message).usage);

export const isUsageLine = (r: Rec): boolean =>
  r.type === 'assistant' &&
  Object.keys(usageOf(r)).length > 0 &&
  obj(r.message).model !== '<synthetic>';

export function scanCorpus(manifest: CorpusManifest): CorpusScan {
  const files = manifest.configDirs
    .flatMap((dir) => listTranscripts(join(dir, 'projects')))
    .map(scanFile);
  const records = files.flatMap((f) =>
    f.lines.flatMap((l) => l.records.map((record) => ({ file: f.path, record: obj(record) }))),
  );
  const responses = new Map<string, Found[]>();
  for (const found of records.filter((f) => isUsageLine(f.record))) {
    const key = `${str(obj(found.record.message).id)}|${str(found.record.requestId)}`;
    responses.set(key, [...(responses.get(key) ?? []), found]);
  }
  return { files, records, responses };
}
