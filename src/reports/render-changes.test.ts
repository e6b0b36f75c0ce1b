import { describe, expect, it } from 'vitest';
import { ZERO_DELTA, type ChangeDelta, type StoredChange } from '../store/change-log.js';
import { displayWidth } from './format-cells.js';
import { changesJsonPieces, changesToCsv, changesToJson } from './render-changes.js';
import {
  changesToTable,
  formatChangeCost,
  formatDetail,
  NO_CHANGES_RECORDED,
} from './render-changes-table.js';

const T0 = Date.UTC(2026, 10, 30, 22, 3, 7, 120);

function change(
  id: number,
  parts: Partial<Omit<StoredChange, 'delta'>> & { delta?: Partial<ChangeDelta> },
): StoredChange {
  return {
    id,
    timeMs: T0 + id * 1000,
    source: 'transcript',
    kind: 'usage',
    project: '/home/ann/webapp',
    sessionId: '5b0e1c2d-aaaa-bbbb-cccc-000000000001',
    ...parts,
    delta: { ...ZERO_DELTA, ...parts.delta },
  };
}

const USAGE = change(1, {
  delta: { inputTokens: 1200, outputTokens: 340, cacheReadTokens: 50_000, costUsd: 0.0421 },
  detail: { model: 'claude-opus-4-1', responses: 2 },
});
const START = change(2, { source: 'hook', kind: 'session-start', detail: { source: 'startup' } });
const CLAUDE_JSON = change(3, {
  source: 'claude-json',
  kind: 'updated',
  project: '/home/ann/a, "quoted" dir',
  sessionId: null,
  delta: { costUsd: 0.0003, linesAdded: 12, linesRemoved: 3 },
});

describe('changesToJson', () => {
  it('has the contract shape: ISO UTC time, costUSD, every delta field, id and detail', () => {
    expect(changesToJson([USAGE, CLAUDE_JSON])).toEqual({
      changes: [
        {
          id: 1,
          time: '2026-11-30T22:03:08.120Z',
          source: 'transcript',
          kind: 'usage',
          project: '/home/ann/webapp',
          sessionId: '5b0e1c2d-aaaa-bbbb-cccc-000000000001',
          delta: {
            inputTokens: 1200,
            outputTokens: 340,
            cacheCreationTokens: 0,
            cacheReadTokens: 50_000,
            costUSD: 0.0421,
            linesAdded: 0,
            linesRemoved: 0,
            webSearchRequests: 0,
          },
          detail: { model: 'claude-opus-4-1', responses: 2 },
        },
        {
          id: 3,
          time: '2026-11-30T22:03:10.120Z',
          source: 'claude-json',
          kind: 'updated',
          project: '/home/ann/a, "quoted" dir',
          sessionId: null,
          delta: {
            inputTokens: 0,
            outputTokens: 0,
            cacheCreationTokens: 0,
            cacheReadTokens: 0,
            costUSD: 0.0003,
            linesAdded: 12,
            linesRemoved: 3,
            webSearchRequests: 0,
          },
        },
      ],
    });
    expect(changesToJson([])).toEqual({ changes: [] });
  });
});

describe('changesJsonPieces', () => {
  it('joins to exactly the pretty-printed JSON, empty or not, newlines in strings included', () => {
    const odd = change(9, { project: 'a\nb "c"', detail: { note: 'x\ny', nested: { a: [1] } } });
    for (const changes of [[], [USAGE], [USAGE, START, CLAUDE_JSON, odd]]) {
      const joined = [...changesJsonPieces(changes)].join('');
      expect(joined).toBe(JSON.stringify(changesToJson(changes), null, 2));
    }
  });
});

describe('changesToCsv', () => {
  it('flattens the same names, quotes per RFC 4180, keeps nulls empty and detail as JSON', () => {
    expect(changesToCsv([USAGE, CLAUDE_JSON])).toBe(
      'id,time,source,kind,project,sessionId,inputTokens,outputTokens,cacheCreationTokens,' +
        'cacheReadTokens,costUSD,linesAdded,linesRemoved,webSearchRequests,detail\n' +
        '1,2026-11-30T22:03:08.120Z,transcript,usage,/home/ann/webapp,' +
        '5b0e1c2d-aaaa-bbbb-cccc-000000000001,1200,340,0,50000,0.0421,0,0,0,' +
        '"{""model"":""claude-opus-4-1"",""responses"":2}"\n' +
        '3,2026-11-30T22:03:10.120Z,claude-json,updated,"/home/ann/a, ""quoted"" dir",,' +
        '0,0,0,0,0.0003,12,3,0,\n',
    );
    expect(changesToCsv([])).toBe(
      'id,time,source,kind,project,sessionId,inputTokens,outputTokens,cacheCreationTokens,' +
        'cacheReadTokens,costUSD,linesAdded,linesRemoved,webSearchRequests,detail\n',
    );
  });
});

describe('changesToTable', () => {
  const options = { columns: 200, color: false, timeZone: 'UTC', recordedTotal: 3 };

  it('shows local times to the second, only the delta columns some change moved, and a total', () => {
    const text = changesToTable([USAGE, START, CLAUDE_JSON], options);
    const lines = text.trimEnd().split('\n');
    const header = lines[1] ?? '';
    for (const head of ['Time', 'Source', 'Kind', 'Project', 'Session', 'Input', 'Output']) {
      expect(header).toContain(head);
    }
    expect(header).toContain('Cache Read');
    expect(header).toContain('Cost (USD)');
    expect(header).toContain('+Lines');
    expect(header).toContain('Detail');
    // Nobody moved these: no column for them.
    expect(header).not.toContain('Cache Create');
    expect(header).not.toContain('Web Searches');
    expect(text).toContain('2026-11-30 22:03:08');
    expect(text).toContain('5b0e1c2d…');
    expect(text).toContain('model=claude-opus-4-1 responses=2');
    const total = lines.find((l) => l.includes('Total')) ?? '';
    expect(total).toContain('1,200');
    expect(total).toContain('50,000');
    expect(total).toContain('$0.04');
    expect(total).toContain('12');
    expect(lines.at(-1)).toBe('3 changes, times in UTC');
  });

  it('shows times in the zone asked for', () => {
    const text = changesToTable([USAGE], { ...options, timeZone: 'Asia/Kolkata' });
    expect(text).toContain('2026-12-01 03:33:08');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 change, times in Asia/Kolkata');
  });

  it('a trail of session events only has no delta columns at all', () => {
    const header = changesToTable([START], options).split('\n')[1] ?? '';
    expect(header).not.toMatch(/Input|Output|Cost|Lines/);
    expect(header).toContain('Kind');
  });

  it.each([100, 80, 60, 40, 24])('never exceeds %i columns', (columns) => {
    const text = changesToTable([USAGE, START, CLAUDE_JSON], { ...options, columns });
    for (const line of text.trimEnd().split('\n')) {
      expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
    }
    expect(text).toContain('2026-11-30 22:03:08');
  });

  it('says how many matched when only the newest are shown, wrapped to the width', () => {
    const text = changesToTable([USAGE, START], { ...options, columns: 60, matchingTotal: 83_333 });
    const footer = text.slice(text.lastIndexOf('┘') + 2);
    expect(footer.replace(/\n\s*/g, ' ').trim()).toBe(
      'the newest 2 of 83,333 changes (--last N for more, --json or --csv for all), times in UTC',
    );
    for (const line of text.trimEnd().split('\n'))
      expect(displayWidth(line)).toBeLessThanOrEqual(60);
  });

  it('says so when nothing was recorded, and when nothing matches', () => {
    expect(changesToTable([], { ...options, recordedTotal: 0 })).toBe(`${NO_CHANGES_RECORDED}\n`);
    expect(changesToTable([], { ...options, recordedTotal: 1234 })).toBe(
      'No changes match these filters (the trail holds 1,234).\n',
    );
  });
});

describe('cells', () => {
  it.each([
    [0, ''],
    [0.0421, '$0.04'],
    [12.5, '$12.50'],
    [0.0042, '$0.0042'],
    [0.00001, '<$0.0001'],
    [-0.0042, '-$0.0042'],
  ])('cost %d → %j', (cost, text) => {
    expect(formatChangeCost(cost)).toBe(text);
  });

  it('writes detail as key=value, objects by their keys, arrays joined', () => {
    expect(
      formatDetail({
        reason: 'other',
        models: { 'claude-a': {}, 'claude-b': {} },
        keys: ['x', 'y'],
      }),
    ).toBe('reason=other models=claude-a,claude-b keys=x,y');
    expect(formatDetail(undefined)).toBe('');
  });
});
