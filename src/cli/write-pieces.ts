/**
 * Writes a long output (a whole audit trail as JSON or CSV) piece by piece: in chunks of about
 * 64 KiB, waiting whenever the stream's buffer is full, so memory stays flat whatever the size
 * and however slow the reader (`| less`). A reader that goes away (`| head`, EPIPE) ends the
 * output quietly, like any Unix filter; other write errors are thrown.
 */
import type { Writable } from 'node:stream';

const CHUNK_CHARS = 64 * 1024;

/** Resolves when `out` can take more, or can take nothing ever again. */
function writable(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('error', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('error', done);
    out.on('close', done);
  });
}

/** Writes the concatenation of `pieces` to `out`, ending it with a newline if it has none. */
export async function writePieces(pieces: Iterable<string>, out: Writable): Promise<void> {
  let failure: (Error & { code?: unknown }) | null = null;
  // Stays attached: a closed pipe reports once more when the stream is torn down.
  out.on('error', (error: Error) => {
    failure ??= error;
  });
  const write = async (text: string): Promise<void> => {
    if (failure === null && !out.write(text)) await writable(out);
  };
  let buffer = '';
  let lastChar = '';
  for (const piece of pieces) {
    if (failure !== null) break;
    buffer += piece;
    if (buffer.length < CHUNK_CHARS) continue;
    lastChar = buffer.slice(-1);
    await write(buffer);
    buffer = '';
  }
  if (buffer !== '') lastChar = buffer.slice(-1);
  if (lastChar !== '\n') buffer += '\n';
  await write(buffer);
  const error = failure as (Error & { code?: unknown }) | null;
  if (error !== null && error.code !== 'EPIPE') throw error;
}
