import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCtt } from './run-ctt.js';

function assistant(
  id: string,
  req: string,
  output: number,
  extra: Record<string, unknown> = {},
): string {
  return `${JSON.stringify({
    type: 'assistant',
    sessionId: 's-1',
    cwd: '/home/dev/app',
    timestamp: '2026-11-30T10:00:00.000Z',
    requestId: req,
    message: {
      id,
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'hello "world"' }],
      usage: { input_tokens: 100, output_tokens: output, cache_read_input_tokens: 1000 },
    },
    ...extra,
  })}\n`;
}

describe('ctt sync (built CLI)', () => {
  let home: string;
  let transcript: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'ctt-e2e-'));
    const project = join(home, '.claude', 'projects', '-home-dev-app');
    mkdirSync(project, { recursive: true });
    transcript = join(project, 's-1.jsonl');
    writeFileSync(
      transcript,
      assistant('msg_a', 'req_a', 1) +
        assistant('msg_a', 'req_a', 250) +
        assistant('msg_b', 'req_b', 50),
    );
  });

  it('ingests once, merges streaming copies, and reports a JSON summary', () => {
    const first = runCtt(['sync', '--json'], { HOME: home });
    expect(first.status, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(summary['newResponses']).toBe(2);
    expect(summary['usageCopies']).toBe(3);
    expect(summary['copiesMerged']).toBe(1);
    expect(summary['quarantinedLines']).toBe(0);
    const db = new Database(join(home, '.local/share/claude-token-tracker/ledger.db'), {
      readonly: true,
    });
    const rows = db
      .prepare('SELECT message_id, output_tokens, cost_usd FROM response ORDER BY message_id')
      .all();
    db.close();
    // sonnet 4.5: 100 in × $3 + 250 out × $15 + 1000 read × $0.30 per million
    expect(rows).toEqual([
      {
        message_id: 'msg_a',
        output_tokens: 250,
        cost_usd: expect.closeTo((100 * 3 + 250 * 15 + 1000 * 0.3) / 1e6, 12) as unknown,
      },
      {
        message_id: 'msg_b',
        output_tokens: 50,
        cost_usd: expect.closeTo((100 * 3 + 50 * 15 + 1000 * 0.3) / 1e6, 12) as unknown,
      },
    ]);

    const second = runCtt(['sync', '--json'], { HOME: home });
    expect(JSON.parse(second.stdout)).toMatchObject({
      newResponses: 0,
      usageCopies: 0,
      bytesRead: 0,
    });
  });

  it('prints a human summary naming unpriced models and quarantined lines', () => {
    appendFileSync(transcript, '{"type":"user","message":{"content":"cut off\n');
    appendFileSync(
      transcript,
      assistant('msg_c', 'req_c', 7).replace('claude-sonnet-4-5-20250929', 'claude-nova-7'),
    );
    const run = runCtt(['sync'], { HOME: home });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('3 new responses');
    expect(run.stdout).toContain('1 lines quarantined');
    expect(run.stdout).toMatch(/unpriced model claude-nova-7: 1,107 tokens in 1 response\b/);
  });

  it('honours --db and --claude-dir', () => {
    const db = join(home, 'elsewhere', 'ledger.db');
    const run = runCtt(['sync', '--json', '--db', db, '--claude-dir', join(home, '.claude')], {
      HOME: join(home, 'nohome'),
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ newResponses: 2, ledger: { path: db } });
  });

  it('exits 2 with a one-line reason on bad usage', () => {
    const run = runCtt(['sync', '--no-such-flag'], { HOME: home });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown option '--no-such-flag'/);
    expect(run.stderr).toContain('ctt --help');
    const workers = runCtt(['sync', '--workers', 'many'], { HOME: home });
    expect(workers.status).toBe(2);
    expect(workers.stderr).toContain('--workers expects a whole number');
  });

  it('refuses a ledger written by a newer ctt', () => {
    const path = join(home, 'future.db');
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    const run = runCtt(['sync', '--db', path], { HOME: home });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('schema version 999');
  });

  it('has help for every command', () => {
    for (const args of [['--help'], ['sync', '--help'], ['prices', '--help']]) {
      const run = runCtt(args, { HOME: home });
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Usage: ctt');
    }
  });
});
