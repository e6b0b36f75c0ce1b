import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import {
  displayWidth,
  fitModelList,
  formatCostUsd,
  formatCount,
  formatDuration,
  formatHourKey,
  formatLocalTime,
  formatUnpricedNote,
  sanitize,
  shortenPath,
  shortModelName,
  shortSessionId,
  truncateEnd,
  wrapText,
} from './format-cells.js';

describe('numbers', () => {
  it('formats counts with en-US thousands separators, rounded', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12.6)).toBe('13');
  });

  it('formats USD to the cent, and an unknown cost as a dash', () => {
    expect(formatCostUsd(12.3456)).toBe('$12.35');
    expect(formatCostUsd(1234.5)).toBe('$1,234.50');
    expect(formatCostUsd(0)).toBe('$0.00');
    expect(formatCostUsd(0.004)).toBe('$0.00');
    expect(formatCostUsd(-0.001)).toBe('$0.00');
    expect(formatCostUsd(null)).toBe('—');
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0m');
    expect(formatDuration(45 * 60_000 + 59_000)).toBe('45m');
    expect(formatDuration((4 * 60 + 5) * 60_000)).toBe('4h 05m');
    expect(formatDuration(-5)).toBe('0m');
  });
});

describe('formatLocalTime', () => {
  const at = Date.UTC(2026, 10, 30, 23, 5);
  it('shows the wall time of the zone, 24-hour', () => {
    expect(formatLocalTime(at, 'UTC')).toBe('2026-11-30 23:05');
    expect(formatLocalTime(at, 'Asia/Tokyo')).toBe('2026-12-01 08:05');
    expect(formatLocalTime(Date.UTC(2026, 0, 1, 0, 0), 'UTC')).toBe('2026-01-01 00:00');
    expect(formatLocalTime(Date.UTC(2026, 6, 1, 16, 30), 'America/New_York')).toBe(
      '2026-07-01 12:30',
    );
  });
});

describe('labels', () => {
  it('shortens model ids, session ids and hour keys', () => {
    expect(shortModelName('claude-sonnet-4-5-20250929')).toBe('sonnet-4-5');
    expect(shortModelName('claude-nova-7')).toBe('nova-7');
    expect(shortModelName('gpt-x')).toBe('gpt-x');
    expect(shortSessionId('3f2a9c1e-1111-2222-3333-444444444444')).toBe('3f2a9c1e…');
    expect(shortSessionId('short')).toBe('short');
    expect(formatHourKey('2026-11-30T14')).toBe('2026-11-30 14:00');
  });

  it('writes the unpriced footer line', () => {
    expect(formatUnpricedNote({ model: 'claude-nova-7', responses: 3, totalTokens: 43663 })).toBe(
      'unpriced: claude-nova-7 — 43,663 tokens in 3 responses; add its prices to the prices file',
    );
    expect(formatUnpricedNote({ model: 'x', responses: 1, totalTokens: 5 })).toContain(
      '5 tokens in 1 response;',
    );
  });

  it('replaces control characters', () => {
    expect(sanitize('a\nb\u001b[31mc\u007f')).toBe('a?b?[31mc?');
  });
});

describe('displayWidth', () => {
  it('agrees with string-width on ASCII, ANSI, wide and combining text', () => {
    for (const text of ['abc', '\u001b[36mabc\u001b[39m', '日本語', 'e\u0301', '…/a', '└ x', '—']) {
      expect(displayWidth(text)).toBe(stringWidth(text));
    }
  });

  it('truncates at the end with an ellipsis', () => {
    expect(truncateEnd('abcdef', 6)).toBe('abcdef');
    expect(truncateEnd('abcdef', 4)).toBe('abc…');
    expect(truncateEnd('日本語', 4)).toBe('日…');
    expect(truncateEnd('abc', 0)).toBe('');
  });
});

describe('shortenPath', () => {
  const path = '/home/alice/code/acme-platform/services/billing-api';

  it('keeps a path that fits', () => {
    expect(shortenPath(path, 60)).toBe(path);
  });

  it('cuts the middle, keeping the root and the most last segments that fit', () => {
    expect(shortenPath(path, 30)).toBe('/…/services/billing-api');
    expect(shortenPath(path, 20)).toBe('/…/billing-api');
    expect(shortenPath(path, 13)).toBe('…/billing-api');
    expect(shortenPath('~/projects/very-long-name/src', 20)).toBe('…/very-long-name/src');
    expect(shortenPath('~/projects/very-long-name/src', 22)).toBe('~/…/very-long-name/src');
    expect(shortenPath('C:\\Users\\bob\\src\\app', 14)).toBe('…\\bob\\src\\app');
  });

  it('keeps the end of the last segment when nothing else fits', () => {
    expect(shortenPath(path, 10)).toBe('…lling-api');
    expect(shortenPath(path, 1)).toBe('…');
    expect(shortenPath(path, 0)).toBe('');
  });

  it('never exceeds the width', () => {
    const segment = fc.string({
      unit: fc.constantFrom('a', 'b', '-', '日', '/', '\\'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(segment, fc.integer({ min: 0, max: 50 }), (p, width) => {
        expect(stringWidth(shortenPath(p, width))).toBeLessThanOrEqual(width);
      }),
    );
  });
});

describe('fitModelList', () => {
  const models = ['claude-opus-4-1-20250805', 'claude-sonnet-4-5-20250929'];
  it('lists short names, then counts the ones that do not fit', () => {
    expect(fitModelList(models, 40)).toBe('opus-4-1, sonnet-4-5');
    expect(fitModelList(models, 14)).toBe('opus-4-1, +1');
    expect(fitModelList(models, 9)).toBe('opus-… +1');
    expect(fitModelList([], 9)).toBe('');
  });
});

describe('wrapText', () => {
  it('wraps at spaces with an indent, and cuts words longer than a line', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', '  ccc']);
    expect(wrapText('short', 80)).toEqual(['short']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', '  ef', '  gh', '  ij']);
  });
});
