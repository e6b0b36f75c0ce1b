/**
 * The content half of a file's identity: a hash of its first line (at most 4 KiB). With device
 * and inode it tells a renamed file (same both) from a reused inode (same inode, new head) from a
 * copy (new inode, same head). A file without a complete first line is not read yet.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';

export const HEAD_BYTES = 4096;

export type FileHead =
  | { readonly kind: 'ready'; readonly hash: string }
  | { readonly kind: 'pending' };

export function readFileHead(path: string): FileHead {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(HEAD_BYTES);
    const read = readSync(fd, bytes, 0, HEAD_BYTES, 0);
    const newline = bytes.subarray(0, read).indexOf(0x0a);
    if (newline < 0 && read < HEAD_BYTES) return { kind: 'pending' };
    const headLength = newline < 0 ? HEAD_BYTES : newline + 1;
    return {
      kind: 'ready',
      hash: createHash('sha256').update(bytes.subarray(0, headLength)).digest('hex'),
    };
  } finally {
    closeSync(fd);
  }
}
