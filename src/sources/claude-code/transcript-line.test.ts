import { describe, expect, it } from 'vitest';
import {
  apiRequestLine,
  apiUsage,
  assistantLine,
  costStateLine,
  progressLine,
  summaryLine,
  syntheticLine,
  toolResultLine,
  userLine,
} from '../../../test/helpers/claude-lines.js';
import { scanLine, type LineResult } from './transcript-line.js';

/** Scans one physical line (without its `\n`) as the file reader would hand it over. */
function scan(line: string | Buffer, fileOffset = 0): LineResult {
  const buf = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  return scanLine(buf, 0, buf.length, fileOffset, buf.indexOf(0));
}

function tokensOf(result: LineResult): number[] {
  return result.copies.map((c) => c.usage.inputTokens + c.usage.outputTokens);
}

describe('scanLine: line shapes', () => {
  it('turns an assistant line with usage into one usage copy with every field read', () => {
    const line = assistantLine({
      messageId: 'msg_011CfQ2x7Hn3b9',
      requestId: 'req_011CfQ2x6Yk2',
      model: 'claude-opus-5-5',
      usage: {
        input: 6,
        output: 412,
        cacheWrite: 2310,
        cacheWrite1h: 2310,
        cacheRead: 48211,
        webSearch: 2,
      },
      sessionId: 'sess-1',
      cwd: '/home/alice/src/webapp',
      timestamp: '2026-11-30T14:02:09.118Z',
      agentId: 'a3f9c2d1',
      isSidechain: true,
    });
    const result = scan(line, 1000);
    expect(result.damage).toBeNull();
    expect(result.records).toBe(1);
    expect(result.copies).toHaveLength(1);
    expect(result.copies[0]).toEqual({
      byteOffset: 1000,
      messageId: 'msg_011CfQ2x7Hn3b9',
      requestId: 'req_011CfQ2x6Yk2',
      weakKey: false,
      model: 'claude-opus-5-5',
      sessionId: 'sess-1',
      cwd: '/home/alice/src/webapp',
      timestampMs: Date.parse('2026-11-30T14:02:09.118Z'),
      isSidechain: true,
      agentId: 'a3f9c2d1',
      forked: false,
      version: '2.1.332',
      costUsdLogged: null,
      usage: {
        inputTokens: 6,
        outputTokens: 412,
        cacheCreationTokens: 2310,
        cacheCreation1hTokens: 2310,
        cacheReadTokens: 48211,
        webSearchRequests: 2,
        webFetchRequests: 0,
        speed: null,
        inferenceGeo: 'global',
        serviceTier: 'standard',
      },
    });
  });

  it('reads costUSD of CC ≤ 1.0.9 lines and marks fork copies', () => {
    const result = scan(assistantLine({ costUSD: 0.01392, forkedFrom: true }));
    expect(result.copies[0]?.costUsdLogged).toBe(0.01392);
    expect(result.copies[0]?.forked).toBe(true);
  });

  it('does not count a progress line that embeds a subagent assistant message with usage', () => {
    const result = scan(progressLine({ usage: { input: 500, output: 900 } }));
    expect(result).toMatchObject({ copies: [], records: 1, damage: null, synthetic: 0 });
  });

  it('does not count a user tool result whose toolUseResult carries usage', () => {
    const result = scan(toolResultLine(apiUsage({ input: 700, output: 800 })));
    expect(result).toMatchObject({ copies: [], records: 1, damage: null });
  });

  it.each([
    ['cost-state', costStateLine()],
    ['api-request', apiRequestLine()],
    ['summary', summaryLine()],
    ['user', userLine()],
    ['system', JSON.stringify({ type: 'system', subtype: 'compact_boundary', content: 'x' })],
    [
      'unknown type',
      JSON.stringify({ type: 'frame-link', message: { usage: { input_tokens: 9 } } }),
    ],
  ])('counts nothing for a %s line but accepts it as a valid record', (_name, line) => {
    expect(scan(line)).toMatchObject({ copies: [], records: 1, damage: null, synthetic: 0 });
  });

  it('counts a <synthetic> error line as synthetic, not as usage', () => {
    expect(scan(syntheticLine())).toMatchObject({
      copies: [],
      records: 1,
      synthetic: 1,
      damage: null,
    });
  });

  it('does not count an assistant line without message.usage or with a non-object usage', () => {
    expect(scan(assistantLine({ usage: null })).copies).toEqual([]);
    const numberUsage = JSON.stringify({ type: 'assistant', message: { id: 'm', usage: 5 } });
    expect(scan(numberUsage)).toMatchObject({ copies: [], records: 1, damage: null });
    const stringMessage = JSON.stringify({ type: 'assistant', message: '{"usage":{}}' });
    expect(scan(stringMessage)).toMatchObject({ copies: [], records: 1, damage: null });
  });

  it('still counts a line with nulls anywhere, tool inputs included', () => {
    const line = assistantLine({
      messageId: 'msg_nulls',
      requestId: null,
      model: null,
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { a: null, b: [null] } }],
      usage: {
        input_tokens: 5,
        output_tokens: 7,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        cache_creation: null,
        server_tool_use: null,
        service_tier: null,
        speed: null,
        inference_geo: null,
      },
      extra: { cwd: null, sessionId: null, timestamp: null, isSidechain: null, version: null },
    });
    const result = scan(line);
    expect(result.damage).toBeNull();
    expect(result.copies).toHaveLength(1);
    expect(result.copies[0]).toMatchObject({
      messageId: 'msg_nulls',
      requestId: '',
      model: 'unknown',
      cwd: null,
      sessionId: null,
      timestampMs: null,
      isSidechain: false,
      version: null,
      usage: { inputTokens: 5, outputTokens: 7, cacheCreationTokens: 0, cacheReadTokens: 0 },
    });
  });

  it('gives a line without message.id a weak key derived from session, time and usage', () => {
    const a = scan(assistantLine({ messageId: null, sessionId: 's', timestamp: 'T' }));
    const b = scan(assistantLine({ messageId: null, sessionId: 's', timestamp: 'T' }));
    expect(a.copies[0]?.weakKey).toBe(true);
    expect(a.copies[0]?.messageId).toBe(b.copies[0]?.messageId);
    expect(a.copies[0]?.messageId.startsWith('weak:s|T|')).toBe(true);
  });

  it('decodes escaped quotes and backslashes in strings, also right before a closing quote', () => {
    const line = assistantLine({
      messageId: 'msg_"quoted"\\',
      cwd: 'C:\\Users\\bob\\',
      content: [{ type: 'text', text: 'say "}{" and \\"' }],
    });
    expect(line).toContain('\\\\"');
    const result = scan(line);
    expect(result.damage).toBeNull();
    expect(result.copies[0]?.messageId).toBe('msg_"quoted"\\');
    expect(result.copies[0]?.cwd).toBe('C:\\Users\\bob\\');
  });

  it('keeps raw U+2028 and U+2029 inside strings (only \\n ends a line)', () => {
    const line = assistantLine({ content: [{ type: 'text', text: 'a\u2028b\u2029c' }] });
    expect(line).toContain('\u2028');
    expect(scan(line)).toMatchObject({ damage: null, records: 1 });
    expect(scan(line).copies).toHaveLength(1);
  });

  it('accepts a CRLF line ending as trailing whitespace', () => {
    const result = scan(`${assistantLine()}\r`);
    expect(result.damage).toBeNull();
    expect(result.copies).toHaveLength(1);
  });

  it('keeps non-ASCII text and reads a non-ASCII cwd', () => {
    const result = scan(assistantLine({ cwd: '/home/zoë/项目' }));
    expect(result.copies[0]?.cwd).toBe('/home/zoë/项目');
  });

  it('treats a blank or whitespace-only line as nothing at all', () => {
    expect(scan('')).toMatchObject({ copies: [], records: 0, damage: null });
    expect(scan(' \t\r')).toMatchObject({ copies: [], records: 0, damage: null });
  });
});

describe('scanLine: damaged lines', () => {
  const first = assistantLine({ messageId: 'msg_A', usage: { input: 1, output: 2 } });
  const second = assistantLine({ messageId: 'msg_B', usage: { input: 30, output: 40 } });

  it('quarantines a torn line and counts nothing from it', () => {
    const result = scan(first.slice(0, first.length - 20));
    expect(result).toMatchObject({ copies: [], records: 0, damage: 'torn', recovered: 0 });
  });

  it('counts both records of a glued `}{` line, each at its own offset', () => {
    const result = scan(`${first}${second}`, 500);
    expect(result.damage).toBe('glued');
    expect(result.recovered).toBe(2);
    expect(result.copies.map((c) => c.messageId)).toEqual(['msg_A', 'msg_B']);
    expect(result.copies.map((c) => c.byteOffset)).toEqual([500, 500 + Buffer.byteLength(first)]);
    expect(tokensOf(result)).toEqual([3, 70]);
  });

  it('counts the intact record of a torn record spliced with an intact one', () => {
    for (const cut of [1, 10, 57, first.indexOf('"usage"') + 3, first.length - 1]) {
      const result = scan(`${first.slice(0, cut)}${second}`);
      expect(
        result.copies.map((c) => c.messageId),
        `cut at ${cut}`,
      ).toEqual(['msg_B']);
      expect(result.damage, `cut at ${cut}`).toBe('spliced');
    }
  });

  it('counts the intact record after a torn user line with many nested objects', () => {
    const hunks = Array.from({ length: 200 }, (_, i) => ({ oldStart: i, lines: [`-${i}`] }));
    const torn = userLine({ toolUseResult: { filePath: '/x', structuredPatch: hunks } });
    const result = scan(`${torn.slice(0, torn.length - 30)}${second}`);
    expect(result.copies.map((c) => c.messageId)).toEqual(['msg_B']);
    expect(result.damage).toBe('spliced');
  });

  it('bounds the work of recovery on a hostile line: a megabyte of unclosed objects', () => {
    const hostile = `${'{"a":'.repeat(200_000)}${second}`;
    const started = performance.now();
    const result = scan(hostile);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.damage).not.toBeNull();
  });

  it('counts a record behind a stray BOM inside the file, and flags the line', () => {
    // A BOM is stripped only at offset 0 (scan-transcript); elsewhere it is damage before a record.
    const result = scan(`\uFEFF${second}`);
    expect(result.copies.map((c) => c.messageId)).toEqual(['msg_B']);
    expect(result.copies[0]?.byteOffset).toBe(3);
    expect(result.damage).not.toBeNull();
  });

  it('quarantines an all-NUL line and counts nothing', () => {
    const result = scan(Buffer.alloc(4096, 0));
    expect(result).toMatchObject({ copies: [], records: 0, damage: 'nul-bytes' });
  });

  it('counts a valid record behind a run of NUL bytes, and still flags the line', () => {
    const line = Buffer.concat([Buffer.alloc(100, 0), Buffer.from(second)]);
    const result = scan(line, 1000);
    expect(result.damage).toBe('nul-bytes');
    expect(result.copies.map((c) => c.messageId)).toEqual(['msg_B']);
    expect(result.copies[0]?.byteOffset).toBe(1100);
  });

  it('quarantines valid JSON that is not an object', () => {
    for (const line of ['[1]', '"text"', '42', 'null', `[${first}]`]) {
      expect(scan(line), line).toMatchObject({ copies: [], records: 0, damage: 'not-an-object' });
    }
  });

  it('quarantines non-JSON text', () => {
    expect(scan('hello world').damage).toBe('torn');
    expect(scan('{"type":"assistant",}').damage).toBe('torn');
  });

  it.each(['1.2.3', '--5', '1e', '+3', '.5', '01', '1.', '-', 'e5'])(
    'parses usage numbers strictly: input_tokens %s makes the line bad-usage, not a count',
    (bad) => {
      const line = first.replace('"input_tokens":1', `"input_tokens":${bad}`);
      expect(line).not.toBe(first);
      expect(() => {
        JSON.parse(line);
      }).toThrow();
      const result = scan(line);
      expect(result.copies).toEqual([]);
      expect(result.damage).toBe('bad-usage');
    },
  );

  it('counts a negative or infinite usage number as 0', () => {
    const line = assistantLine({
      usage: { input_tokens: -5, output_tokens: 999, cache_read_input_tokens: 12 },
    }).replace('"output_tokens":999', '"output_tokens":1e400');
    expect(line).toContain('1e400');
    const result = scan(line);
    expect(result.damage).toBeNull();
    expect(result.copies[0]?.usage).toMatchObject({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 12,
    });
  });
});
