import { join } from 'node:path';
import { listTranscripts, scanFile } from './corpus-reader.js';
import type { CorpusManifest, ExpectedTotals, SessionTotals, TokenTotals } from './manifest.js';
import { priceResponse, TotalsAccumulator } from './token-totals.js';
import type { UsageCopy } from './usage-copy.js';

/**
 * The second oracle path, for tests: re-derives the manifest's expectations from the files on
 * disk with the naive reader, collecting all copies first and sorting them, instead of the
 * generator's incremental bookkeeping. Shares only the price table and exact summing.
 */

export type Recount = Omit<ExpectedTotals, 'pendingTail' | 'oversizeLine'> & {
  files: number;
  bytes: number;
  lines: number;
};

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

const n = (value: unknown): number => (typeof value === 'number' ? value : 0);
const s = (value: unknown): string => (typeof value === 'string' ? value : '');

function naiveCopy(record: unknown): UsageCopy | null {
  const message = field(record, 'message');
  const usage = field(message, 'usage');
  if (
    field(record, 'type') !== 'assistant' ||
    typeof usage !== 'object' ||
    usage === null ||
    Array.isArray(usage)
  )
    return null;
  if (field(message, 'model') === '<synthetic>') return null;
  const cacheCreation = n(field(usage, 'cache_creation_input_tokens'));
  const oneHour = n(field(field(usage, 'cache_creation'), 'ephemeral_1h_input_tokens'));
  const speed = field(usage, 'speed');
  const geo = field(usage, 'inference_geo');
  const cost = field(record, 'costUSD');
  return {
    messageId: s(field(message, 'id')),
    requestId: s(field(record, 'requestId')),
    isSidechain: field(record, 'isSidechain') === true,
    forked: field(record, 'forkedFrom') !== undefined,
    timestampMs: Date.parse(s(field(record, 'timestamp'))),
    sessionId: s(field(record, 'sessionId')),
    cwd: s(field(record, 'cwd')),
    model: s(field(message, 'model')),
    usage: {
      inputTokens: n(field(usage, 'input_tokens')),
      outputTokens: n(field(usage, 'output_tokens')),
      cacheCreationTokens: cacheCreation,
      cacheCreation1hTokens: Math.max(0, Math.min(oneHour, cacheCreation)),
      cacheReadTokens: n(field(usage, 'cache_read_input_tokens')),
      webSearchRequests: n(field(field(usage, 'server_tool_use'), 'web_search_requests')),
      speed: typeof speed === 'string' ? speed : null,
      inferenceGeo: typeof geo === 'string' ? geo : null,
    },
    costUsd: typeof cost === 'number' ? cost : null,
  };
}

const total = (c: UsageCopy): number =>
  c.usage.inputTokens +
  c.usage.outputTokens +
  c.usage.cacheCreationTokens +
  c.usage.cacheReadTokens;
const finalOrder = (a: UsageCopy, b: UsageCopy): number =>
  Number(a.isSidechain) - Number(b.isSidechain) ||
  total(b) - total(a) ||
  b.usage.outputTokens - a.usage.outputTokens;
const originalOrder = (a: UsageCopy, b: UsageCopy): number =>
  Number(a.isSidechain) - Number(b.isSidechain) ||
  Number(a.forked) - Number(b.forked) ||
  a.timestampMs - b.timestampMs;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

function sorted<T>(map: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function naiveRecount(manifest: CorpusManifest): Recount {
  const paths = manifest.configDirs.flatMap((dir) => listTranscripts(join(dir, 'projects')));
  let bytes = 0;
  let lines = 0;
  let quarantinedLines = 0;
  const copies: UsageCopy[] = [];
  for (const path of paths) {
    const file = scanFile(path);
    bytes += file.bytes;
    lines += file.lines.length;
    for (const line of file.lines) {
      if (line.damaged) quarantinedLines += 1;
      for (const record of line.records) {
        const copy = naiveCopy(record);
        if (copy !== null) copies.push(copy);
      }
    }
  }
  const responses: UsageCopy[][] = [];
  for (const sameId of groupBy(copies, (c) => c.messageId).values()) {
    const byRequest = groupBy(sameId, (c) => c.requestId);
    if (byRequest.size > 1 && sameId.some((c) => c.isSidechain)) responses.push(sameId);
    else responses.push(...byRequest.values());
  }
  const totals = new TotalsAccumulator();
  const byDay = new Map<string, TotalsAccumulator>();
  const byModel = new Map<string, TotalsAccumulator>();
  const bySession = new Map<string, { acc: TotalsAccumulator; first: UsageCopy }>();
  const unpriced = new Map<string, number>();
  let sidechainReplays = 0;
  for (const group of responses) {
    const final = [...group].sort(finalOrder)[0];
    const original = [...group].sort(originalOrder)[0];
    if (final === undefined || original === undefined) continue;
    sidechainReplays += group.filter(
      (c) => c.isSidechain && c.requestId !== original.requestId,
    ).length;
    const priced = priceResponse(final);
    totals.add(priced);
    const day = new Date(original.timestampMs).toISOString().slice(0, 10);
    if (!byDay.has(day)) byDay.set(day, new TotalsAccumulator());
    byDay.get(day)?.add(priced);
    if (!byModel.has(final.model)) byModel.set(final.model, new TotalsAccumulator());
    byModel.get(final.model)?.add(priced);
    const session = bySession.get(original.sessionId) ?? {
      acc: new TotalsAccumulator(),
      first: original,
    };
    if (original.timestampMs < session.first.timestampMs) session.first = original;
    session.acc.add(priced);
    bySession.set(original.sessionId, session);
    if (priced.costUnits === null)
      unpriced.set(final.model, (unpriced.get(final.model) ?? 0) + total(final));
  }
  const asTotals = (map: Map<string, TotalsAccumulator>): Map<string, TokenTotals> =>
    new Map([...map].map(([k, v]) => [k, v.toTotals()]));
  const sessions = new Map(
    [...bySession].map(([k, v]): [string, SessionTotals] => [
      k,
      { ...v.acc.toTotals(), cwd: v.first.cwd },
    ]),
  );
  return {
    files: paths.length,
    bytes,
    lines,
    responses: responses.length,
    usageLines: copies.length,
    quarantinedLines,
    forkCopies: copies.filter((c) => c.forked).length,
    sidechainReplays,
    totals: totals.toTotals(),
    byDay: sorted(asTotals(byDay)),
    byModel: sorted(asTotals(byModel)),
    bySession: sorted(sessions),
    unpricedModels: sorted(unpriced),
  };
}
