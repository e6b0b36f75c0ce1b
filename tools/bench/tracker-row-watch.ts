import Database from 'better-sqlite3';
import { sleepMs } from './tracker-child.js';

/**
 * Detects when appended responses reach the ledger. A read-only connection asks every 2 ms for
 * the `response` rows with an id above the last one seen (an index range seek) and matches their
 * message ids to the appends. Both ends use the bench's monotonic clock: the append time is
 * taken when the write returned, the arrival time when the query that first returned the row
 * did. A row is visible the moment its transaction commits, so this measures the tracker and
 * nothing after it, to within one check interval (reported). Tailing `ctt start --json` change
 * events instead would add the rest of the poll and the pipe, and those events are per session
 * and commit, not per line.
 */

export const CHECK_INTERVAL_MS = 2;

export class RowWatch {
  private readonly db: Database.Database;
  private readonly newRows: Database.Statement<[number]>;
  private lastId: number;
  private readonly appendedMs = new Map<string, number>();
  readonly latenciesMs: number[] = [];
  private checks = 0;
  private readonly startedMs = performance.now();
  private timer: NodeJS.Timeout | null;
  private meanCheckIntervalMs = Number.NaN;

  constructor(ledgerPath: string) {
    this.db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
    this.newRows = this.db.prepare('SELECT id, message_id AS messageId FROM response WHERE id > ?');
    const row = this.db.prepare('SELECT coalesce(max(id), 0) AS id FROM response').get() as {
      id: number;
    };
    this.lastId = row.id;
    this.timer = setInterval(() => this.check(), CHECK_INTERVAL_MS);
  }

  /** Call right after the write of a line carrying `messageId` returned. */
  appended(messageId: string): void {
    this.appendedMs.set(messageId, performance.now());
  }

  /** Message ids appended whose rows have not arrived (yet). */
  pendingIds(): string[] {
    return [...this.appendedMs.keys()];
  }

  private check(): void {
    this.checks++;
    const rows = this.newRows.all(this.lastId) as { id: number; messageId: string }[];
    if (rows.length === 0) return;
    const seenMs = performance.now();
    for (const row of rows) {
      this.lastId = Math.max(this.lastId, row.id);
      const sentMs = this.appendedMs.get(row.messageId);
      if (sentMs === undefined) continue;
      this.appendedMs.delete(row.messageId);
      this.latenciesMs.push(seenMs - sentMs);
    }
  }

  /** Waits until every append has arrived or `timeoutMs` passed; returns how many are missing. */
  async drain(timeoutMs: number): Promise<number> {
    const deadlineMs = performance.now() + timeoutMs;
    while (this.appendedMs.size > 0 && performance.now() < deadlineMs) await sleepMs(20);
    return this.appendedMs.size;
  }

  /** Stops checking (once); returns the mean interval between checks actually achieved. */
  close(): number {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
      this.db.close();
      this.meanCheckIntervalMs = (performance.now() - this.startedMs) / Math.max(1, this.checks);
    }
    return this.meanCheckIntervalMs;
  }
}
