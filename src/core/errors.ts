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
