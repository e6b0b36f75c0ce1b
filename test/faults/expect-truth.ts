/**
 * The one verdict of the tracker fault tests: the ledger holds exactly what the transcript writer
 * wrote (responses, every token field, each usage line once at its offset, each corrupt line
 * quarantined, every byte committed), the trail's `usage` rows sum to the same per session, and
 * sessions start and end in proper runs. Returns the session-run counts for the test's report.
 */
import { expect } from 'vitest';
import { readLedgerTotals } from './ledger-oracle.js';
import {
  checkSessionRuns,
  readLedgerOffsets,
  readResponseSessions,
  readTrailSessions,
  truthOffsets,
  type SessionRunCheck,
} from './trail-oracle.js';
import type { WriterTruth } from './transcript-writer.js';

export function expectLedgerEqualsTruth(dbPath: string, truth: WriterTruth): SessionRunCheck {
  const totals = readLedgerTotals(dbPath);
  expect(totals.integrity).toBe('ok');
  expect({
    responses: totals.responses,
    copies: totals.copies,
    quarantined: totals.quarantined,
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    cacheCreationTokens: totals.cacheCreationTokens,
    cacheCreation1hTokens: totals.cacheCreation1hTokens,
    cacheReadTokens: totals.cacheReadTokens,
    webSearchRequests: totals.webSearchRequests,
  }).toEqual({
    responses: truth.totals.responses,
    copies: truth.usageLines,
    quarantined: truth.corruptLines,
    inputTokens: truth.totals.inputTokens,
    outputTokens: truth.totals.outputTokens,
    cacheCreationTokens: truth.totals.cacheCreationTokens,
    cacheCreation1hTokens: truth.totals.cacheCreation1hTokens,
    cacheReadTokens: truth.totals.cacheReadTokens,
    webSearchRequests: truth.totals.webSearchRequests,
  });

  // Exactly once per byte: each usage line one copy at its offset, each corrupt line quarantined.
  const offsets = readLedgerOffsets(dbPath);
  const expected = truthOffsets(truth);
  expect(offsets.otherGenerations).toBe(0);
  expect(offsets.copies).toEqual(expected.copies);
  expect(offsets.quarantine).toEqual(expected.quarantine);
  expect(offsets.lines).toBe(truth.lines);
  expect(offsets.committedBytes).toEqual(
    Object.fromEntries(Object.entries(truth.files).map(([path, file]) => [path, file.bytes])),
  );

  // Per session: the responses, and the trail's usage deltas summed, both equal the truth.
  expect(readResponseSessions(dbPath)).toEqual(truth.sessions);
  expect(readTrailSessions(dbPath)).toEqual(truth.sessions);
  const runs = checkSessionRuns(dbPath);
  expect(runs.violations).toEqual([]);
  expect(runs.sessions).toBe(Object.keys(truth.sessions).length);
  return runs;
}

/** One line on what the writer did, for the tests' reports. */
export function describeTruth(truth: WriterTruth): string {
  return (
    `${truth.lines} lines in ${Object.keys(truth.files).length} files (${truth.usageLines} usage copies of ` +
    `${truth.totals.responses} responses, ${truth.splitWrites} split writes, ${truth.corruptLines} corrupt, ` +
    `${truth.replays} replays, ${truth.sessionSwitches} session switches)`
  );
}
