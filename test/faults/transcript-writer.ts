/**
 * A live Claude Code stand-in for fault tests: a child process that appends transcript lines to
 * several session files the way Claude Code does (files created as it goes, lines written in two
 * parts with a pause between, a response streamed as several copies of one message id, a few
 * corrupt lines, verbatim replays of finished responses into other files) and keeps a process file
 * naming its current session. On SIGTERM it finishes the line in hand, removes its process file
 * and writes the truth file: every byte offset of every usage and corrupt line, and the exact
 * token totals per session, computed from what it wrote, never from the ledger.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WRITER_SCRIPT } from './transcript-writer-script.js';

export interface WriterConfig {
  readonly projectsDir: string;
  /** `<config dir>/sessions`: the writer's process file goes here. */
  readonly sessionsDir: string;
  readonly truthPath: string;
  readonly seed: number;
  /** Stops by itself after this many lines (SIGTERM stops it sooner). */
  readonly maxLines: number;
  /** Files created at the start; more are created while it runs, up to `maxFiles`. */
  readonly initialFiles: number;
  readonly maxFiles: number;
  /** Lines per burst, and the pause between bursts (uniform, ms). */
  readonly burstLines: number;
  readonly burstPauseMs: readonly [number, number];
  readonly splitRatio: number;
  readonly splitPauseMs: readonly [number, number];
  readonly corruptRatio: number;
  readonly replayRatio: number;
  /** Copies per response: 1 to this many, tokens growing as a stream does. */
  readonly maxCopies: number;
}

export interface SessionTruth {
  responses: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheCreation1hTokens: number;
  cacheReadTokens: number;
  webSearchRequests: number;
}

export interface FileTruth {
  readonly bytes: number;
  readonly lines: number;
  readonly usageOffsets: number[];
  readonly corruptOffsets: number[];
}

export interface WriterTruth {
  readonly lines: number;
  readonly usageLines: number;
  readonly corruptLines: number;
  readonly splitWrites: number;
  readonly replays: number;
  readonly sessionSwitches: number;
  readonly files: Record<string, FileTruth>;
  readonly totals: SessionTruth;
  readonly sessions: Record<string, SessionTruth>;
}

export interface TranscriptWriter {
  readonly child: ChildProcess;
  /** Resolves once the child has started writing. */
  readonly started: Promise<void>;
  /** Asks the writer to stop (SIGTERM), waits for it, returns what it wrote. */
  stop(): Promise<WriterTruth>;
  /** Waits until it stopped by itself (`maxLines`), returns what it wrote. */
  finished(): Promise<WriterTruth>;
  /** Cleanup after a failed test: SIGKILL if still running. */
  kill(): Promise<void>;
}

/** Starts a writer child; `scriptDir` receives the script file. */
export function startTranscriptWriter(scriptDir: string, config: WriterConfig): TranscriptWriter {
  const script = join(scriptDir, 'transcript-writer.mjs');
  writeFileSync(script, WRITER_SCRIPT);
  const child = spawn(process.execPath, [script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let onOutput: () => void = () => undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    onOutput();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
  const started = new Promise<void>((resolve, reject) => {
    onOutput = () => {
      if (output.startsWith('writing\n')) resolve();
    };
    void exited.then(() => reject(new Error('transcript writer exited before writing')));
  });
  const finished = async (): Promise<WriterTruth> => {
    const code = await exited;
    if (code !== 0) throw new Error(`transcript writer exited with ${code}`);
    return JSON.parse(readFileSync(config.truthPath, 'utf8')) as WriterTruth;
  };
  return {
    child,
    started,
    finished,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return finished();
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
