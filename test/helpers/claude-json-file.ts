/**
 * A `~/.claude.json` written as Claude Code writes it (claude-code-data.md §2.8): per project the
 * `last*` totals of one session next to unrelated keys, plus a ledger to track it into, and the
 * claude-json trail read back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COUNTER_SOURCE_KEYS,
  type CounterField,
  type ModelCounters,
} from '../../src/core/counter-values.js';
import { changesAfter, type StoredChange } from '../../src/store/change-log.js';
import { openLedger, type Ledger } from '../../src/store/database.js';

export interface SessionSpec {
  /** `lastSessionId`; `null` leaves it out. */
  readonly id: string | null;
  readonly counters?: Partial<Record<CounterField, number>>;
  readonly models?: Readonly<Record<string, Partial<ModelCounters>>>;
  readonly graceful?: boolean;
}

/** Project path → its session, or `null` for an entry without any `last*` (defaults). */
export type ProjectsSpec = Readonly<Record<string, SessionSpec | null>>;

export function claudeJsonText(projects: ProjectsSpec): string {
  const entries: Record<string, unknown> = {};
  for (const [path, session] of Object.entries(projects)) {
    const entry: Record<string, unknown> = { allowedTools: [], hasTrustDialogAccepted: true };
    if (session !== null) {
      for (const [field, value] of Object.entries(session.counters ?? {})) {
        entry[COUNTER_SOURCE_KEYS[field as CounterField]] = value;
      }
      if (session.models !== undefined) entry['lastModelUsage'] = session.models;
      entry['lastGracefulShutdown'] = session.graceful ?? true;
      entry['lastVersionBase'] = '2.1.332';
      entry['lastStartTime'] = 1_764_849_611_000;
      if (session.id !== null) entry['lastSessionId'] = session.id;
    }
    entries[path] = entry;
  }
  return JSON.stringify({ numStartups: 7, userID: 'u-1', projects: entries }, null, 2);
}

export interface ClaudeJsonBench {
  readonly dir: string;
  readonly path: string;
  readonly ledgerPath: string;
  readonly db: Ledger;
  /** A wall clock that advances 1 s at every reading. */
  readonly clock: () => number;
  write(projects: ProjectsSpec): void;
  writeText(text: string): void;
  /** Every claude-json trail row, oldest first. */
  trail(): StoredChange[];
  /** Closes the ledger and opens it again (a restart). */
  reopen(): Ledger;
  cleanup(): void;
}

export function makeClaudeJsonBench(): ClaudeJsonBench {
  const dir = mkdtempSync(join(tmpdir(), 'ctt-claude-json-step-'));
  const path = join(dir, '.claude.json');
  const ledgerPath = join(dir, 'ledger.db');
  let db = openLedger(ledgerPath);
  let nowMs = Date.UTC(2026, 11, 1, 12, 0, 0);
  const bench: ClaudeJsonBench = {
    dir,
    path,
    ledgerPath,
    get db() {
      return db;
    },
    clock: () => (nowMs += 1000),
    write: (projects) => writeFileSync(path, claudeJsonText(projects)),
    writeText: (text) => writeFileSync(path, text),
    trail: () => changesAfter(db, 0).filter((change) => change.source === 'claude-json'),
    reopen() {
      db.close();
      db = openLedger(ledgerPath);
      return db;
    },
    cleanup() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return bench;
}
