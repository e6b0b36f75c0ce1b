/**
 * Config storm, persisted (reliability §3 T13–T15): a child process rewrites `~/.claude.json`
 * 10,000 times the ways Claude Code does (torn chunked writes, atomic renames, resets, stale
 * backup restores, a corrupted file, new and resumed sessions, growing counters) while the
 * claude-json step polls it as fast as it can into a real ledger, and the tracker is crashed
 * mid-commit and restarted from the ledger a few times. The writer's truth is the oracle: per
 * (project, session, field) the recorded baseline plus deltas never exceed the true final value,
 * no delta is negative, and after the last save every current session is recorded exactly.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { changesAfter, type StoredChange } from '../../src/store/change-log.js';
import { openLedger, type Ledger } from '../../src/store/database.js';
import { ClaudeJsonTracker, type ClaudeJsonOutcome } from '../../src/tracker/claude-json-step.js';

const WRITER = fileURLToPath(new URL('./claude-json-writer.js', import.meta.url));
const REWRITES = 10_000;
/** Crash-and-restart points, in rewrites done by the writer. */
const RESTART_AT = new Set([2_000, 4_000, 6_000, 8_000]);
const TOLERANCE = 1e-6;

/** Trail names → the file's own names (the writer's truth speaks Claude Code's keys). */
const COLUMN_KEYS: Record<string, string> = {
  inputTokens: 'lastTotalInputTokens',
  outputTokens: 'lastTotalOutputTokens',
  cacheCreationTokens: 'lastTotalCacheCreationInputTokens',
  cacheReadTokens: 'lastTotalCacheReadInputTokens',
  webSearchRequests: 'lastTotalWebSearchRequests',
  costUsd: 'lastCost',
  linesAdded: 'lastLinesAdded',
  linesRemoved: 'lastLinesRemoved',
  apiDurationMs: 'lastAPIDuration',
  durationMs: 'lastDuration',
};
const TOKEN_KEYS = new Set([
  'lastTotalInputTokens',
  'lastTotalOutputTokens',
  'lastTotalCacheCreationInputTokens',
  'lastTotalCacheReadInputTokens',
]);
const isTokenKey = (key: string) =>
  TOKEN_KEYS.has(key) || /:(inputTokens|outputTokens|cacheReadInputTokens)$/.test(key);

interface Truth {
  readonly finals: [string, string, string, number][];
  readonly current: [string, string][];
  readonly stats: Record<string, number>;
}

const keyOf = (project: string, session: string, key: string) => `${project}|${session}|${key}`;

/** Baseline totals plus every delta the trail recorded, per (project, session, file key). */
function recordedSums(changes: readonly StoredChange[]): {
  sums: Map<string, number>;
  negatives: number;
} {
  const sums = new Map<string, number>();
  let negatives = 0;
  const add = (change: StoredChange, key: string, amount: unknown) => {
    if (typeof amount !== 'number') return;
    if (amount < 0) negatives++;
    const sum = keyOf(change.project ?? '', change.sessionId ?? '', key);
    sums.set(sum, (sums.get(sum) ?? 0) + amount);
  };
  for (const change of changes) {
    const detail = change.detail ?? {};
    const models = (change.kind === 'baseline' ? detail['modelsTo'] : detail['models']) as
      | Record<string, Record<string, number>>
      | undefined;
    for (const [model, fields] of Object.entries(models ?? {})) {
      for (const [field, amount] of Object.entries(fields))
        add(change, `model:${model}:${field}`, amount);
    }
    const session =
      change.kind === 'baseline'
        ? (detail['to'] as Record<string, number>)
        : { ...change.delta, ...(detail['durations'] as Record<string, number> | undefined) };
    for (const [field, amount] of Object.entries(session ?? {})) {
      const key = COLUMN_KEYS[field];
      if (key !== undefined && (amount !== 0 || change.kind === 'baseline'))
        add(change, key, amount);
    }
  }
  return { sums, negatives };
}

function allChanges(db: Ledger): StoredChange[] {
  const changes: StoredChange[] = [];
  for (
    let page = changesAfter(db, 0);
    page.length > 0;
    page = changesAfter(db, page.at(-1)?.id ?? 0)
  ) {
    changes.push(...page);
  }
  return changes.filter((change) => change.source === 'claude-json');
}

describe('~/.claude.json storm into the ledger', () => {
  it('10,000 rewrites by a child process, crashes and restarts: 0 false-delta tokens, no negative delta, current sessions exact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctt-claude-json-storm-'));
    const path = join(dir, '.claude.json');
    const ledgerPath = join(dir, 'ledger.db');
    const writer = spawn(process.execPath, [WRITER, path, '20261204', String(REWRITES)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: writer.stdout });
      let ready!: () => void;
      const isReady = new Promise<void>((resolve) => (ready = resolve));
      let truth: Truth | undefined;
      let restartRequested = false;
      lines.on('line', (line) => {
        if (line === 'ready') ready();
        else if (line.startsWith('progress '))
          restartRequested ||= RESTART_AT.has(Number(line.slice(9)));
        else truth = JSON.parse(line) as Truth;
      });
      const exited = new Promise<number | null>((resolve) => writer.on('exit', resolve));
      let writing = true;
      void exited.then(() => (writing = false));
      await isReady;

      let db = openLedger(ledgerPath);
      let crashNext = false;
      const tracker = () =>
        new ClaudeJsonTracker(db, path, Date.now, {
          retries: 2,
          retryDelayMs: 0,
          beforeCommit: () => {
            if (!crashNext) return;
            crashNext = false;
            throw new Error('crash inside the commit');
          },
        });
      let step = tracker();
      expect((await step.poll()).changes.map((c) => c.kind)).toEqual(['baseline']);
      writer.stdin.end('go\n');

      const outcomes = new Map<ClaudeJsonOutcome, number>();
      const counts = { polls: 0, tornReads: 0, crashes: 0, restarts: 0 };
      let armedPolls: number | null = null; // polls since the crash was armed
      while (writing) {
        if (restartRequested && armedPolls === null) [crashNext, armedPolls] = [true, 0];
        const result = await step.poll();
        counts.polls++;
        counts.tornReads += result.tornReads;
        outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
        // the crash hits the first commit after arming; a quiet stretch restarts without one
        if (armedPolls !== null && (result.outcome === 'error' || ++armedPolls > 50)) {
          // the process dies: its connection and in-memory marks are gone; a new one starts
          if (result.outcome === 'error') counts.crashes++;
          db.close();
          db = openLedger(ledgerPath);
          step = tracker();
          [restartRequested, crashNext, armedPolls] = [false, false, null];
          counts.restarts++;
        }
        await yieldToLoop();
      }
      expect(await exited).toBe(0);
      expect(truth).toBeDefined();
      const final = await step.poll(); // the last save, read after the writer stopped
      expect(final.outcome).toMatch(/^(changed|unchanged)$/);
      const afterRestart = (await tracker().poll()).changes; // a restart now records nothing

      const { finals, current, stats } = truth as Truth;
      const truthBy = new Map(finals.map(([p, s, k, v]) => [keyOf(p, s, k), v]));
      const changes = allChanges(db);
      const { sums, negatives } = recordedSums(changes);
      let excessTokens = 0;
      let excessOther = 0;
      for (const [key, sum] of sums) {
        const trueFinal = truthBy.get(key);
        expect(trueFinal, key).toBeDefined();
        const excess = Math.max(0, sum - (trueFinal ?? 0) - TOLERANCE);
        if (isTokenKey(key.slice(key.lastIndexOf('|') + 1))) excessTokens += excess;
        else excessOther += excess;
      }
      let [truthTokens, unobservedTokens] = [0, 0]; // overwritten between two polls: §2.7's limit
      for (const [p, s, key, value] of finals) {
        if (!isTokenKey(key)) continue;
        truthTokens += value;
        unobservedTokens += value - (sums.get(keyOf(p, s, key)) ?? 0);
      }
      let currentKeys = 0;
      for (const [project, session] of current) {
        for (const [p, s, key, value] of finals) {
          if (p !== project || s !== session) continue;
          currentKeys++;
          expect(sums.get(keyOf(p, s, key)) ?? 0, keyOf(p, s, key)).toBeCloseTo(value, 6);
        }
      }
      const kinds = new Map<string, number>();
      for (const { kind } of changes) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const figures = {
        ...counts,
        outcomes: Object.fromEntries(outcomes),
        rows: Object.fromEntries(kinds),
        writer: stats,
        excessTokens,
        excessOther,
        unobservedTokens,
        truthTokens,
        negatives,
        currentKeys,
      };
      if (process.env['CTT_STORM_REPORT']) console.info(JSON.stringify(figures));
      expect(excessTokens).toBe(0);
      expect(afterRestart).toEqual([]);
      expect(excessOther).toBe(0);
      expect(negatives).toBe(0);
      expect(counts.tornReads).toBeGreaterThan(0);
      expect(counts.restarts).toBe(RESTART_AT.size);
      expect(counts.crashes).toBeGreaterThan(0);
      expect(currentKeys).toBeGreaterThan(0);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    } finally {
      writer.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
