/**
 * A reader thread: scans the files it is given, in order, and posts each slice. It may run at
 * most `MAX_UNACKED_BYTES` of file bytes ahead of the main thread's commits, which bounds memory
 * while letting it read on during a commit.
 */
import { parentPort } from 'node:worker_threads';
import { scanTranscript } from '../sources/claude-code/scan-transcript.js';
import { foldSlice } from './fold-slice.js';
import type { ToWorker, FromWorker } from './scan-protocol.js';
import { fileErrorCode } from './scan-executor.js';

const MAX_UNACKED_BYTES = 16 * 1024 * 1024;
const port = parentPort;
if (port === null) throw new Error('scan-worker must run in a worker thread');

const tasks: Extract<ToWorker, { type: 'task' }>[] = [];
let unackedBytes = 0;
let wakeUp: (() => void) | null = null;
let running = false;

function post(message: FromWorker): void {
  port?.postMessage(message);
}

async function creditAvailable(): Promise<void> {
  while (unackedBytes >= MAX_UNACKED_BYTES) {
    await new Promise<void>((resolve) => {
      wakeUp = resolve;
    });
  }
}

async function runTask(message: Extract<ToWorker, { type: 'task' }>): Promise<void> {
  try {
    for (const item of scanTranscript(message.target, message.limits)) {
      if (item.kind !== 'slice') {
        post({ type: 'refused', taskId: message.taskId, refused: item });
        break;
      }
      await creditAvailable();
      unackedBytes += item.endOffset - item.startOffset;
      post({ type: 'slice', taskId: message.taskId, slice: foldSlice(item, message.projectDir) });
    }
  } catch (error) {
    const code = fileErrorCode(error);
    if (code === null) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      post({ type: 'failed', taskId: message.taskId, message: text });
      return;
    }
    post({ type: 'file-error', taskId: message.taskId, code });
  }
  post({ type: 'done', taskId: message.taskId });
}

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  for (let task = tasks.shift(); task !== undefined; task = tasks.shift()) await runTask(task);
  running = false;
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'ack') {
    unackedBytes -= message.bytes;
    const resolve = wakeUp;
    wakeUp = null;
    resolve?.();
    return;
  }
  tasks.push(message);
  void drain();
});
