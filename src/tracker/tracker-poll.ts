/**
 * One poll of every source, in the order that lets each step see the previous one's rows:
 * transcripts (only when a file's stat moved since the last clean pass), `~/.claude.json`,
 * hook events, then sessions; finally the change rows recorded since the last poll, which the
 * caller prints. Every write is a transaction of its own store module, so a kill between steps
 * loses nothing and repeats nothing.
 */
import {
  discoverTranscripts,
  type Discovery,
} from '../sources/claude-code/discover-transcripts.js';
import {
  changesAfter,
  lastChangeId,
  type ChangeLog,
  type StoredChange,
} from '../store/change-log.js';
import type { Ledger } from '../store/database.js';
import { markHookEventsProcessed, pendingHookEvents } from '../store/hook-events.js';
import type { PriceFn } from '../store/responses.js';
import { runPass, type PassStats } from './run-pass.js';
import type { ScanExecutor } from './scan-executor.js';
import { ListingWatch, type ListingWatchSettings } from './listing-watch.js';
import { SessionWatch, type SavedSession, type SessionWatchSettings } from './session-watch.js';

/** The `~/.claude.json` step, as the poll uses it. */
export interface ClaudeJsonPoller {
  poll(): Promise<{
    readonly outcome: string;
    readonly changes: readonly StoredChange[];
    readonly tornReads: number;
  }>;
  /** True when no valid read succeeded for a long time (10 min) since `sinceMs`. */
  isDegraded?(sinceMs: number): boolean;
}

export interface TrackerPollSettings {
  readonly projectsDirs: readonly string[];
  readonly sessions: SessionWatchSettings;
  readonly price: PriceFn;
  readonly priceVersion: string;
  readonly wallMs: () => number;
  readonly monoMs: () => number;
  /** Between full listings only folders and recently written files are stat-ed. */
  readonly listing?: ListingWatchSettings;
}

export interface PollReport {
  readonly durationMs: number;
  /** Files in the last full listing. */
  readonly filesSeen: number;
  /** This poll listed every file (else folders and recently written files only, all unchanged). */
  readonly listed: boolean;
  /** Null when the listing showed no change and the pass was skipped. */
  readonly pass: PassStats | null;
  readonly claudeJson: string;
  readonly tornReads: number;
  /** `~/.claude.json` exists but has not read valid for 10 minutes (torn or reset throughout). */
  readonly claudeJsonDegraded: boolean;
  readonly hooks: number;
  readonly liveProcesses: number;
  readonly openSessions: number;
  /** Change rows recorded since the previous poll (by anyone, `ctt sync` included), oldest first. */
  readonly changes: StoredChange[];
  /** Anything new at all: a change, a hook, a session event. */
  readonly activity: boolean;
}

/** What a listing says about the files: equal keys mean nothing to read. */
function listingKey(discovery: Discovery): string {
  const parts: string[] = [];
  for (const f of discovery.files)
    parts.push(`${f.path}\u0000${f.ino}\u0000${f.size}\u0000${f.mtimeNs}\u0000${f.ctimeNs}`);
  parts.push(
    `roots:${discovery.readableRoots.join('\u0000')}|${discovery.missingRoots.join('\u0000')}`,
  );
  return parts.join('\n');
}

export class TrackerPoll {
  private readonly sessions: SessionWatch;
  /** Listing of the last pass that read everything it could; null forces the next pass. */
  private cleanListing: string | null = null;
  private readonly listing: ListingWatch;
  private filesSeen = 0;
  private printedChangeId: number;
  private readonly startedWallMs: number;

  constructor(
    private readonly db: Ledger,
    log: ChangeLog,
    private readonly settings: TrackerPollSettings,
    private readonly claudeJson: ClaudeJsonPoller,
    sessions?: SessionWatch,
  ) {
    this.sessions = sessions ?? new SessionWatch(db, log, settings.sessions);
    this.listing = new ListingWatch(settings.listing);
    this.printedChangeId = lastChangeId(db);
    this.startedWallMs = settings.wallMs();
  }

  /** Change rows up to now count as printed (the start-up catch-up is summarised instead). */
  skipPrinted(): number {
    const before = this.printedChangeId;
    this.printedChangeId = lastChangeId(this.db);
    return this.printedChangeId - before;
  }

  /** A full listing, and a pass when it differs from the last complete one. */
  private async listAndRead(
    startedMs: number,
    options: { readonly executor?: ScanExecutor; readonly shouldStop?: () => boolean },
  ): Promise<PassStats | null> {
    const discovery = discoverTranscripts(this.settings.projectsDirs, { withDirs: true });
    this.filesSeen = discovery.files.length;
    const key = listingKey(discovery);
    let pass: PassStats | null = null;
    if (key !== this.cleanListing) {
      this.cleanListing = null; // a pass that throws is redone at the next poll
      pass = await runPass(this.db, {
        projectsDirs: this.settings.projectsDirs,
        nowMs: this.settings.wallMs,
        price: this.settings.price,
        priceVersion: this.settings.priceVersion,
        discovery,
        busyRetry: { attempts: 1 },
        ...(options.executor === undefined ? {} : { executor: options.executor }),
        ...(options.shouldStop === undefined ? {} : { shouldStop: options.shouldStop }),
      });
      const complete =
        pass.files.raced === 0 &&
        pass.unreadable.length === 0 &&
        pass.staleCommits === 0 &&
        options.shouldStop?.() !== true;
      if (complete) this.cleanListing = key;
    }
    if (this.cleanListing === key)
      this.listing.remember(discovery, startedMs, this.settings.wallMs());
    else this.listing.forget();
    return pass;
  }

  async poll(
    options: {
      readonly executor?: ScanExecutor;
      readonly shouldStop?: () => boolean;
      readonly flushSessions?: boolean;
      /** A file event arrived since the last poll: list everything now. */
      readonly hinted?: boolean;
      /** File events are on: full listings may be further apart. */
      readonly eventsOn?: boolean;
      /** List everything whatever the quick check says (start-up, the final poll). */
      readonly fullListing?: boolean;
    } = {},
  ): Promise<PollReport> {
    const startedMs = this.settings.monoMs();
    const listed =
      this.cleanListing === null ||
      options.fullListing === true ||
      this.listing.needsFullListing(startedMs, options.hinted === true, options.eventsOn === true);
    const pass = listed ? await this.listAndRead(startedMs, options) : null;
    const claudeJson = await this.claudeJson.poll();
    const saved: SavedSession[] = [];
    for (const change of claudeJson.changes) {
      if (change.kind.startsWith('anomaly') || change.kind === 'baseline') continue;
      if (change.sessionId !== null)
        saved.push({ sessionId: change.sessionId, project: change.project });
    }
    const hookEvents = pendingHookEvents(this.db);
    const session = this.sessions.step({
      wallMs: this.settings.wallMs(),
      monoMs: this.settings.monoMs(),
      saved,
      hooks: hookEvents.map((hook) => ({
        event: hook.event,
        sessionId: hook.sessionId,
        cwd: hook.cwd,
        reason: hook.detail?.['reason'] ?? hook.detail?.['source'] ?? null,
      })),
      ...(options.flushSessions === true ? { flush: true } : {}),
    });
    if (hookEvents.length > 0)
      markHookEventsProcessed(
        this.db,
        hookEvents.map((hook) => hook.id),
        this.settings.wallMs(),
      );
    const changes = changesAfter(this.db, this.printedChangeId);
    const last = changes[changes.length - 1];
    if (last !== undefined) this.printedChangeId = last.id;
    return {
      durationMs: this.settings.monoMs() - startedMs,
      filesSeen: this.filesSeen,
      listed,
      pass,
      claudeJson: claudeJson.outcome,
      tornReads: claudeJson.tornReads,
      claudeJsonDegraded:
        claudeJson.outcome !== 'missing' &&
        this.claudeJson.isDegraded?.(this.startedWallMs) === true,
      hooks: hookEvents.length,
      liveProcesses: session.liveProcesses,
      openSessions: session.openSessions,
      changes,
      activity: changes.length > 0 || hookEvents.length > 0 || session.active,
    };
  }
}
