import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBoundedStdin } from './read-stdin.js';

describe('readBoundedStdin', () => {
  it('returns the text at EOF, across chunks and multi-byte characters', async () => {
    const input = new PassThrough();
    const result = readBoundedStdin(input, 1024, 60_000);
    const bytes = Buffer.from('{"cwd":"/home/ünïcode"}');
    input.write(bytes.subarray(0, 12)); // splits "ü" across two chunks
    input.end(bytes.subarray(12));
    expect(await result).toEqual({ kind: 'text', text: '{"cwd":"/home/ünïcode"}' });
    expect(input.destroyed).toBe(true);
  });

  it('stops at the limit and lets the stream go', async () => {
    const input = new PassThrough();
    const result = readBoundedStdin(input, 10, 60_000);
    input.write('0123456789');
    input.write('x');
    expect(await result).toEqual({ kind: 'too-large' });
    expect(input.destroyed).toBe(true);
  });

  it('answers with what came when EOF never does', async () => {
    const input = new PassThrough();
    const result = readBoundedStdin(input, 1024, 50);
    input.write('{"hook_event_name":"Stop"}');
    expect(await result).toEqual({ kind: 'text', text: '{"hook_event_name":"Stop"}' });
    expect(input.destroyed).toBe(true);
  });

  it('reports a read error', async () => {
    const input = new PassThrough();
    const result = readBoundedStdin(input, 1024, 60_000);
    input.destroy(new Error('EIO: i/o error'));
    expect(await result).toEqual({ kind: 'error', message: 'EIO: i/o error' });
  });
});
