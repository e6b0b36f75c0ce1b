/**
 * Runs the reading side of a pass. `scanInline` reads on this thread; the worker pool in
 * scan-pool.ts has the same signature. Either way each slice is handed to `onSlice` in file
 * order, and a file's next slice is read only after the previous one was committed.
 */
import {
  scanTranscript,
  type ScanLimits,
  type ScanRefused,
} from '../sources/claude-code/scan-transcript.js';
import { foldSlice, type FoldedSlice } from './fold-slice.js';
import type { ScanTask } from './plan-pass.js';

export type SliceDecision = 'continue' | 'abort';

export type ScanExecutor = (
  tasks: readonly ScanTask[],
  limits: ScanLimits,
  onSlice: (task: ScanTask, slice: FoldedSlice, fromOffset: number) => SliceDecision,
  onRefused: (task: ScanTask, refused: ScanRefused) => void,
  onFileError: (task: ScanTask, code: string) => void,
) => Promise<void>;

export function toScanTarget(task: ScanTask) {
  return {
    path: task.file.path,
    dev: task.file.dev,
    ino: task.file.ino,
    fromOffset: task.file.byteOffset,
    anchorHash: task.file.anchorHash,
  };
}

/** File-system errors (with a `syscall`) concern one file; anything else is ours to raise. */
export function fileErrorCode(error: unknown): string | null {
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return typeof code === 'string' && typeof syscall === 'string' ? code : null;
}

export const scanInline: ScanExecutor = (tasks, limits, onSlice, onRefused, onFileError) => {
  for (const task of tasks) {
    let fromOffset = task.file.byteOffset;
    try {
      for (const item of scanTranscript(toScanTarget(task), limits)) {
        if (item.kind !== 'slice') {
          onRefused(task, item);
          break;
        }
        if (onSlice(task, foldSlice(item, task.file.projectDir), fromOffset) === 'abort') break;
        fromOffset = item.endOffset;
      }
    } catch (error) {
      const code = fileErrorCode(error);
      if (code === null) throw error;
      onFileError(task, code); // deleted or unreadable now: retried on the next pass
    }
  }
  return Promise.resolve();
};
