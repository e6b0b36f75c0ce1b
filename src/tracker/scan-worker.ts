/**
 * A reader thread: scans the file it is given and posts each slice, then waits for the main
 * thread to commit it (or to say the file moved on) before reading further.
 */
import { parentPort } from 'node:worker_threads';
import { scanTranscript } from '../sources/claude-code/scan-transcript.js';
import type { ToWorker, FromWorker } from './scan-protocol.js';
import { fileErrorCode } from './scan-executor.js';

const port = parentPort;
if (port === null) throw new Error('scan-worker must run in a worker thread');

let waitingForAck: ((decision: 'continue' | 'abort') => void) | null = null;

function post(message: FromWorker): void {
  port?.postMessage(message);
}

async function runTask(message: Extract<ToWorker, { type: 'task' }>): Promise<void> {
  try {
    for (const item of scanTranscript(message.target, message.limits)) {
      if (item.kind !== 'slice') {
        post({ type: 'refused', taskId: message.taskId, refused: item });
        break;
      }
      const ack = new Promise<'continue' | 'abort'>((resolve) => {
        waitingForAck = resolve;
      });
      post({ type: 'slice', taskId: message.taskId, slice: item });
      if ((await ack) === 'abort') break;
    }
  } catch (error) {
    const code = fileErrorCode(error);
    if (code === null) {
      post({
        type: 'failed',
        taskId: message.taskId,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return;
    }
    post({ type: 'file-error', taskId: message.taskId, code });
  }
  post({ type: 'done', taskId: message.taskId });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'ack') {
    const resolve = waitingForAck;
    waitingForAck = null;
    resolve?.(message.decision);
    return;
  }
  void runTask(message);
});
