/**
 * Graceful shutdown under load (reliability §3 T23): while a writer appends steadily, a real
 * `ctt start` gets SIGTERM (sometimes SIGINT or SIGHUP) at a random moment of its life, 24 times,
 * and is restarted each time. Every stop must exit 0 (past its 5 s deadline the process exits 1
 * itself, so exit 0 also proves the deadline held), say `stopping` and `stopped`, and leave the
 * WAL checkpointed (no `-wal`, or an empty one). After the last restart the ledger must equal what
 * was written: nothing lost, nothing twice. Shutdown times are reported, never asserted.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTruth, expectLedgerEqualsTruth } from './expect-truth.js';
import { spawnTracker } from './tracker-child.js';
import { mulberry32, percentile, sleep, trackerFixture } from './tracker-fixture.js';
import { startTranscriptWriter, type TranscriptWriter } from './transcript-writer.js';

const STOPS = 24;
const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGTERM', 'SIGINT', 'SIGTERM', 'SIGHUP'];

function walBytes(dbPath: string): number {
  const wal = `${dbPath}-wal`;
  return existsSync(wal) ? statSync(wal).size : 0;
}

describe('ctt start stopped by signals under load', () => {
  let root: string;
  let writer: TranscriptWriter | undefined;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ctt-start-shutdown-'));
  });
  afterAll(async () => {
    // A failed assertion leaves the writer running: stop it before its folders go.
    await writer?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it(`exits 0 with the WAL checkpointed on each of ${STOPS} signals, and loses nothing`, async () => {
    const startedMs = performance.now();
    const random = mulberry32(77);
    const fixture = trackerFixture(root);
    writer = startTranscriptWriter(root, fixture.writerConfig(0x5eed2));
    await writer.started;

    const wallMs: number[] = [];
    const reportedMs: number[] = [];
    const outcomes: string[] = [];
    for (let i = 0; i < STOPS; i++) {
      const signal = SIGNALS[i % SIGNALS.length] ?? 'SIGTERM';
      // Half the runs print NDJSON, half the human trail: both must end with their stop line.
      const json = i % 2 === 0;
      const tracker = spawnTracker(fixture.args(...(json ? ['--json'] : [])), fixture.env);
      // From the header's first line on, a signal is graceful (the handlers are installed first).
      await tracker.waitForLine((line) =>
        json ? line.startsWith('{"event":"start"') : line.startsWith('ctt start: tracking'),
      );
      // Sometimes inside the start-up catch-up, mostly among the polls.
      await sleep(random() < 0.25 ? random() * 40 : 40 + random() * 1_200);
      const stop = await tracker.stop(signal);
      wallMs.push(stop.wallMs);
      outcomes.push(`${signal}→${stop.code ?? stop.signal}`);
      if (stop.code !== 0)
        console.error(`stop ${i}: ${JSON.stringify(stop)}\n${tracker.lines.join('\n')}`);
      expect({ i, signal, code: stop.code, stderr: tracker.stderr() }).toEqual({
        i,
        signal,
        code: 0,
        stderr: '',
      });
      expect(walBytes(fixture.dbPath)).toBe(0);
      if (json) {
        const events = tracker.events();
        expect(events.filter((e) => e.event === 'stopping').map((e) => e.signal)).toEqual([signal]);
        const last = events.at(-1);
        expect(last?.event).toBe('stopped');
        reportedMs.push(Number(last?.['shutdownMs']));
      } else {
        expect(tracker.lines).toContain(`stopping (${signal}): final poll and flush`);
        expect(tracker.lines.at(-1)).toMatch(/^stopped after [\d,]+ polls \(shutdown took .+\)$/);
      }
    }
    const truth = await writer.stop();

    const final = spawnTracker(fixture.args('--json', '--debug'), fixture.env);
    await final.waitForEvent('catch-up');
    await final.waitForEvent('poll');
    const last = await final.stop('SIGTERM');
    expect(last.code).toBe(0);
    expect(walBytes(fixture.dbPath)).toBe(0);

    const runs = expectLedgerEqualsTruth(fixture.dbPath, truth);
    console.info(
      `start shutdown test: ${STOPS} stops (${outcomes.join(' ')}); shutdown wall time p50 ` +
        `${Math.round(percentile(wallMs, 50))} ms, max ${Math.round(Math.max(...wallMs))} ms ` +
        `(tracker's own: p50 ${Math.round(percentile(reportedMs, 50))} ms, max ${Math.round(Math.max(...reportedMs))} ms); ` +
        `${describeTruth(truth)}; trail: ${runs.starts} session starts, ${runs.ends} ends; ` +
        `${((performance.now() - startedMs) / 1000).toFixed(1)} s in all`,
    );
  }, 240_000);
});
