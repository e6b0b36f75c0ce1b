/**
 * Reliability §3 T13–T15 for `~/.claude.json`: a monotone "truth" (sessions whose counters only
 * grow) is written as Claude Code writes it, with the hazards Claude Code produces: torn files,
 * resets to defaults, stale backup restores, atomic renames. Whatever the reader sees, the sum of
 * the deltas the tracker emits per (project, session, field) must equal the highest value it read
 * for that key and never exceed the truth's final value: 0 false-positive tokens.
 */
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_HIGH_WATER, type HighWater } from '../../core/counter-marks.js';
import { trackCounters, type CounterAnomaly } from '../../core/counter-tracking.js';
import {
  COUNTER_SOURCE_KEYS,
  counterKey,
  isCostKey,
  modelKey,
  parseMarkKey,
  snapshotValues,
  type CounterField,
} from '../../core/counter-values.js';
import {
  fingerprintOf,
  readClaudeJsonStable,
  type ClaudeJsonFingerprint,
  type ClaudeJsonFs,
  type ClaudeJsonRead,
} from './claude-json-read.js';

const PROJECTS = ['/home/alice/src/webapp', '/home/alice/src/api'];
const MODELS = ['claude-opus-5-5', 'anthropic.claude-haiku-5-5-20251001-v1:0'];
const TOKEN_FIELDS: CounterField[] = [
  'inputTokens',
  'outputTokens',
  'cacheCreationTokens',
  'cacheReadTokens',
];
const SESSION_FIELDS: CounterField[] = [
  ...TOKEN_FIELDS,
  'costUsd',
  'linesAdded',
  'linesRemoved',
  'durationMs',
];
const KEYS = [
  ...SESSION_FIELDS.map(counterKey),
  ...MODELS.flatMap((m) =>
    (['inputTokens', 'cacheReadInputTokens', 'costUSD'] as const).map((f) => modelKey(m, f)),
  ),
];
const TOKEN_KEYS = new Set(TOKEN_FIELDS.map(counterKey));
const TOLERANCE = 1e-6;

type Step =
  | {
      readonly kind: 'grow' | 'new-session';
      readonly project: number;
      readonly increments: number[];
    }
  | {
      readonly kind: 'resume';
      readonly project: number;
      readonly pick: number;
      readonly increments: number[];
    }
  | { readonly kind: 'reset'; readonly empty: boolean }
  | { readonly kind: 'stale'; readonly pick: number }
  | { readonly kind: 'torn'; readonly cutPermille: number };

/** Steps with their relative weights: [grow, new-session, resume, reset, stale, torn]. */
function stepArb(weights: readonly number[]): fc.Arbitrary<Step> {
  const project = fc.nat(PROJECTS.length - 1);
  // most fields stand still in most steps: a save that changes only lines, or only cost
  const increments = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.nat(5_000)), {
    minLength: KEYS.length,
    maxLength: KEYS.length,
  });
  const [grow = 0, fresh = 0, resume = 0, reset = 0, stale = 0, torn = 0] = weights;
  return fc.oneof(
    {
      weight: grow,
      arbitrary: fc.record({ kind: fc.constant('grow' as const), project, increments }),
    },
    {
      weight: fresh,
      arbitrary: fc.record({ kind: fc.constant('new-session' as const), project, increments }),
    },
    {
      weight: resume,
      arbitrary: fc.record({
        kind: fc.constant('resume' as const),
        project,
        pick: fc.nat(),
        increments,
      }),
    },
    {
      weight: reset,
      arbitrary: fc.record({ kind: fc.constant('reset' as const), empty: fc.boolean() }),
    },
    {
      weight: stale,
      arbitrary: fc.record({ kind: fc.constant('stale' as const), pick: fc.nat(4) }),
    },
    {
      weight: torn,
      arbitrary: fc.record({ kind: fc.constant('torn' as const), cutPermille: fc.nat(999) }),
    },
  );
}

const keyOf = (project: string, sessionId: string, key: string) =>
  `${project}\u0000${sessionId}\u0000${key}`;
/** True for a `keyOf` key of a session token total. */
const isTokenKey = (key: string) => TOKEN_KEYS.has(key.slice(key.lastIndexOf('\u0000') + 1));

/** The monotone truth and the file texts Claude Code would write for it. */
class TruthFile {
  private readonly projects = PROJECTS.map(() => ({
    sessions: [] as { id: string; values: Map<string, number> }[],
    current: -1,
  }));
  private readonly backups: string[] = [];
  private sessions = 0;
  private saves = 0;
  /** `backupEvery`: like Claude Code's backups (at most one a minute, newest 5 kept). */
  constructor(
    private readonly fillerBytes: number,
    private readonly backupEvery = 1,
  ) {}

  /** Applies one step; returns what the file holds afterwards. */
  apply(step: Step): string {
    if (step.kind === 'reset') {
      if (step.empty) return '{}';
      return JSON.stringify({
        projects: Object.fromEntries(PROJECTS.map((p) => [p, { allowedTools: [] }])),
      });
    }
    if (step.kind === 'stale') return this.backups.at(-1 - step.pick) ?? this.text();
    if (step.kind === 'torn') {
      const text = this.text();
      return text.slice(0, Math.floor((text.length * step.cutPermille) / 1000));
    }
    const project = this.projects[step.project];
    if (project === undefined) throw new Error('no project');
    if (step.kind === 'new-session' || project.current < 0) {
      project.sessions.push({ id: `session-${++this.sessions}`, values: new Map() });
      project.current = project.sessions.length - 1;
    } else if (step.kind === 'resume') {
      project.current = step.pick % project.sessions.length;
    }
    const session = project.sessions[project.current];
    KEYS.forEach((key, i) => {
      const increment = isCostKey(key)
        ? (step.increments[i] ?? 0) / 100
        : (step.increments[i] ?? 0);
      session?.values.set(key, (session.values.get(key) ?? 0) + increment);
    });
    const text = this.text();
    if (this.saves++ % this.backupEvery === 0) this.backups.push(text);
    if (this.backups.length > 5) this.backups.shift();
    return text;
  }

  text(): string {
    const projects: Record<string, unknown> = {};
    this.projects.forEach(({ sessions, current }, i) => {
      const entry: Record<string, unknown> = {
        allowedTools: [],
        history: ['h'.repeat(this.fillerBytes)],
      };
      const session = sessions[current];
      if (session !== undefined) {
        const models: Record<string, Record<string, number>> = {};
        for (const [key, value] of session.values) {
          const { model, field } = parseMarkKey(key);
          if (model === null) entry[COUNTER_SOURCE_KEYS[field as CounterField]] = value;
          else (models[model] ??= {})[field] = value;
        }
        Object.assign(entry, { lastModelUsage: models, lastSessionId: session.id });
      }
      projects[PROJECTS[i] ?? ''] = entry;
    });
    return JSON.stringify({ numStartups: 1, userID: 'u', projects });
  }

  currentSessions(): [string, string][] {
    return this.projects.flatMap(({ sessions, current }, i) => {
      const session = sessions[current];
      return session === undefined ? [] : [[PROJECTS[i] ?? '', session.id] as [string, string]];
    });
  }

  finals(): Map<string, number> {
    const finals = new Map<string, number>();
    this.projects.forEach(({ sessions }, i) => {
      for (const { id, values } of sessions) {
        for (const [key, value] of values) finals.set(keyOf(PROJECTS[i] ?? '', id, key), value);
      }
    });
    return finals;
  }
}

/** Reads, tracks and keeps the per-key sums of emitted deltas and the highest values read. */
class Observer {
  highWater: HighWater = EMPTY_HIGH_WATER;
  previous: ClaudeJsonFingerprint | undefined;
  readonly sums = new Map<string, number>();
  readonly seenMax = new Map<string, number>();
  readonly anomalies = new Map<CounterAnomaly['kind'], number>();
  readonly stats = {
    reads: 0,
    snapshots: 0,
    unchanged: 0,
    unstable: 0,
    tornAttempts: 0,
    changes: 0,
  };
  /** Negative control: a reader that takes a failed parse as empty and follows every value. */
  naiveTokens = 0;
  private naive = new Map<string, number>();

  async read(path: string, fs?: ClaudeJsonFs): Promise<ClaudeJsonRead> {
    const options = {
      retries: 2,
      retryDelayMs: 0,
      ...(fs && { fs }),
      ...(this.previous && { previous: this.previous }),
    };
    const read = await readClaudeJsonStable(path, options);
    this.stats.reads++;
    if (read.kind === 'unstable') {
      this.stats.unstable++;
      if (read.reason !== 'no projects') this.stats.tornAttempts += read.attempts;
      this.naive.clear();
      return read;
    }
    this.stats.tornAttempts += read.attempts - 1;
    if (read.kind === 'missing') return read;
    this.previous = fingerprintOf(read);
    if (read.kind === 'unchanged') return (this.stats.unchanged++, read);
    this.stats.snapshots++;
    for (const snapshot of read.projects) {
      for (const [key, value] of snapshotValues(snapshot)) {
        const naiveKey = `${snapshot.projectPath}\u0000${key}`;
        const before = this.naive.get(naiveKey) ?? 0;
        if (TOKEN_KEYS.has(key) && value > before) this.naiveTokens += value - before;
        this.naive.set(naiveKey, value);
        const seen = keyOf(snapshot.projectPath, snapshot.sessionId ?? '', key);
        this.seenMax.set(seen, Math.max(value, this.seenMax.get(seen) ?? 0));
      }
    }
    const result = trackCounters(this.highWater, read.projects, { observedAtMs: this.stats.reads });
    this.highWater = result.next;
    this.stats.changes += result.changes.length;
    for (const change of result.changes) {
      for (const { key, delta } of change.deltas) {
        const sum = keyOf(change.projectPath, change.sessionId ?? '', key);
        this.sums.set(sum, (this.sums.get(sum) ?? 0) + delta);
      }
    }
    for (const { kind } of result.anomalies)
      this.anomalies.set(kind, (this.anomalies.get(kind) ?? 0) + 1);
    return read;
  }

  /** Checks the oracle; returns the false-positive and unobserved session tokens. */
  verify(finals: ReadonlyMap<string, number>): { falseTokens: number; unobservedTokens: number } {
    let falseTokens = 0;
    let unobservedTokens = 0;
    for (const [key, sum] of this.sums) {
      const final = finals.get(key);
      expect(final, key).toBeDefined();
      expect(sum, key).toBeLessThanOrEqual((final ?? 0) + TOLERANCE);
      expect(Math.abs(sum - (this.seenMax.get(key) ?? 0)), key).toBeLessThanOrEqual(TOLERANCE);
      if (isTokenKey(key)) falseTokens += Math.max(0, sum - (final ?? 0));
    }
    for (const [key, final] of finals) {
      const seen = this.seenMax.get(key);
      if (seen !== undefined && Math.abs(seen - final) <= TOLERANCE) {
        expect(Math.abs((this.sums.get(key) ?? 0) - final), key).toBeLessThanOrEqual(TOLERANCE);
      }
      if (isTokenKey(key)) unobservedTokens += final - (this.sums.get(key) ?? 0);
    }
    return { falseTokens, unobservedTokens };
  }
}

/** After a read of the final state, every current session is counted to its final value. */
function expectCurrentSessionsCounted(observer: Observer, truth: TruthFile): void {
  const finals = truth.finals();
  for (const [project, sessionId] of truth.currentSessions()) {
    for (const key of KEYS) {
      const final = finals.get(keyOf(project, sessionId, key)) ?? 0;
      expect(observer.sums.get(keyOf(project, sessionId, key)) ?? 0, key).toBeCloseTo(final, 6);
    }
  }
}

describe('~/.claude.json hazards', () => {
  it('property: deltas per (project, session, field) sum to the highest value read, never above the truth', async () => {
    const command = fc.record({ step: stepArb([50, 8, 4, 8, 8, 12]), observe: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 60 }), async (commands) => {
        const truth = new TruthFile(0);
        let bytes = Buffer.from(truth.text());
        let version = 1n;
        const fs: ClaudeJsonFs = {
          stat: () =>
            Promise.resolve({
              ino: 1n,
              size: BigInt(bytes.length),
              mtimeNs: version,
              ctimeNs: version,
            }),
          readFile: () => Promise.resolve(bytes),
        };
        const observer = new Observer();
        for (const { step, observe } of commands) {
          bytes = Buffer.from(truth.apply(step));
          version++;
          if (!observe) continue;
          const read = await observer.read('/virtual/.claude.json', fs);
          if (step.kind === 'torn') {
            expect(read).toMatchObject({ kind: 'unstable', reason: 'parse error' });
          }
        }
        expect(observer.verify(truth.finals()).falseTokens).toBe(0);
        bytes = Buffer.from(truth.text()); // the next real save
        version++;
        await observer.read('/virtual/.claude.json', fs);
        expect(observer.verify(truth.finals()).falseTokens).toBe(0);
        expectCurrentSessionsCounted(observer, truth);
      }),
      { numRuns: 300, seed: 1204 },
    );
  });

  it('storm: 10,000 rewrites (chunked truncate+write and atomic renames) under a reading tracker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctt-claude-json-storm-'));
    try {
      const path = join(dir, '.claude.json');
      const truth = new TruthFile(6_000, 40);
      writeFileSync(path, truth.text());
      const steps = fc.sample(stepArb([970, 10, 5, 8, 7, 0]), { numRuns: 10_000, seed: 20261204 });
      const observer = new Observer();
      let writing = true;
      const writer = (async () => {
        for (const [i, step] of steps.entries()) {
          const bytes = Buffer.from(truth.apply(step));
          if (i % 2 === 0) {
            // Claude Code's atomic writer: a temp file next to the target, then rename
            const tmp = `${path}.tmp.${process.pid}.${i}`;
            writeFileSync(tmp, bytes);
            renameSync(tmp, path);
          } else {
            // the non-atomic fallback: truncate, then write in chunks while the reader runs
            const fd = openSync(path, 'r+');
            ftruncateSync(fd, 0);
            const chunk = Math.ceil(bytes.length / 4);
            for (let offset = 0; offset < bytes.length; offset += chunk) {
              writeSync(fd, bytes, offset, Math.min(chunk, bytes.length - offset), offset);
              await yieldToLoop();
            }
            closeSync(fd);
          }
          // a reset or a restore lasts until Claude Code's next save: at least one poll
          const polls = step.kind === 'reset' || step.kind === 'stale' ? 2 : i % 10 === 0 ? 1 : 0;
          const target = observer.stats.reads + polls;
          while (observer.stats.reads < target) await yieldToLoop();
          await yieldToLoop();
        }
        writeFileSync(path, truth.text()); // the last save: the real state
      })().finally(() => (writing = false));
      while (writing) {
        await observer.read(path);
        await yieldToLoop();
      }
      await writer;
      expect((await observer.read(path)).kind).toMatch(/^(snapshot|unchanged)$/);
      const { falseTokens, unobservedTokens } = observer.verify(truth.finals());
      const truthTotal = [...truth.finals()]
        .filter(([key]) => isTokenKey(key))
        .reduce((sum, [, value]) => sum + value, 0);
      if (process.env['CTT_STORM_REPORT']) {
        console.info(
          JSON.stringify({
            ...observer.stats,
            anomalies: Object.fromEntries(observer.anomalies),
            falseTokens,
            unobservedTokens,
            truthTotal,
            naiveTokens: observer.naiveTokens,
          }),
        );
      }
      expect(observer.stats.tornAttempts).toBeGreaterThanOrEqual(1_000);
      expect(falseTokens).toBe(0);
      expect(observer.naiveTokens).toBeGreaterThan(truthTotal); // the oracle can see over-counting
      expect(observer.anomalies.get('reset')).toBeGreaterThan(0);
      expect(
        observer.anomalies.get('stale-restore') ?? observer.anomalies.get('decrease'),
      ).toBeGreaterThan(0);
      expectCurrentSessionsCounted(observer, truth); // T15: the final save is seen
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
