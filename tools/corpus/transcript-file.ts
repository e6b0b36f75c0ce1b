import { closeSync, openSync, utimesSync, writeSync } from 'node:fs';
import type { JsonObject } from './json.js';

/** Receives what is written: every intact record, and every damaged physical line. */
export interface LineObserver {
  ingest(record: JsonObject): void;
  quarantine(): void;
}

/** Running counts over all transcript files of a corpus. */
export interface CorpusStats {
  files: number;
  /** Exact bytes, updated when buffers are flushed. */
  bytes: number;
  /** Newline-terminated physical lines. */
  lines: number;
  /** Characters appended so far (≈ bytes; drives the size budget without encoding). */
  approxBytes: number;
}

const FLUSH_THRESHOLD_CHARS = 1 << 20;

/**
 * One `.jsonl` file being written: lines are buffered and flushed in ~1 MiB appends, so no file
 * is ever held in memory whole. Every line goes through here, and so does the oracle's view of it.
 */
export class TranscriptFile {
  private fd: number;
  private parts: string[] = [];
  private pendingChars = 0;
  private flushedBytes = 0;
  private lastEventMs = 0;

  constructor(
    readonly path: string,
    private readonly observer: LineObserver,
    private readonly stats: CorpusStats,
    readonly eol: '\n' | '\r\n' = '\n',
  ) {
    this.fd = openSync(path, 'w', 0o600);
    stats.files += 1;
  }

  /** Size written so far, approximately (pending text counted in characters). */
  get approxBytes(): number {
    return this.flushedBytes + this.pendingChars;
  }

  private append(text: string): void {
    this.parts.push(text);
    this.pendingChars += text.length;
    this.stats.approxBytes += text.length;
    if (this.pendingChars >= FLUSH_THRESHOLD_CHARS) this.flush();
  }

  /** A complete, intact line holding `record`. */
  record(record: JsonObject): void {
    this.append(JSON.stringify(record) + this.eol);
    this.stats.lines += 1;
    this.observer.ingest(record);
  }

  /** A damaged physical line: `text` as written, plus the intact records a reader can recover. */
  damaged(text: string, intact: readonly JsonObject[]): void {
    this.append(text + this.eol);
    this.stats.lines += 1;
    this.observer.quarantine();
    for (const record of intact) this.observer.ingest(record);
  }

  /** An empty line: neither a record nor damage. */
  blankLine(): void {
    this.append(this.eol);
    this.stats.lines += 1;
  }

  /** Bytes with no accounting: a BOM, an unfinished tail, pieces of a huge line. */
  raw(text: string): void {
    this.append(text);
  }

  /** Ends a line assembled with `raw` (its content is accounted by the caller). */
  endLine(): void {
    this.append(this.eol);
    this.stats.lines += 1;
  }

  /** Latest event time in the file; becomes its mtime. */
  noteEventTime(timeMs: number): void {
    if (timeMs > this.lastEventMs) this.lastEventMs = timeMs;
  }

  /** Writes the buffer out; returns the file size so far (an exact byte offset). */
  flush(): number {
    if (this.parts.length > 0) {
      const buffer = Buffer.from(this.parts.join(''), 'utf8');
      let written = 0;
      while (written < buffer.length) written += writeSync(this.fd, buffer, written);
      this.stats.bytes += buffer.length;
      this.flushedBytes += buffer.length;
      this.parts = [];
      this.pendingChars = 0;
    }
    return this.flushedBytes;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    if (this.lastEventMs > 0) {
      const mtime = new Date(this.lastEventMs);
      utimesSync(this.path, mtime, mtime);
    }
  }
}
