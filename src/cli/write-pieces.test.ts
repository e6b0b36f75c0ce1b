import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writePieces } from './write-pieces.js';

/** A reader that takes one chunk per tick and records how much waited in the stream's buffer. */
function slowReader(): { stream: Writable; text: () => string; maxBuffered: () => number } {
  const chunks: string[] = [];
  let maxBuffered = 0;
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      chunks.push(chunk);
      setImmediate(callback);
    },
  });
  const originalWrite = stream.write.bind(stream);
  stream.write = ((chunk: string) => {
    const ok = originalWrite(chunk);
    maxBuffered = Math.max(maxBuffered, stream.writableLength);
    return ok;
  }) as typeof stream.write;
  return { stream, text: () => chunks.join(''), maxBuffered: () => maxBuffered };
}

function* lines(count: number): Generator<string> {
  for (let i = 0; i < count; i++) yield `line ${i} ${'x'.repeat(100)}\n`;
}

describe('writePieces', () => {
  it('writes everything in order while holding at most about one chunk in the buffer', async () => {
    const reader = slowReader();
    await writePieces(lines(50_000), reader.stream);
    const text = reader.text();
    expect(text).toBe([...lines(50_000)].join(''));
    // ~5.5 MB went through a reader slower than the writer; the buffer never held much of it.
    expect(reader.maxBuffered()).toBeLessThan(200 * 1024);
  });

  it('ends the output with a newline when the last piece has none', async () => {
    const reader = slowReader();
    await writePieces(['{', '}'], reader.stream);
    expect(reader.text()).toBe('{}\n');
  });

  it('stops quietly when the reader goes away (EPIPE), and throws other errors', async () => {
    let produced = 0;
    function* counted(): Generator<string> {
      for (;;) {
        produced += 1;
        yield 'x'.repeat(1024);
      }
    }
    const closing = (code: string): Writable =>
      new Writable({
        write(_chunk, _encoding, callback) {
          callback(Object.assign(new Error(`write ${code}`), { code }));
        },
      });
    await expect(writePieces(counted(), closing('EPIPE'))).resolves.toBeUndefined();
    expect(produced).toBeLessThan(1000); // it stopped asking for pieces
    await expect(writePieces(counted(), closing('EIO'))).rejects.toThrow('write EIO');
  });
});
