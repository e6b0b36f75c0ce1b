import { isBetterFinal, isBetterOriginal } from './copy-ranking.js';
import type { ExpectedTotals, SessionTotals, TokenTotals } from './manifest.js';
import { priceResponse, TotalsAccumulator } from './token-totals.js';
import { readUsageCopy } from './usage-copy.js';
import type { UsageCopy } from './usage-copy.js';

/** What one `message.id` + `requestId` key has seen so far. */
interface KeyGroup {
  final: UsageCopy;
  original: UsageCopy;
  sidechainLines: number;
}

/** One merged response: its final and original copies. */
export interface OracleResponse {
  readonly final: UsageCopy;
  readonly original: UsageCopy;
}

export type OracleResult = Omit<ExpectedTotals, 'pendingTail' | 'oversizeLine'>;

export function utcDay(timestampMs: number): string {
  return new Date(timestampMs).toISOString().slice(0, 10);
}

function sortedRecord<T, V>(map: Map<string, T>, toValue: (value: T) => V): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, value] of [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out[key] = toValue(value);
  }
  return out;
}

/**
 * The independent accounting of everything the generator wrote. Feed it every intact record
 * (`ingest`) and every damaged physical line (`quarantine`); `result()` applies the rules in
 * manifest.ts. Ingestion order does not matter.
 */
export class Oracle {
  private readonly groups = new Map<string, KeyGroup>();
  private usageLines = 0;
  private quarantinedLines = 0;
  private forkCopies = 0;

  ingest(record: unknown): void {
    const copy = readUsageCopy(record);
    if (copy === null) return;
    this.usageLines += 1;
    if (copy.forked) this.forkCopies += 1;
    const key = `${copy.messageId}\n${copy.requestId}`;
    const group = this.groups.get(key);
    if (group === undefined) {
      this.groups.set(key, {
        final: copy,
        original: copy,
        sidechainLines: copy.isSidechain ? 1 : 0,
      });
      return;
    }
    if (copy.isSidechain) group.sidechainLines += 1;
    if (isBetterFinal(copy, group.final)) group.final = copy;
    if (isBetterOriginal(copy, group.original)) group.original = copy;
  }

  quarantine(): void {
    this.quarantinedLines += 1;
  }

  /** Merged responses plus the number of sidechain replay lines folded into them. */
  responses(): { responses: OracleResponse[]; sidechainReplays: number } {
    const byMessageId = new Map<string, KeyGroup[]>();
    for (const [key, group] of this.groups) {
      const messageId = key.slice(0, key.lastIndexOf('\n'));
      const list = byMessageId.get(messageId);
      if (list === undefined) byMessageId.set(messageId, [group]);
      else list.push(group);
    }
    const responses: OracleResponse[] = [];
    let sidechainReplays = 0;
    for (const list of byMessageId.values()) {
      const merge = list.length > 1 && list.some((group) => group.sidechainLines > 0);
      if (!merge) {
        for (const group of list) responses.push({ final: group.final, original: group.original });
        continue;
      }
      const [first] = list;
      if (first === undefined) continue;
      let final = first.final;
      let original = first.original;
      let home = first;
      for (const group of list) {
        if (isBetterFinal(group.final, final)) final = group.final;
        if (isBetterOriginal(group.original, original)) {
          original = group.original;
          home = group;
        }
      }
      for (const group of list) if (group !== home) sidechainReplays += group.sidechainLines;
      responses.push({ final, original });
    }
    return { responses, sidechainReplays };
  }

  result(): OracleResult {
    const { responses, sidechainReplays } = this.responses();
    const totals = new TotalsAccumulator();
    const byDay = new Map<string, TotalsAccumulator>();
    const byModel = new Map<string, TotalsAccumulator>();
    const bySession = new Map<
      string,
      { totals: TotalsAccumulator; cwd: string; firstMs: number }
    >();
    const unpriced = new Map<string, number>();
    const bucket = (map: Map<string, TotalsAccumulator>, key: string): TotalsAccumulator => {
      let acc = map.get(key);
      if (acc === undefined) map.set(key, (acc = new TotalsAccumulator()));
      return acc;
    };
    for (const { final, original } of responses) {
      const priced = priceResponse(final);
      totals.add(priced);
      bucket(byDay, utcDay(original.timestampMs)).add(priced);
      bucket(byModel, final.model).add(priced);
      let session = bySession.get(original.sessionId);
      if (session === undefined) {
        session = {
          totals: new TotalsAccumulator(),
          cwd: original.cwd,
          firstMs: original.timestampMs,
        };
        bySession.set(original.sessionId, session);
      } else if (original.timestampMs < session.firstMs) {
        session.cwd = original.cwd;
        session.firstMs = original.timestampMs;
      }
      session.totals.add(priced);
      if (priced.costUnits === null) {
        const tokens = new TotalsAccumulator();
        tokens.add(priced);
        unpriced.set(final.model, (unpriced.get(final.model) ?? 0) + tokens.totalTokens);
      }
    }
    const asTotals = (acc: TotalsAccumulator): TokenTotals => acc.toTotals();
    return {
      responses: responses.length,
      usageLines: this.usageLines,
      quarantinedLines: this.quarantinedLines,
      forkCopies: this.forkCopies,
      sidechainReplays,
      totals: totals.toTotals(),
      byDay: sortedRecord(byDay, asTotals),
      byModel: sortedRecord(byModel, asTotals),
      bySession: sortedRecord(
        bySession,
        (s): SessionTotals => ({ ...s.totals.toTotals(), cwd: s.cwd }),
      ),
      unpricedModels: sortedRecord(unpriced, (n) => n),
    };
  }
}
