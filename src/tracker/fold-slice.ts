/**
 * A scanned slice with its usage copies folded per response: the shape a reader thread hands to
 * the committing thread. Folding runs where the reading runs, so the committing thread (the
 * bottleneck of a big catch-up) only writes. Everything else of the slice (quarantined lines,
 * `cost-state` records) passes through as read.
 */
import type { ScanSlice } from '../sources/claude-code/scan-transcript.js';
import { foldCopies, type FoldedResponse } from '../store/commit-slice.js';
import { toCopyInput } from './copy-draft.js';

export interface FoldedSlice extends Omit<ScanSlice, 'copies'> {
  readonly responses: FoldedResponse[];
  readonly copyCount: number;
}

export function foldSlice(slice: ScanSlice, projectDir: string | null): FoldedSlice {
  const { copies, ...rest } = slice;
  return {
    ...rest,
    responses: foldCopies(copies.map((copy) => toCopyInput(copy, projectDir))),
    copyCount: copies.length,
  };
}
