/**
 * Reads a small body from stdin without ever waiting forever or holding more than a limit: ends
 * at EOF, at `maxBytes` (too large), or after `waitMs` without EOF (then with what came so far).
 * Whatever happened, the stream is let go so the process can exit.
 */
import type { Readable } from 'node:stream';

export type StdinResult =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'error'; readonly message: string };

export function readBoundedStdin(
  stream: Readable,
  maxBytes: number,
  waitMs: number,
): Promise<StdinResult> {
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (result: StdinResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.pause();
      // Release the descriptor: an open stdin would keep the process alive after the answer.
      stream.destroy();
      resolvePromise(result);
    };
    const text = (): StdinResult => ({
      kind: 'text',
      text: Buffer.concat(chunks).toString('utf8'),
    });
    const timer = setTimeout(() => finish(text()), waitMs);
    stream.on('data', (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += buffer.length;
      if (bytes > maxBytes) finish({ kind: 'too-large' });
      else chunks.push(buffer);
    });
    stream.once('end', () => finish(text()));
    stream.once('error', (error: Error) => finish({ kind: 'error', message: error.message }));
  });
}
