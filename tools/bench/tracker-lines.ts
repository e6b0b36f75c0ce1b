import type { Random } from '../corpus/random.js';
import type { TextPool } from '../corpus/text-pool.js';

/**
 * Plain transcript lines for the tracker benchmark, in the envelope Claude Code 2.1 writes
 * (chain and session fields, type and body, uuid, timestamp). Each assistant line is a new
 * response (its own `message.id` and `requestId`) of a chosen size; user lines only fill the
 * tree. The corpus generator's eras, traps and oracle are not needed here: what is measured is
 * how fast and how cheaply lines reach the ledger, not what they count.
 */

export const BENCH_MODEL = 'claude-sonnet-4-5-20250929';
const VERSION = '2.1.300';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** One transcript file being written: a main session or one of its subagents. */
export interface BenchThread {
  readonly path: string;
  readonly sessionId: string;
  readonly cwd: string;
  /** Subagent id, or null for the main thread. */
  readonly agentId: string | null;
  lastUuid: string | null;
}

export function uuidOf(rng: Random): string {
  const hex = rng.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function base62(rng: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[rng.int(0, 61)] ?? '0';
  return out;
}

/** `/home/dev/src/<name>` and its project folder name (Claude Code replaces `/` with `-`). */
export function projectOf(name: string): { readonly cwd: string; readonly folder: string } {
  const cwd = `/home/dev/src/${name}`;
  return { cwd, folder: cwd.replaceAll('/', '-') };
}

function envelope(thread: BenchThread, rng: Random, type: string, timeMs: number) {
  const uuid = uuidOf(rng);
  const head = {
    parentUuid: thread.lastUuid,
    isSidechain: thread.agentId !== null,
    userType: 'external',
    entrypoint: 'cli',
    cwd: thread.cwd,
    sessionId: thread.sessionId,
    version: VERSION,
    gitBranch: 'main',
    ...(thread.agentId === null ? {} : { agentId: thread.agentId }),
    type,
  };
  thread.lastUuid = uuid;
  return { head, tail: { uuid, timestamp: new Date(timeMs).toISOString() } };
}

export interface AssistantLine {
  /** The line with its newline. */
  readonly text: string;
  readonly messageId: string;
}

/** An assistant line of about `targetBytes` bytes (text content padded to the size). */
export function assistantLine(
  thread: BenchThread,
  rng: Random,
  pool: TextPool,
  timeMs: number,
  targetBytes: number,
): AssistantLine {
  const messageId = `msg_01${base62(rng, 22)}`;
  const { head, tail } = envelope(thread, rng, 'assistant', timeMs);
  const cacheWrite = rng.int(0, 4_000);
  const usage = {
    input_tokens: rng.int(1, 40),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: rng.int(10_000, 120_000),
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: rng.int(20, 1_500),
    service_tier: 'standard',
  };
  const requestId = `req_011C${base62(rng, 20)}`;
  const build = (text: string): string =>
    JSON.stringify({
      ...head,
      message: {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model: BENCH_MODEL,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage,
      },
      requestId,
      ...tail,
    });
  const bare = build('').length;
  // JSON escapes make the line a little longer than the text; close enough for a size mix.
  const text = pool.text(rng, Math.max(16, targetBytes - bare - 1));
  return { text: `${build(text)}\n`, messageId };
}

/** A user prompt line of about `targetBytes` bytes (no usage: it never becomes a row). */
export function userLine(
  thread: BenchThread,
  rng: Random,
  pool: TextPool,
  timeMs: number,
  targetBytes: number,
): string {
  const { head, tail } = envelope(thread, rng, 'user', timeMs);
  const text = pool.text(rng, Math.max(16, targetBytes - 400));
  return `${JSON.stringify({ ...head, message: { role: 'user', content: text }, ...tail })}\n`;
}

/** Claude Code's process file of a running session (`<config dir>/sessions/<pid>.json`). */
export function processFileText(pid: number, sessionId: string, cwd: string): string {
  return JSON.stringify({
    pid,
    sessionId,
    cwd,
    startedAt: Date.now(),
    version: VERSION,
    kind: 'interactive',
    entrypoint: 'cli',
  });
}
