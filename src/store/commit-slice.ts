/**
 * The exactly-once step (reliability §2.1): the usage copies of a slice, its `cost-state` lines,
 * its quarantined lines and the file's advanced offset are written in ONE immediate transaction,
 * guarded by the offset the slice was read from, together with the audit trail's `usage` changes
 * of what moved. If another ctt process committed that range first, nothing is written and the
 * caller reads again from the new offset.
 */
import { CostStateWriter, type CostStateInput } from './cost-states.js';
import type { Ledger } from './database.js';
import { UsageChangeRecorder } from './usage-changes.js';
import { RollupDelta } from './usage-rollup.js';
import { ResponseWriter, mergeDrafts, type PriceFn, type ResponseDraft } from './responses.js';

export interface CopyInput {
  readonly byteOffset: number;
  readonly messageId: string;
  readonly requestId: string;
  readonly weakKey: boolean;
  readonly draft: ResponseDraft;
}

/** One response's copies in a slice, already folded into one draft. */
export interface FoldedResponse {
  readonly draft: ResponseDraft;
  /** File offsets of the copies (provenance). */
  readonly copyOffsets: readonly number[];
}

export interface QuarantineInput {
  readonly byteOffset: number;
  readonly lineBytes: number;
  readonly reason: string;
  readonly sha256: string;
  readonly recoveredRecords: number;
}

export interface SliceInput {
  readonly fileId: number;
  readonly generation: number;
  readonly fromOffset: number;
  readonly endOffset: number;
  readonly anchorHash: string | null;
  readonly sizeSeen: number;
  readonly mtimeNs: string | null;
  readonly ctimeNs: string | null;
  readonly lines: number;
  readonly responses: readonly FoldedResponse[];
  /** Number of usage copies folded into `responses`. */
  readonly copyCount: number;
  readonly costStates: readonly CostStateInput[];
  readonly quarantine: readonly QuarantineInput[];
}

export interface CommitResult {
  readonly committed: boolean;
  readonly newResponses: number;
  readonly updatedResponses: number;
  readonly copies: number;
  readonly quarantined: number;
  /** `cost-state` lines stored. */
  readonly costStates: number;
  /** Copies whose (file, generation, offset) was already in the ledger. Must stay 0. */
  readonly dedupHitsRaw: number;
}

const STALE: CommitResult = {
  committed: false,
  newResponses: 0,
  updatedResponses: 0,
  copies: 0,
  quarantined: 0,
  costStates: 0,
  dedupHitsRaw: 0,
};

/**
 * Folds copies of the same response inside one slice before touching the ledger (streaming
 * blocks of a response sit next to each other). Pure: reader threads run it.
 */
export function foldCopies(copies: readonly CopyInput[]): FoldedResponse[] {
  const byKey = new Map<string, ResponseDraft>();
  const byMessage = new Map<string, ResponseDraft[]>();
  const groups = new Map<ResponseDraft, number[]>();
  for (const copy of copies) {
    let draft = byKey.get(`${copy.messageId}\u0000${copy.requestId}`);
    if (draft === undefined) {
      draft = byMessage
        .get(copy.messageId)
        ?.find((d) => copy.draft.final.isSidechain || d.final.isSidechain);
    }
    if (draft === undefined) {
      draft = { ...copy.draft };
      byKey.set(`${copy.messageId}\u0000${copy.requestId}`, draft);
      const list = byMessage.get(copy.messageId) ?? [];
      list.push(draft);
      byMessage.set(copy.messageId, list);
      groups.set(draft, [copy.byteOffset]);
      continue;
    }
    mergeDrafts(draft, copy.draft);
    byKey.set(`${draft.messageId}\u0000${draft.requestId}`, draft);
    groups.get(draft)?.push(copy.byteOffset);
  }
  return [...groups].map(([draft, copyOffsets]) => ({ draft, copyOffsets }));
}

export class SliceCommitter {
  private readonly writer: ResponseWriter;
  private readonly costStates: CostStateWriter;
  private readonly changes: UsageChangeRecorder;
  private readonly insertCopy;
  private readonly insertQuarantine;
  private readonly advance;

  constructor(
    private readonly db: Ledger,
    price: PriceFn,
    priceVersion: string,
  ) {
    this.writer = new ResponseWriter(db, price, priceVersion);
    this.costStates = new CostStateWriter(db);
    this.changes = new UsageChangeRecorder(db);
    this.insertCopy = db.prepare(
      `INSERT OR IGNORE INTO response_copy (file_id, generation, byte_offset, response_id)
       VALUES (?, ?, ?, ?)`,
    );
    this.insertQuarantine = db.prepare(
      `INSERT OR IGNORE INTO quarantine
         (file_id, generation, byte_offset, line_bytes, reason, sha256, recovered_records, ingest_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.advance = db.prepare(
      `UPDATE source_file SET byte_offset = ?, anchor_hash = ?, size_seen = ?, mtime_ns = ?, ctime_ns = ?,
         lines = lines + ?, usage_lines = usage_lines + ?, quarantined_lines = quarantined_lines + ?,
         last_ingest_ms = ?
       WHERE id = ? AND generation = ? AND byte_offset = ? AND state = 'active'`,
    );
  }

  commit(slice: SliceInput, nowMs: number, beforeCommit?: () => void): CommitResult {
    const [result] = this.commitMany([slice], nowMs, beforeCommit);
    return result ?? STALE;
  }

  /**
   * Commits several slices (of one or many files) in one transaction. Each slice is still guarded
   * by its own offset: a stale slice writes nothing, the others commit with their rows. The
   * trail gets one `usage` change per session and project whose totals moved.
   */
  commitMany(
    slices: readonly SliceInput[],
    nowMs: number,
    beforeCommit?: () => void,
  ): CommitResult[] {
    return this.db
      .transaction((): CommitResult[] => {
        const rollup = new RollupDelta();
        const results = slices.map((slice) => this.apply(slice, nowMs, rollup));
        this.changes.record(rollup, nowMs);
        rollup.flush(this.db);
        beforeCommit?.();
        return results;
      })
      .immediate();
  }

  private apply(slice: SliceInput, nowMs: number, rollup: RollupDelta): CommitResult {
    const moved = this.advance.run(
      slice.endOffset,
      slice.anchorHash,
      slice.sizeSeen,
      slice.mtimeNs,
      slice.ctimeNs,
      slice.lines,
      slice.copyCount,
      slice.quarantine.length,
      nowMs,
      slice.fileId,
      slice.generation,
      slice.fromOffset,
    );
    if (moved.changes !== 1) return STALE;
    let newResponses = 0;
    let updatedResponses = 0;
    let copies = 0;
    let dedupHitsRaw = 0;
    for (const { draft, copyOffsets } of slice.responses) {
      const { id, outcome } = this.writer.write(draft, nowMs, rollup);
      if (outcome === 'new') newResponses++;
      else if (outcome === 'updated') updatedResponses++;
      for (const byteOffset of copyOffsets) {
        const info = this.insertCopy.run(slice.fileId, slice.generation, byteOffset, id);
        if (info.changes === 1) copies++;
        else dedupHitsRaw++;
      }
    }
    let quarantined = 0;
    for (const q of slice.quarantine) {
      const info = this.insertQuarantine.run(
        slice.fileId,
        slice.generation,
        q.byteOffset,
        q.lineBytes,
        q.reason,
        q.sha256,
        q.recoveredRecords,
        nowMs,
      );
      quarantined += info.changes;
    }
    let costStates = 0;
    for (const record of slice.costStates) {
      costStates += this.costStates.insert(slice.fileId, slice.generation, record, nowMs);
    }
    return {
      committed: true,
      newResponses,
      updatedResponses,
      copies,
      quarantined,
      costStates,
      dedupHitsRaw,
    };
  }
}
