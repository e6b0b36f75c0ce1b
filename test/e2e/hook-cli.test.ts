/**
 * `ctt hook` through the built CLI, fed on stdin the way Claude Code runs a command hook: one row
 * per hook, nothing on stdout, exit 0 even when it cannot record.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/store/database.js';
import { allHookEvents, type HookEvent } from '../../src/store/hook-events.js';
import { makeTempTree, type TempTree } from '../helpers/temp-tree.js';
import { CTT_BIN, type CttRun } from './run-ctt.js';

const SESSION_START = {
  session_id: '5b0e1c2d-aaaa-bbbb-cccc-000000000001',
  transcript_path: '/home/alice/.claude/projects/-home-alice-src-webapp/5b0e1c2d.jsonl',
  cwd: '/home/alice/src/webapp',
  hook_event_name: 'SessionStart',
  source: 'startup',
  model: 'claude-opus-5-5',
};

let tree: TempTree;

beforeEach(() => {
  tree = makeTempTree('ctt-hook-e2e-');
});

afterEach(() => tree.cleanup());

function env(): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: tree.base, TZ: 'UTC', NO_COLOR: '1' };
}

/** Runs the built ctt with `input` on stdin (a pipe, as Claude Code gives it). */
function hook(args: readonly string[], input: string | Buffer): CttRun {
  const result = spawnSync(process.execPath, [CTT_BIN, ...args], {
    input,
    encoding: 'utf8',
    env: env(),
    maxBuffer: 16 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function events(ledgerPath = tree.ledgerPath): HookEvent[] {
  const db = openLedger(ledgerPath);
  try {
    return allHookEvents(db);
  } finally {
    db.close();
  }
}

describe('ctt hook (built CLI)', () => {
  it('records one row from the hook JSON, creating the ledger, silent on stdout', () => {
    const run = hook(
      ['hook', 'session-start', '--db', tree.ledgerPath],
      JSON.stringify(SESSION_START),
    );
    expect(run).toEqual({ status: 0, stdout: '', stderr: '' });
    const [event, ...rest] = events();
    expect(rest).toEqual([]);
    expect(event).toEqual({
      id: 1,
      receivedMs: expect.any(Number) as number,
      event: 'SessionStart',
      sessionId: SESSION_START.session_id,
      cwd: SESSION_START.cwd,
      transcriptPath: SESSION_START.transcript_path,
      detail: { source: 'startup', model: 'claude-opus-5-5' },
      processedMs: null,
    });
  });

  it('keeps no message text of a Stop body, and takes the event from the argument if needed', () => {
    const stop = {
      session_id: 's-2',
      transcript_path: '',
      cwd: '/w',
      stop_hook_active: false,
      last_assistant_message: 'PRIVATE assistant text',
    };
    const run = hook(['hook', 'stop', '--db', tree.ledgerPath], JSON.stringify(stop));
    expect(run).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(events()).toMatchObject([
      { event: 'Stop', sessionId: 's-2', cwd: '/w', transcriptPath: null, detail: null },
    ]);
    const db = openLedger(tree.ledgerPath);
    const dump = JSON.stringify(db.prepare('SELECT * FROM hook_event').all());
    db.close();
    expect(dump).not.toContain('PRIVATE');
  });

  it.each([
    ['garbage', 'this is not json {', /^ctt hook: hook input on stdin is not JSON; not recorded$/],
    ['empty input', '', /^ctt hook: hook input on stdin is empty; not recorded$/],
    ['an array', '[1]', /^ctt hook: hook input on stdin is not a JSON object; not recorded$/],
  ])('on %s: one stderr line, exit 0, nothing on stdout, no row', (_label, input, message) => {
    const run = hook(['hook', 'stop', '--db', tree.ledgerPath], input);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(existsSync(tree.ledgerPath)).toBe(false);
  });

  it('refuses input over 1 MiB without recording, exit 0', () => {
    const body = JSON.stringify({ ...SESSION_START, padding: 'x'.repeat(1024 * 1024) });
    const run = hook(['hook', 'stop', '--db', tree.ledgerPath], body);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd()).toBe(`ctt hook: input larger than 1048576 bytes; not recorded`);
    expect(existsSync(tree.ledgerPath)).toBe(false);
  });

  it('a ledger it cannot open is one stderr line and exit 0', () => {
    const directory = join(tree.base, 'a-directory.db');
    mkdirSync(directory);
    const run = hook(['hook', 'stop', '--db', directory], JSON.stringify(SESSION_START));
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^ctt hook: not recorded in .*a-directory\.db: \S/);
  });

  it('does not hang when stdin is never closed: it records what arrived', async () => {
    const child = spawn(process.execPath, [CTT_BIN, 'hook', 'stop', '--db', tree.ledgerPath], {
      env: env(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.write(JSON.stringify({ ...SESSION_START, hook_event_name: 'Stop' }));
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.destroy();
    expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(events().map((e) => e.event)).toEqual(['Stop']);
  });

  it('--print-config prints valid hooks JSON whose commands record into the same ledger', () => {
    const run = hook(['hook', '--print-config', '--db', tree.ledgerPath], '');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/settings\.json/);
    const config = JSON.parse(run.stdout) as {
      hooks: Record<string, { hooks: { type: string; command: string; async?: boolean }[] }[]>;
    };
    expect(Object.keys(config.hooks)).toEqual([
      'SessionStart',
      'SessionEnd',
      'Stop',
      'SubagentStop',
    ]);
    const commandOf = (name: string): string => config.hooks[name]?.[0]?.hooks[0]?.command ?? '';
    for (const name of Object.keys(config.hooks)) {
      const handler = config.hooks[name]?.[0]?.hooks[0];
      expect(handler?.type).toBe('command');
      expect(commandOf(name)).toContain(CTT_BIN);
      expect(commandOf(name)).toContain(`--db ${tree.ledgerPath}`);
    }
    expect(config.hooks['SessionEnd']?.[0]?.hooks[0]).toMatchObject({ timeout: 10 });
    expect(config.hooks['Stop']?.[0]?.hooks[0]).toMatchObject({ async: true });
    expect(existsSync(tree.ledgerPath)).toBe(false);

    // Run each command the way Claude Code does: through a shell, the body on stdin.
    for (const name of Object.keys(config.hooks)) {
      const body = JSON.stringify({ ...SESSION_START, hook_event_name: name });
      const result = spawnSync('/bin/sh', ['-c', commandOf(name)], {
        input: body,
        encoding: 'utf8',
        env: { HOME: tree.base },
      });
      expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
        status: 0,
        stdout: '',
        stderr: '',
      });
    }
    expect(events().map((e) => e.event)).toEqual([
      'SessionStart',
      'SessionEnd',
      'Stop',
      'SubagentStop',
    ]);
  });

  it('an unknown option is a usage error (exit 2)', () => {
    const run = hook(['hook', 'stop', '--no-such-option'], '{}');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
  });
});
