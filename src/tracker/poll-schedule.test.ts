import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCHEDULE,
  backoffMs,
  classifyError,
  intervalOf,
  pollModeOf,
} from './poll-schedule.js';

describe('pollModeOf', () => {
  it('is active while a Claude Code process lives, whatever the last activity', () => {
    expect(
      pollModeOf(DEFAULT_SCHEDULE, { nowMs: 1e9, lastActivityMs: null, liveSessions: 1 }),
    ).toBe('active');
  });

  it('is active within the activity window and idle after it', () => {
    const at = (nowMs: number) =>
      pollModeOf(DEFAULT_SCHEDULE, { nowMs, lastActivityMs: 1_000, liveSessions: 0 });
    expect(at(1_000 + 59_999)).toBe('active');
    expect(at(1_000 + 60_000)).toBe('idle');
    expect(pollModeOf(DEFAULT_SCHEDULE, { nowMs: 5, lastActivityMs: null, liveSessions: 0 })).toBe(
      'idle',
    );
  });

  it('maps modes to the configured intervals', () => {
    const settings = { ...DEFAULT_SCHEDULE, activeIntervalMs: 123, idleIntervalMs: 4_567 };
    expect(intervalOf(settings, 'active')).toBe(123);
    expect(intervalOf(settings, 'idle')).toBe(4_567);
  });
});

describe('classifyError', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it('sorts SQLite and file-system failures into the classes of the reliability rules', () => {
    expect(classifyError(withCode('SQLITE_BUSY'))).toBe('busy');
    expect(classifyError(withCode('SQLITE_LOCKED'))).toBe('busy');
    expect(classifyError(withCode('SQLITE_FULL'))).toBe('storage-full');
    expect(classifyError(withCode('ENOSPC'))).toBe('storage-full');
    expect(classifyError(withCode('SQLITE_CORRUPT'))).toBe('corrupt');
    expect(classifyError(withCode('SQLITE_NOTADB'))).toBe('corrupt');
    expect(classifyError(withCode('E_LEDGER_CORRUPT'))).toBe('corrupt');
    expect(classifyError(withCode('EACCES'))).toBe('transient');
    expect(classifyError(new Error('anything'))).toBe('transient');
    expect(classifyError('not even an error')).toBe('transient');
  });
});

describe('backoffMs', () => {
  it('doubles up to the cap, with full jitter for busy and transient faults', () => {
    const top = () => 0.999_999;
    expect(backoffMs('busy', 1, top)).toBe(99);
    expect(backoffMs('busy', 3, top)).toBe(399);
    expect(backoffMs('busy', 50, top)).toBe(4_999);
    expect(backoffMs('transient', 50, top)).toBe(29_999);
    // Never zero: a jitter draw of 0 still waits half the first step.
    expect(backoffMs('transient', 4, () => 0)).toBe(50);
  });

  it('pauses a full disk for the whole step, 1 s doubling to 60 s', () => {
    expect(backoffMs('storage-full', 1)).toBe(1_000);
    expect(backoffMs('storage-full', 2)).toBe(2_000);
    expect(backoffMs('storage-full', 7)).toBe(60_000);
    expect(backoffMs('storage-full', 1_000)).toBe(60_000);
  });
});
