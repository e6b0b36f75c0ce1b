/**
 * Reader threads for big catch-ups. Parsing runs in up to `workers` threads while this thread
 * commits; each thread reads its files in order and a file's slices arrive in order. Small passes
 * (the usual case once caught up) stay on the main thread: starting threads would cost more.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanTask } from './plan-pass.js';
import type { FromWorker, ToWorker } from './scan-protocol.js';
import { scanInline, toScanTarget, type ScanExecutor } from './scan-executor.js';

const INLINE_BELOW_BYTES = 16 * 1024 * 1024;
/** File bytes queued per thread, so a thread never waits while the main thread commits. */
const BYTES_IN_FLIGHT = 24 * 1024 * 1024;

export interface ScanPool {
  readonly executor: ScanExecutor;
  close(): Promise<void>;
}

function pendingBytes(task: ScanTask): number {
  return Math.max(0, task.seen.size - task.file.byteOffset);
}

export function createScanPool(requestedWorkers: number | undefined): ScanPool {
  const maxWorkers = requestedWorkers ?? Math.min(2, Math.max(1, availableParallelism()));
  const workers: Worker[] = [];
  const executor: ScanExecutor = (tasks, limits, onSlice, onRefused, onFileError) => {
    const total = tasks.reduce((sum, task) => sum + pendingBytes(task), 0);
    if (maxWorkers === 0 || (requestedWorkers === undefined && total < INLINE_BELOW_BYTES)) {
      return scanInline(tasks, limits, onSlice, onRefused, onFileError);
    }
    const wanted = Math.min(maxWorkers, tasks.length);
    while (workers.length < wanted) {
      // A reader keeps little alive between slices: a small young generation bounds its memory.
      workers.push(
        new Worker(new URL('./scan-worker.js', import.meta.url), {
          resourceLimits: { maxYoungGenerationSizeMb: 4 },
        }),
      );
    }
    // Biggest first, so one huge file does not start last and run alone.
    const queue = [...tasks].sort((a, b) => pendingBytes(b) - pendingBytes(a));
    const active = workers.slice(0, wanted);
    return new Promise<void>((resolve, reject) => {
      const byId = new Map<number, { task: ScanTask; fromOffset: number; worker: Worker }>();
      const inFlight = new Map<Worker, number>(); // bytes handed to each thread, not yet done
      let nextId = 0;
      let failed = false;
      const finish = (error?: Error): void => {
        for (const worker of active) {
          worker.removeAllListeners('message');
          worker.removeAllListeners('error');
        }
        if (error !== undefined) reject(error);
        else resolve();
      };
      const dispatch = (worker: Worker): void => {
        while ((inFlight.get(worker) ?? 0) < BYTES_IN_FLIGHT) {
          const task = queue.shift();
          if (task === undefined) break;
          const taskId = nextId++;
          byId.set(taskId, { task, fromOffset: task.file.byteOffset, worker });
          inFlight.set(worker, (inFlight.get(worker) ?? 0) + pendingBytes(task) + 1);
          const message: ToWorker = {
            type: 'task',
            taskId,
            target: toScanTarget(task),
            limits,
            projectDir: task.file.projectDir,
          };
          worker.postMessage(message);
        }
        if (queue.length === 0 && byId.size === 0) finish();
      };
      const handle = (worker: Worker, message: FromWorker): void => {
        const entry = byId.get(message.taskId);
        if (entry === undefined || failed) return;
        if (message.type === 'slice') {
          const bytes = message.slice.endOffset - message.slice.startOffset;
          worker.postMessage({ type: 'ack', taskId: message.taskId, bytes } satisfies ToWorker);
          onSlice(entry.task, message.slice, entry.fromOffset);
          entry.fromOffset = message.slice.endOffset;
        } else if (message.type === 'refused') onRefused(entry.task, message.refused);
        else if (message.type === 'file-error') onFileError(entry.task, message.code);
        else if (message.type === 'failed')
          throw new Error(`reader thread failed: ${message.message}`);
        else {
          byId.delete(message.taskId);
          inFlight.set(worker, (inFlight.get(worker) ?? 0) - pendingBytes(entry.task) - 1);
          dispatch(worker);
        }
      };
      for (const worker of active) {
        worker.on('message', (message: FromWorker) => {
          try {
            handle(worker, message);
          } catch (error) {
            failed = true;
            finish(error instanceof Error ? error : new Error(String(error)));
          }
        });
        worker.on('error', (error) => {
          failed = true;
          finish(error);
        });
      }
      for (const worker of active) dispatch(worker);
    });
  };
  return {
    executor,
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
      workers.length = 0;
    },
  };
}
