/** Messages between the main thread and reader threads. */
import type {
  ScanLimits,
  ScanRefused,
  ScanTarget,
} from '../sources/claude-code/scan-transcript.js';
import type { FoldedSlice } from './fold-slice.js';

export type ToWorker =
  | {
      readonly type: 'task';
      readonly taskId: number;
      readonly target: ScanTarget;
      readonly limits: ScanLimits;
      readonly projectDir: string | null;
    }
  | { readonly type: 'ack'; readonly taskId: number; readonly bytes: number };

export type FromWorker =
  | { readonly type: 'slice'; readonly taskId: number; readonly slice: FoldedSlice }
  | { readonly type: 'refused'; readonly taskId: number; readonly refused: ScanRefused }
  | { readonly type: 'file-error'; readonly taskId: number; readonly code: string }
  | { readonly type: 'failed'; readonly taskId: number; readonly message: string }
  | { readonly type: 'done'; readonly taskId: number };
