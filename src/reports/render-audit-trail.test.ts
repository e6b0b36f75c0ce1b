import { describe, expect, it } from 'vitest';
import { ZERO_DELTA, type StoredChange } from '../store/change-log.js';
import { formatDeltas, formatTrailChange } from './render-audit-trail.js';

const style = { timeZone: 'Asia/Kolkata', color: false };
const AT = Date.UTC(2026, 11, 4, 13, 30, 5); // 19:00:05 in Kolkata

function change(overrides: Partial<StoredChange>): StoredChange {
  return {
    id: 1,
    timeMs: AT,
    source: 'transcript',
    kind: 'usage',
    project: '/home/alice/src/webapp',
    sessionId: '5b0e6c1a-3d7e-4c55-9b1e-6f2f0d1b9a77',
    delta: ZERO_DELTA,
    ...overrides,
  };
}

describe('the printed audit trail', () => {
  it('prints only the deltas that moved, signed, lines and web searches included', () => {
    expect(formatDeltas({ ...ZERO_DELTA, cacheReadTokens: 81_920, costUsd: 0.0648 })).toBe(
      'cache read +81,920  cost +$0.06',
    );
    expect(
      formatDeltas({ ...ZERO_DELTA, linesAdded: 48, linesRemoved: 3, webSearchRequests: 2 }),
    ).toBe('lines added +48  lines removed +3  web searches +2');
    expect(formatDeltas({ ...ZERO_DELTA, outputTokens: -12 })).toBe('output -12');
    expect(formatDeltas(ZERO_DELTA)).toBe('');
  });

  it('prints a change as a line group in the local time of the zone', () => {
    const text = formatTrailChange(
      change({ delta: { ...ZERO_DELTA, inputTokens: 1_234, outputTokens: 567 } }),
      style,
    );
    expect(text.split('\n')).toEqual([
      expect.stringMatching(
        /^19:00:05 \/home\/alice\/src\/webapp session 5b0e6c1a\S* transcript usage$/,
      ),
      '         input +1,234  output +567',
    ]);
    // A change that moved nothing (an anomaly) is its header alone.
    expect(
      formatTrailChange(change({ source: 'claude-json', kind: 'anomaly-reset' }), style),
    ).toMatch(/claude-json anomaly-reset$/);
  });

  it('prints session starts and ends on one line, an end with both totals and the difference', () => {
    expect(
      formatTrailChange(
        change({ kind: 'session-start', source: 'process', detail: { run: 2, pid: 4242 } }),
        style,
      ),
    ).toMatch(/ started \(process pid 4242, run 2\)$/);
    const end = formatTrailChange(
      change({
        kind: 'session-end',
        source: 'process',
        detail: {
          reason: 'process-exit',
          ledger: {
            inputTokens: 10,
            outputTokens: 20,
            cacheCreationTokens: 30,
            cacheReadTokens: 40,
            costUsd: 1.5,
          },
          claudeCode: { source: 'claude-json', inputTokens: 10, outputTokens: 20, costUsd: 1.75 },
        },
      }),
      style,
    );
    expect(end).toMatch(
      / ended \(process-exit\): ledger 100 tokens \$1\.5000 · Claude Code 30 tokens \$1\.7500 · difference -\$0\.2500$/,
    );
    const unsaved = formatTrailChange(
      change({
        kind: 'session-end',
        detail: { reason: 'idle', ledger: { costUsd: 0 }, claudeCode: null },
      }),
      style,
    );
    expect(unsaved).toMatch(
      /ended \(idle\): ledger 0 tokens \$0\.0000; Claude Code saved no totals$/,
    );
  });
});
