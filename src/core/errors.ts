/** Base of every error `ctt` raises on purpose; `main` maps `exitCode` and prints `message`. */
export class TrackerError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad command-line input: exit 2 with a one-line reason. */
export class UsageError extends TrackerError {
  constructor(message: string) {
    super('E_USAGE', message, 2);
  }
}

/** A user config file (prices, …) that cannot be used as written. */
export class ConfigError extends TrackerError {
  constructor(message: string) {
    super('E_CONFIG', message, 1);
  }
}

/** The ledger was written by a newer `ctt`; refusing protects it. */
export class SchemaFromFutureError extends TrackerError {
  constructor(found: number, known: number) {
    super(
      'E_SCHEMA_FROM_FUTURE',
      `the ledger has schema version ${found}, newer than this ctt knows (${known}); upgrade ctt`,
      1,
    );
  }
}

/** The ledger file is damaged; ingest stops and the sources stay untouched. */
export class LedgerCorruptError extends TrackerError {
  constructor(detail: string) {
    super(
      'E_LEDGER_CORRUPT',
      `the ledger is damaged (${detail}); move it aside and run ctt sync to rebuild it from the transcripts`,
      1,
    );
  }
}

/** Who holds the ledger, as its running tracker reported it (diagnostics only). */
export interface LedgerHolder {
  readonly pid: number;
  readonly startedMs: number;
}

/**
 * Another `ctt start` holds the ledger's tracker lock: exit 75 (EX_TEMPFAIL), so a supervisor
 * retries later instead of treating it as a crash.
 */
export class LedgerHeldError extends TrackerError {
  readonly ledgerPath: string;
  readonly holder: LedgerHolder | null;
  constructor(ledgerPath: string, holder: LedgerHolder | null = null) {
    const who =
      holder === null
        ? ''
        : ` (pid ${holder.pid}, running since ${new Date(holder.startedMs).toISOString()})`;
    super(
      'E_LEDGER_HELD',
      `another ctt tracker already holds the ledger ${ledgerPath}${who}; stop it first, or use ctt status`,
      75,
    );
    this.ledgerPath = ledgerPath;
    this.holder = holder;
  }
}
