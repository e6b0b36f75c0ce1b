/**
 * The seed scenario through the real tracker: `ctt start` runs on a temp HOME with a
 * `~/.claude.json`, and every change Claude Code makes there or in the transcripts is recorded
 * with its exact deltas (`ctt changes --json`) and printed as the audit trail: a session end whose
 * only change is cache tokens and cost, one that changes only lines, a new session id with
 * nothing counted. Sessions start and end once from each signal: a process file naming a real
 * process, its death, Claude Code's save arriving after the end, a `cost-state` line, hooks run
 * through `ctt hook`, and an idle timeout.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeJsonText, type ProjectsSpec } from '../helpers/claude-json-file.js';
import { costStateLine, jsonl } from '../helpers/claude-lines.js';
import { makeTempTree, type TempTree } from '../helpers/temp-tree.js';
import {
  cttChanges,
  cttEnv,
  cttHook,
  eventually,
  projectFolder,
  readLedger,
  spawnIdleProcess,
  trailRows,
  usageLine,
  waitForTrailRow,
  writeAtomically,
  writeProcessFile,
  type UsageTokens,
} from '../faults/start-scenario-helpers.js';
import { spawnTracker, type TrackerChild } from '../faults/tracker-child.js';
import { checkSessionRuns } from '../faults/trail-oracle.js';

const WEBAPP = '/home/alice/src/webapp';
const API = '/home/alice/src/api';
const INFRA = '/home/alice/src/infra';
const WORKER = '/home/alice/src/worker';
const BATCH = '/home/alice/src/batch';
const HOOKED = '/home/alice/src/hooked';
const QUIET = '/home/alice/src/quiet';

const A = '5b0e6c1a-3d7e-4c55-9b1e-6f2f0d1b9a77';
const B = '0c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5';
const C = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const D = 'd0d0d0d0-1111-4222-8333-444455556666';
const PROCESS_SESSION = 'e1e1e1e1-0000-4000-8000-000000000001';
const COST_STATE_SESSION = 'e2e2e2e2-0000-4000-8000-000000000002';
const HOOK_SESSION = 'e3e3e3e3-0000-4000-8000-000000000003';
const IDLE_SESSION = 'e4e4e4e4-0000-4000-8000-000000000004';
const BARRIER_SESSION = 'e5e5e5e5-0000-4000-8000-000000000005';

const A_TOTALS = {
  costUsd: 4.18237,
  inputTokens: 18_231,
  outputTokens: 61_204,
  cacheCreationTokens: 402_118,
  cacheReadTokens: 6_120_442,
  webSearchRequests: 2,
  linesAdded: 212,
  linesRemoved: 37,
  apiDurationMs: 412_233,
  durationMs: 3_120_455,
};
const B_TOTALS = { ...A_TOTALS, costUsd: 1.5, inputTokens: 900, linesAdded: 212, linesRemoved: 37 };
const C_TOTALS = { ...A_TOTALS, costUsd: 0.75, inputTokens: 400, outputTokens: 1_000 };

const ZERO = {
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationTokens: 0,
  cacheReadTokens: 0,
  costUSD: 0,
  linesAdded: 0,
  linesRemoved: 0,
  webSearchRequests: 0,
};

const TOKENS: readonly UsageTokens[] = [
  { input: 12, output: 340, cacheWrite: 2_048, cacheRead: 18_000 },
  { input: 3, output: 95, cacheWrite: 0, cacheRead: 20_048 },
  { input: 7, output: 1_210, cacheWrite: 512, cacheRead: 20_048 },
];

describe('ctt start: the seed scenario through the real tracker', () => {
  let tree: TempTree;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let dbPath: string;
  let claudeDir: string;
  let tracker: TrackerChild;
  const state: Record<string, ProjectsSpec[string]> = {
    [WEBAPP]: { id: A, counters: A_TOTALS },
    [API]: { id: B, counters: B_TOTALS },
    [INFRA]: { id: C, counters: C_TOTALS },
  };
  /** Claude Code saves the whole file: every project as it now stands. */
  const saveClaudeJson = (): void =>
    writeAtomically(join(home, '.claude.json'), claudeJsonText(state));
  const transcript = (cwd: string, sessionId: string): string =>
    join(claudeDir, 'projects', projectFolder(cwd), `${sessionId}.jsonl`);
  const endsOf = (sessionId: string) => trailRows(dbPath, 'session-end', sessionId);

  beforeAll(async () => {
    tree = makeTempTree('ctt-start-seed-');
    home = tree.base;
    claudeDir = join(home, '.claude');
    tree.write(join(claudeDir, 'projects', '.keep'), '');
    env = cttEnv(home);
    dbPath = join(home, '.local', 'share', 'claude-token-tracker', 'ledger.db');
    saveClaudeJson();
    tracker = spawnTracker(
      ['--active-interval', '50', '--idle-interval', '100', '--session-idle-timeout', '1'],
      env,
    );
    await tracker.waitForLine((line) => line.startsWith('caught up:'));
  });

  afterAll(async () => {
    await tracker?.kill();
    tree?.cleanup();
  });

  it('adopts the existing file as its initial state, with no delta', async () => {
    await tracker.waitForLine((line) => line.startsWith('initial state'));
    for (const project of [WEBAPP, API, INFRA])
      await tracker.waitForLine((line) => line.trimStart().startsWith(project));
    const baselines = cttChanges(env, ['--source', 'claude-json', '--kind', 'baseline']);
    const adopted = baselines.map((c) => [c.project, c.sessionId, c.delta]);
    expect(adopted.sort()).toEqual([
      [API, B, ZERO],
      [INFRA, C, ZERO],
      [WEBAPP, A, ZERO],
    ]);
  });

  it('SEED (a): a session end whose only change is cache tokens and cost records exactly those deltas', async () => {
    state[WEBAPP] = {
      id: A,
      counters: {
        ...A_TOTALS,
        cacheCreationTokens: A_TOTALS.cacheCreationTokens + 4_096,
        cacheReadTokens: A_TOTALS.cacheReadTokens + 81_920,
        costUsd: A_TOTALS.costUsd + 0.0648,
      },
    };
    saveClaudeJson();
    await waitForTrailRow(dbPath, 'updated', A);
    // (the save also opens and, after the settle time, ends session A: rows of their own)
    const changes = cttChanges(env, ['--source', 'claude-json', '--session', A]).filter(
      (c) => !c.kind.startsWith('session-'),
    );
    expect(changes.map((c) => c.kind)).toEqual(['baseline', 'updated']);
    const [, updated] = changes;
    expect(updated).toMatchObject({ source: 'claude-json', project: WEBAPP, sessionId: A });
    expect(updated?.delta).toEqual({
      ...ZERO,
      cacheCreationTokens: 4_096,
      cacheReadTokens: 81_920,
      costUSD: expect.closeTo(0.0648, 9) as number,
    });
    expect(updated?.detail).toMatchObject({
      previousSessionId: A,
      to: { cacheCreationTokens: 406_214, cacheReadTokens: 6_202_362, inputTokens: 18_231 },
    });
    // The printed trail: the change's header line, then only the deltas that moved.
    const header = await tracker.waitForLine(
      (line) => line.includes(`${WEBAPP} session 5b0e6c1a`) && line.endsWith('claude-json updated'),
    );
    const deltas = tracker.lines[tracker.lines.indexOf(header) + 1] ?? '';
    expect(deltas.trim()).toBe('cache write +4,096  cache read +81,920  cost +$0.06');
  });

  it('SEED (b): a session whose lines added and removed change but no tokens is recorded', async () => {
    state[API] = { id: B, counters: { ...B_TOTALS, linesAdded: 260, linesRemoved: 40 } };
    saveClaudeJson();
    await waitForTrailRow(dbPath, 'updated', B);
    const updated = cttChanges(env, ['--session', B, '--kind', 'updated']);
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ source: 'claude-json', project: API });
    expect(updated[0]?.delta).toEqual({ ...ZERO, linesAdded: 48, linesRemoved: 3 });
    const header = await tracker.waitForLine(
      (line) => line.includes(`${API} session 0c1d2e3f`) && line.endsWith('claude-json updated'),
    );
    expect(tracker.lines[tracker.lines.indexOf(header) + 1]?.trim()).toBe(
      'lines added +48  lines removed +3',
    );
  });

  it('SEED (c): a new lastSessionId with no token change is a session-saved row', async () => {
    state[INFRA] = { id: D, counters: { inputTokens: 0, outputTokens: 0, costUsd: 0 } };
    saveClaudeJson();
    await waitForTrailRow(dbPath, 'session-saved', D);
    const saved = cttChanges(env, ['--session', D, '--kind', 'session-saved']);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      kind: 'session-saved',
      project: INFRA,
      delta: ZERO,
      detail: { previousSessionId: C },
    });
    await tracker.waitForLine(
      (line) =>
        line.includes(`${INFRA} session d0d0d0d0`) && line.endsWith('claude-json session-saved'),
    );
  });

  it('a live process file starts a session; its death ends it once with the ledger totals; the later save only completes them', async () => {
    const claude = spawnIdleProcess();
    const pid = claude.pid ?? 0;
    const processFile = writeProcessFile(claudeDir, pid, PROCESS_SESSION, WORKER);
    const start = await waitForTrailRow(dbPath, 'session-start', PROCESS_SESSION);
    expect(start).toMatchObject({ source: 'process', project: WORKER, detail: { run: 1, pid } });
    await tracker.waitForLine((line) => line.includes(`started (process pid ${pid})`));

    const nowMs = Date.now();
    tree.write(
      transcript(WORKER, PROCESS_SESSION),
      jsonl(...TOKENS.map((t, i) => usageLine(i, PROCESS_SESSION, WORKER, t, nowMs - 1_000 + i))),
    );
    await eventually('the responses in the ledger', () =>
      readLedger(dbPath, (db) => {
        const row = db
          .prepare('SELECT count(*) AS n FROM response WHERE session_id = ?')
          .get(PROCESS_SESSION) as { n: number };
        return row.n === TOKENS.length;
      }),
    );
    expect(endsOf(PROCESS_SESSION)).toEqual([]); // alive: no end yet

    claude.kill('SIGKILL'); // a crash: the process file stays behind, naming a dead pid
    const end = await waitForTrailRow(dbPath, 'session-end', PROCESS_SESSION);
    const sum = (pick: (t: UsageTokens) => number) => TOKENS.reduce((s, t) => s + pick(t), 0);
    expect(end).toMatchObject({ source: 'process', project: WORKER });
    expect(end.detail).toMatchObject({
      reason: 'process-exit',
      run: 1,
      ledger: {
        responses: 3,
        inputTokens: sum((t) => t.input),
        outputTokens: sum((t) => t.output),
        cacheCreationTokens: sum((t) => t.cacheWrite),
        cacheReadTokens: sum((t) => t.cacheRead),
      },
      claudeCode: null,
      difference: null,
    });
    const ledgerCostUsd = (end.detail?.['ledger'] as { costUsd: number }).costUsd;
    expect(ledgerCostUsd).toBeGreaterThan(0);
    await tracker.waitForLine((line) => line.includes('ended (process-exit): ledger'));

    // Claude Code's save for that session arrives after the end (its totals count auxiliary calls).
    const theirs = {
      inputTokens: sum((t) => t.input) + 40,
      outputTokens: sum((t) => t.output) + 25,
      cacheCreationTokens: sum((t) => t.cacheWrite),
      cacheReadTokens: sum((t) => t.cacheRead),
      costUsd: 0.125,
    };
    state[WORKER] = { id: PROCESS_SESSION, counters: theirs };
    saveClaudeJson();
    await waitForTrailRow(dbPath, 'session-saved', PROCESS_SESSION);
    const totals = await eventually('the end totals with Claude Code totals', () =>
      readLedger(dbPath, (db) => {
        const row = db
          .prepare('SELECT end_totals, ended_ms FROM tracked_session WHERE session_id = ?')
          .get(PROCESS_SESSION) as { end_totals: string; ended_ms: number | null };
        const parsed = JSON.parse(row.end_totals) as { claudeCode: object | null };
        return parsed.claudeCode === null ? null : { ...parsed, endedMs: row.ended_ms };
      }),
    );
    expect(totals).toMatchObject({
      endedMs: expect.any(Number) as number,
      claudeCode: { source: 'claude-json', ...theirs },
      difference: {
        inputTokens: -40,
        outputTokens: -25,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        costUsd: expect.closeTo(ledgerCostUsd - 0.125, 9) as number,
      },
    });
    expect(endsOf(PROCESS_SESSION)).toHaveLength(1);
    rmSync(processFile, { force: true });
  });

  it("a cost-state line ends an open session once; a later one only refreshes Claude Code's totals", async () => {
    const path = transcript(BATCH, COST_STATE_SESSION);
    tree.write(path, jsonl(usageLine(0, COST_STATE_SESSION, BATCH, TOKENS[0]!, Date.now())));
    const start = await waitForTrailRow(dbPath, 'session-start', COST_STATE_SESSION);
    expect(start).toMatchObject({ source: 'transcript', project: BATCH });
    tree.append(path, jsonl(costStateLine(COST_STATE_SESSION)));
    const end = await waitForTrailRow(dbPath, 'session-end', COST_STATE_SESSION);
    expect(end).toMatchObject({ source: 'transcript', detail: { reason: 'cost-state', run: 1 } });
    expect(end.detail?.['claudeCode']).toMatchObject({ source: 'cost-state', costUsd: 4.18237 });
    // Claude Code writes another one (a second save at exit): still one end.
    tree.append(path, jsonl(costStateLine(COST_STATE_SESSION)));
    await eventually('the second cost-state line stored', () =>
      readLedger(
        dbPath,
        (db) =>
          (
            db
              .prepare('SELECT count(*) AS n FROM cost_state WHERE session_id = ?')
              .get(COST_STATE_SESSION) as { n: number }
          ).n === 2,
      ),
    );
    // A barrier: a hook recorded after that line is handled after every step that could have
    // reopened the session (its own end row is a transcript-source row the next step reads).
    cttHook(env, 'session-start', {
      session_id: BARRIER_SESSION,
      transcript_path: '',
      cwd: BATCH,
      hook_event_name: 'SessionStart',
      source: 'startup',
    });
    await waitForTrailRow(dbPath, 'session-start', BARRIER_SESSION);
    expect(trailRows(dbPath, 'session-start', COST_STATE_SESSION)).toHaveLength(1);
    expect(endsOf(COST_STATE_SESSION)).toHaveLength(1);
  });

  it('SessionStart and SessionEnd hooks run through ctt hook start and end a session (source hook)', async () => {
    const body = { session_id: HOOK_SESSION, transcript_path: '', cwd: HOOKED };
    cttHook(env, 'session-start', { ...body, hook_event_name: 'SessionStart', source: 'startup' });
    const start = await waitForTrailRow(dbPath, 'session-start', HOOK_SESSION);
    expect(start).toMatchObject({ source: 'hook', project: HOOKED, detail: { run: 1 } });
    cttHook(env, 'session-end', {
      ...body,
      hook_event_name: 'SessionEnd',
      reason: 'prompt_input_exit',
    });
    const end = await waitForTrailRow(dbPath, 'session-end', HOOK_SESSION);
    expect(end).toMatchObject({
      source: 'hook',
      project: HOOKED,
      detail: { reason: 'hook:prompt_input_exit', run: 1 },
    });
    expect(endsOf(HOOK_SESSION)).toHaveLength(1);
  });

  it('a session without a process and without activity for the idle timeout ends as idle', async () => {
    const body = { session_id: IDLE_SESSION, transcript_path: '', cwd: QUIET };
    cttHook(env, 'session-start', { ...body, hook_event_name: 'SessionStart', source: 'resume' });
    await waitForTrailRow(dbPath, 'session-start', IDLE_SESSION);
    // Its last responses are two minutes old: past the 1-minute timeout as soon as they are read.
    const oldMs = Date.now() - 120_000;
    tree.write(
      transcript(QUIET, IDLE_SESSION),
      jsonl(...TOKENS.map((t, i) => usageLine(i, IDLE_SESSION, QUIET, t, oldMs + i))),
    );
    const end = await waitForTrailRow(dbPath, 'session-end', IDLE_SESSION);
    expect(end).toMatchObject({ source: 'tracker', project: QUIET });
    expect(end.detail).toMatchObject({ reason: 'idle', run: 1, ledger: { responses: 3 } });
  });

  it('stops cleanly; every session started once and ended at most once', async () => {
    const stop = await tracker.stop('SIGTERM');
    expect(stop.code).toBe(0);
    expect(tracker.stderr()).toBe('');
    expect(tracker.lines.at(-1)).toMatch(/^stopped after /);
    const runs = checkSessionRuns(dbPath);
    expect(runs.violations).toEqual([]);
    for (const session of [PROCESS_SESSION, COST_STATE_SESSION, HOOK_SESSION, IDLE_SESSION])
      expect(endsOf(session), session).toHaveLength(1);
    expect(readLedger(dbPath, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
  });
});
