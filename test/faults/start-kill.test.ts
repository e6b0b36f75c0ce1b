/**
 * Kill test of `ctt start` (reliability §3 T1, with the tracker instead of `ctt sync`): while a
 * writer child appends transcript lines like Claude Code (split writes, streamed copies, corrupt
 * lines, replays, files created as it goes, a process file switching sessions), a real `ctt start`
 * polling every 50 ms is SIGKILLed at random moments and restarted, 100+ times. After the writer
 * stops, a last tracker catches up and stops on SIGTERM. The ledger must then hold exactly what was
 * written: every usage line once at its offset, every corrupt line quarantined, exact tokens per
 * session; the trail's `usage` rows must sum to the same per session, and every session's runs
 * must start once and end at most once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTruth, expectLedgerEqualsTruth } from './expect-truth.js';
import { spawnTracker } from './tracker-child.js';
import {
  committedBytes,
  mulberry32,
  sleep,
  trackerFixture,
  writtenBytes,
} from './tracker-fixture.js';
import { startTranscriptWriter, type TranscriptWriter } from './transcript-writer.js';

const KILLS_REQUIRED = 100;
/** Every so often a tracker lives long enough for sessions' settle time to pass (ends recorded). */
const LONG_LIFE_EVERY = 20;

describe('ctt start under SIGKILL', () => {
  let root: string;
  let writer: TranscriptWriter | undefined;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ctt-start-kill-'));
  });
  afterAll(async () => {
    // A failed assertion leaves the writer running: stop it before its folders go.
    await writer?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it(`records every written line exactly once over ${KILLS_REQUIRED}+ kills`, async () => {
    const startedMs = performance.now();
    const random = mulberry32(20261204);
    const fixture = trackerFixture(root);
    const args = fixture.args('--json');
    writer = startTranscriptWriter(root, fixture.writerConfig(0x5eed1));
    await writer.started;

    let kills = 0;
    let midIngest = 0;
    let unexpectedExits = 0;
    while (kills < KILLS_REQUIRED) {
      const before = committedBytes(fixture.dbPath);
      const tracker = spawnTracker(args, fixture.env);
      const long = kills % LONG_LIFE_EVERY === LONG_LIFE_EVERY - 1;
      // A fifth of the kills land in the start-up (lock, open, migrations), the rest in the polls.
      const lifeMs = long
        ? 3_500 + random() * 1_000
        : random() < 0.2
          ? 20 + random() * 130
          : 150 + random() * 550;
      await sleep(lifeMs);
      const written = writtenBytes(fixture.projectsDir);
      const exit = await tracker.kill();
      if (exit.signal !== 'SIGKILL') {
        unexpectedExits++;
        console.error(`ctt start exited by itself: ${JSON.stringify(exit)}\n${tracker.stderr()}`);
        continue;
      }
      kills++;
      // Between two states: this life committed something, and written bytes were still unread.
      const after = committedBytes(fixture.dbPath);
      if (after > before && after < written) midIngest++;
    }
    const truth = await writer.stop();

    const final = spawnTracker([...args, '--debug'], fixture.env);
    await final.waitForEvent('catch-up');
    await final.waitForEvent('poll');
    const stop = await final.stop('SIGTERM');
    expect(final.stderr()).toBe('');
    expect(stop.code).toBe(0);
    expect(final.events().at(-1)?.event).toBe('stopped');
    const elapsedMs = performance.now() - startedMs;

    const runs = expectLedgerEqualsTruth(fixture.dbPath, truth);
    console.info(
      `start kill test: ${kills} kills (${midIngest} mid-ingest, ${unexpectedExits} unexpected exits), ` +
        `${describeTruth(truth)}; trail: ${runs.starts} session starts, ${runs.ends} ends, ` +
        `${runs.openSessions} open; final stop ${Math.round(stop.wallMs)} ms; ` +
        `${(elapsedMs / 1000).toFixed(1)} s in all`,
    );
    expect(unexpectedExits).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(KILLS_REQUIRED);
    // Most kills must land while the ledger is between two states, or the test would not bite.
    expect(midIngest).toBeGreaterThanOrEqual(KILLS_REQUIRED * 0.4);
  }, 240_000);
});
