/**
 * Reader threads for big catch-ups. Parsing runs in up to `workers` threads while this thread
 * commits; a file's slices still arrive in order and each waits for its commit. Small passes
 * (the usual case once caught up) stay on the main thread: starting threads would cost more.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanTask } from './plan-pass.js';
import type { FromWorker, ToWorker } from './scan-protocol.js';
import { scanInline, toScanTarget, type ScanExecutor } from './scan-executor.js';

const INLINE_BELOW_BYTES = 16 * 1024 * 1024;

export interface ScanPool {
  readonly executor: ScanExecutor;
  close(): Promise<void>;
}

function workerUrl(): URL {
  return new URL('./scan-worker.js', import.meta.url);
}

function pendingBytes(tasks: readonly ScanTask[]): number {
  return tasks.reduce((sum, task) => sum + Math.max(0, task.seen.size - task.file.byteOffset), 0);
}

export function createScanPool(requestedWorkers: number | undefined): ScanPool {
  const maxWorkers = requestedWorkers ?? Math.min(2, Math.max(1, availableParallelism()));
  const workers: Worker[] = [];
  const executor: ScanExecutor = async (tasks, limits, onSlice, onRefused, onFileError) => {
    if (
      maxWorkers === 0 ||
      (requestedWorkers === undefined && pendingBytes(tasks) < INLINE_BELOW_BYTES)
    ) {
      return scanInline(tasks, limits, onSlice, onRefused, onFileError);
    }
    while (workers.length < Math.min(maxWorkers, tasks.length))
      workers.push(new Worker(workerUrl()));
    // Biggest first, so one huge file does not start last and run alone.
    const queue = [...tasks].sort(
      (a, b) => b.seen.size - b.file.byteOffset - (a.seen.size - a.file.byteOffset),
    );
    const byId = new Map<number, { task: ScanTask; fromOffset: number }>();
    let nextId = 0;
    await Promise.all(
      workers.slice(0, Math.min(workers.length, tasks.length)).map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = (message: ToWorker): void => worker.postMessage(message);
            const startNext = (): void => {
              const task = queue.shift();
              if (task === undefined) {
                worker.off('message', onMessage);
                worker.off('error', reject);
                resolve();
                return;
              }
              const taskId = nextId++;
              byId.set(taskId, { task, fromOffset: task.file.byteOffset });
              send({ type: 'task', taskId, target: toScanTarget(task), limits });
            };
            const onMessage = (message: FromWorker): void => {
              const entry = byId.get(message.taskId);
              if (entry === undefined) return;
              try {
                if (message.type === 'slice') {
                  const decision = onSlice(entry.task, message.slice, entry.fromOffset);
                  entry.fromOffset = message.slice.endOffset;
                  send({ type: 'ack', taskId: message.taskId, decision });
                } else if (message.type === 'refused') onRefused(entry.task, message.refused);
                else if (message.type === 'file-error') onFileError(entry.task, message.code);
                else if (message.type === 'failed')
                  throw new Error(`reader thread failed: ${message.message}`);
                else {
                  byId.delete(message.taskId);
                  startNext();
                }
              } catch (error) {
                worker.off('message', onMessage);
                reject(error instanceof Error ? error : new Error(String(error)));
              }
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
            startNext();
          }),
      ),
    );
  };
  return {
    executor,
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
      workers.length = 0;
    },
  };
}
