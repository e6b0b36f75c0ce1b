/**
 * Another ctt process may hold the ledger's write lock longer than the busy timeout (a big
 * catch-up commit). The batch is then retried with backoff, never dropped and never half-applied:
 * a failed transaction has rolled back, offsets included (reliability §2.10).
 */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT']);

export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && BUSY_CODES.has(code);
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface BusyRetryOptions {
  readonly attempts?: number;
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

/** Runs `work` (one transaction) again while the ledger is busy; other errors pass through. */
export function withBusyRetry<T>(work: () => T, options: BusyRetryOptions = {}): T {
  const attempts = options.attempts ?? 10;
  let delayMs = options.firstDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return work();
    } catch (error) {
      if (!isBusyError(error) || attempt >= attempts) throw error;
      options.onRetry?.(attempt, error);
      sleepMs(Math.random() * delayMs); // full jitter
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 5000);
    }
  }
}
