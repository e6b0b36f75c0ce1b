/**
 * File lifecycle against real temp trees and a real ledger (reliability §3: T3, T5–T12): every
 * sync is `syncLedger` over `<config>/projects`, and every assertion reads the ledger back.
 */
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assistantLine,
  jsonl,
  summaryLine,
  userLine,
  type AssistantLineOptions,
} from '../../test/helpers/claude-lines.js';
import {
  count,
  eventKinds,
  ledgerTotals,
  responseRows,
  sourceFiles,
  sync,
  type LedgerTotals,
} from '../../test/helpers/ledger.js';
import { makeTempTree, type TempTree } from '../../test/helpers/temp-tree.js';
import { openLedger, type Ledger } from '../store/database.js';
import type { SyncSummary } from './sync-ledger.js';

let tree: TempTree;
let db: Ledger;

beforeEach(() => {
  tree = makeTempTree();
  db = openLedger(tree.ledgerPath);
});

afterEach(() => {
  db.close();
  tree.cleanup();
});

let serial = 0;

/** A fresh response line: unique ids, the given output tokens. */
function response(output: number, options: AssistantLineOptions = {}): string {
  serial++;
  return assistantLine({
    messageId: `msg_${String(serial).padStart(4, '0')}`,
    requestId: `req_${String(serial).padStart(4, '0')}`,
    usage: { input: 10, output, cacheRead: 100 },
    timestamp: new Date(Date.UTC(2026, 10, 30, 12, 0, serial)).toISOString(),
    ...options,
  });
}

function totalsOf(lines: readonly string[]): LedgerTotals {
  let responses = 0;
  let input = 0;
  let output = 0;
  let cacheRead = 0;
  for (const line of lines) {
    const record = JSON.parse(line) as {
      type: string;
      message?: {
        usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number };
      };
    };
    const usage = record.message?.usage;
    if (record.type !== 'assistant' || usage === undefined) continue;
    responses++;
    input += usage.input_tokens;
    output += usage.output_tokens;
    cacheRead += usage.cache_read_input_tokens;
  }
  return { responses, input, output, cacheWrite: 0, cacheRead };
}

async function syncTree(options: Parameters<typeof sync>[2] = {}): Promise<SyncSummary> {
  const summary = await sync(db, [tree.projectsDir], options);
  expect(summary.pass.dedupHitsRaw).toBe(0);
  return summary;
}

describe('sync: appends', () => {
  it('reads nothing and adds nothing on a second sync with nothing new', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    const lines = [userLine(), response(5), response(7)];
    tree.write(path, jsonl(...lines));
    const first = await syncTree();
    expect(first.pass).toMatchObject({ newResponses: 2, bytesRead: tree.size(path) });
    expect(first.pass.files).toMatchObject({ seen: 1, added: 1, read: 1 });
    const second = await syncTree();
    expect(second.pass).toMatchObject({ bytesRead: 0, newResponses: 0, updatedResponses: 0 });
    expect(second.pass.files).toMatchObject({ seen: 1, unchanged: 1, read: 0 });
    expect(ledgerTotals(db)).toEqual(totalsOf(lines));
  });

  it('reads only the appended bytes', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    tree.write(path, jsonl(response(5)));
    await syncTree();
    const before = tree.size(path);
    const appended = [response(6), response(7)];
    tree.append(path, jsonl(...appended));
    const second = await syncTree();
    expect(second.pass).toMatchObject({ bytesRead: tree.size(path) - before, newResponses: 2 });
    expect(ledgerTotals(db).responses).toBe(3);
  });

  it('waits for the rest of a half-written line and then counts it once', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    const first = response(5);
    const split = response(9);
    tree.write(path, `${first}\n${split.slice(0, 100)}`);
    const a = await syncTree();
    expect(a.pass).toMatchObject({ newResponses: 1, pendingTailBytes: 100, quarantinedLines: 0 });
    const b = await syncTree();
    expect(b.pass).toMatchObject({ bytesRead: 0, newResponses: 0 });
    tree.append(path, `${split.slice(100)}\n`);
    const c = await syncTree();
    expect(c.pass).toMatchObject({ newResponses: 1, pendingTailBytes: 0, quarantinedLines: 0 });
    expect(ledgerTotals(db)).toEqual(totalsOf([first, split]));
    expect(count(db, 'response_copy')).toBe(2);
  });

  it('leaves a file with no complete first line pending, unregistered, until it has one', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    const line = response(5);
    tree.write(path, line.slice(0, 40));
    const a = await syncTree();
    expect(a.pass.files).toMatchObject({ seen: 1, pending: 1, added: 0, read: 0 });
    expect(sourceFiles(db)).toEqual([]);
    tree.append(path, `${line.slice(40)}\n`);
    const b = await syncTree();
    expect(b.pass.files).toMatchObject({ added: 1, read: 1 });
    expect(ledgerTotals(db).responses).toBe(1);
  });

  it('counts files of two config dirs, once each', async () => {
    const second = makeTempTree();
    try {
      const a = [response(1), response(2)];
      const b = [response(3)];
      tree.write(tree.path('-home-a', 's.jsonl'), jsonl(...a));
      second.write(second.path('-home-b', 't.jsonl'), jsonl(...b));
      const summary = await sync(db, [tree.projectsDir, second.projectsDir]);
      expect(summary.pass.files).toMatchObject({ seen: 2, read: 2 });
      expect(ledgerTotals(db)).toEqual(totalsOf([...a, ...b]));
      const again = await sync(db, [tree.projectsDir, second.projectsDir]);
      expect(again.pass).toMatchObject({ bytesRead: 0, dedupHitsRaw: 0 });
    } finally {
      second.cleanup();
    }
  });

  it('reads every era of transcript layout below projects/', async () => {
    const lines = [response(1), response(2), response(3), response(4)];
    tree.write(tree.path('-home-a', 'session.jsonl'), jsonl(lines[0] ?? ''));
    tree.write(tree.path('-home-a', 'agent-a1.jsonl'), jsonl(lines[1] ?? ''));
    tree.write(tree.path('-home-a', 'session/subagents/agent-a2.jsonl'), jsonl(lines[2] ?? ''));
    tree.write(
      tree.path('-home-a', 'session/subagents/workflows/run1/agent-a3.jsonl'),
      jsonl(lines[3] ?? ''),
    );
    tree.write(tree.path('-home-a', 'session/tool-results/out.txt'), 'not a transcript\n');
    const summary = await syncTree();
    expect(summary.pass.files.seen).toBe(4);
    expect(ledgerTotals(db)).toEqual(totalsOf(lines));
    expect(new Set(responseRows(db).map((r) => r.project_dir))).toEqual(new Set(['-home-a']));
  });
});

describe('sync: truncation and rewrites', () => {
  it('starts a new generation after a truncation and counts nothing twice', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    const lines = [response(1), response(2), response(3)];
    tree.write(path, jsonl(...lines));
    await syncTree();
    tree.truncate(path, Buffer.byteLength(jsonl(lines[0] ?? '')));
    const after = await syncTree();
    expect(after.pass.files.reset).toBe(1);
    expect(after.pass.newResponses).toBe(0);
    expect(sourceFiles(db)[0]).toMatchObject({ generation: 1, byte_offset: tree.size(path) });
    expect(eventKinds(db)).toContain('truncated');
    // Responses ever fully written stay counted, with their usage.
    expect(ledgerTotals(db)).toEqual(totalsOf(lines));
    const more = response(4);
    tree.append(path, jsonl(more));
    await syncTree();
    expect(ledgerTotals(db)).toEqual(totalsOf([...lines, more]));
  });

  it('handles the tombstone rewrite: truncate at a row start, rewrite a different tail', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    const kept = response(1);
    const placeholder = assistantLine({
      messageId: 'msg_T',
      requestId: 'req_T',
      stopReason: null,
      usage: { input: 10, output: 1, cacheRead: 100 },
    });
    const tail = [userLine({ content: 'after' }), response(3)];
    tree.write(path, jsonl(kept, placeholder, ...tail));
    await syncTree();
    // Claude Code drops the placeholder row: ftruncate at its start, then the tail again, then
    // the response's final line.
    tree.truncate(path, Buffer.byteLength(jsonl(kept)));
    const finalLine = assistantLine({
      messageId: 'msg_T',
      requestId: 'req_T',
      usage: { input: 10, output: 700, cacheRead: 100 },
    });
    tree.append(path, jsonl(...tail, finalLine));
    const after = await syncTree();
    expect(after.pass.files.reset).toBe(1);
    const rows = responseRows(db);
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.message_id === 'msg_T')?.output_tokens).toBe(700);
    expect(ledgerTotals(db)).toEqual(totalsOf([kept, finalLine, ...tail]));
  });

  it('catches an in-place rewrite with the same first line and more bytes while stopped', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    const head = summaryLine();
    const old = [response(1), response(2)];
    tree.write(path, jsonl(head, ...old));
    await syncTree();
    const offset = sourceFiles(db)[0]?.byte_offset ?? 0;
    const rewritten = [response(300), response(4000), response(50000)];
    tree.write(path, jsonl(head, ...rewritten));
    expect(tree.size(path)).toBeGreaterThan(offset);
    const after = await syncTree();
    expect(after.pass.files).toMatchObject({ reset: 1, inodeReused: 0 });
    expect(eventKinds(db)).toContain('rewritten');
    expect(ledgerTotals(db)).toEqual(totalsOf([...old, ...rewritten]));
  });

  it('catches an in-place rewrite whose new line ends exactly at the old offset', async () => {
    // The 64 bytes before the old offset end every line of a session alike
    // (`…"sessionId":"…","version":"…","gitBranch":"main"}\n`); only a longer anchor sees that
    // a different line now ends there.
    const path = tree.path('-home-a', 's.jsonl');
    const head = summaryLine();
    const first = response(1);
    tree.write(path, jsonl(head, first));
    await syncTree();
    const offset = tree.size(path);
    const sameLength = response(2);
    expect(Buffer.byteLength(sameLength)).toBe(Buffer.byteLength(first));
    const later = response(3);
    tree.write(path, jsonl(head, sameLength, later));
    expect(Buffer.byteLength(jsonl(head, sameLength))).toBe(offset);
    const after = await syncTree();
    expect(after.pass.files.reset).toBe(1);
    expect(ledgerTotals(db)).toEqual(totalsOf([first, sameLength, later]));
  });
});

describe('sync: renames, deletions, inode reuse', () => {
  it('follows a rename in the same folder without reading anything again', async () => {
    const from = tree.path('-home-a', 's.jsonl');
    const to = tree.path('-home-a', 't.jsonl');
    tree.write(from, jsonl(response(1), response(2)));
    await syncTree();
    tree.rename(from, to);
    const after = await syncTree();
    expect(after.pass).toMatchObject({ bytesRead: 0, newResponses: 0 });
    expect(after.pass.files).toMatchObject({ renamed: 1, gone: 0, added: 0 });
    expect(sourceFiles(db)).toMatchObject([{ path: to, state: 'active', generation: 0 }]);
    tree.append(to, jsonl(response(3)));
    await syncTree();
    expect(ledgerTotals(db).responses).toBe(3);
  });

  it('follows a move into another project folder and files new lines under it', async () => {
    const from = tree.path('-home-a', 's.jsonl');
    const to = tree.path('-home-a-wt', 's.jsonl');
    tree.write(from, jsonl(response(1)));
    await syncTree();
    tree.rename(from, to);
    const after = await syncTree();
    expect(after.pass).toMatchObject({ bytesRead: 0, newResponses: 0 });
    expect(sourceFiles(db)).toMatchObject([{ path: to, project_dir: '-home-a-wt' }]);
    tree.append(to, jsonl(response(2, { cwd: '/home/a-wt' })));
    await syncTree();
    expect(responseRows(db).map((r) => r.project_dir)).toEqual(['-home-a', '-home-a-wt']);
  });

  it('marks a deleted file gone and keeps its rows forever', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    const lines = [response(1), response(2)];
    tree.write(path, jsonl(...lines));
    await syncTree();
    tree.remove(path);
    const after = await syncTree();
    expect(after.pass.files.gone).toBe(1);
    expect(sourceFiles(db)).toMatchObject([{ state: 'gone', unread_bytes: 0 }]);
    expect(ledgerTotals(db)).toEqual(totalsOf(lines));
    const later = await syncTree();
    expect(later.pass.files).toMatchObject({ seen: 0, gone: 0 });
    expect(ledgerTotals(db)).toEqual(totalsOf(lines));
    expect(after.ledger.files).toEqual({ active: 0, gone: 1 });
  });

  it('marks a deleted file gone also when the root is given with a trailing slash', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    tree.write(path, jsonl(response(1)));
    await sync(db, [`${tree.projectsDir}/`]);
    tree.remove(path);
    const after = await sync(db, [`${tree.projectsDir}/`]);
    expect(after.pass.files.gone).toBe(1);
    expect(sourceFiles(db)).toMatchObject([{ state: 'gone' }]);
  });

  it('reports the unread partial tail of a file deleted before it was completed', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    tree.write(path, `${jsonl(response(1))}${response(2).slice(0, 77)}`);
    await syncTree();
    tree.remove(path);
    await syncTree();
    expect(sourceFiles(db)).toMatchObject([{ state: 'gone', unread_bytes: 77 }]);
  });

  it('keeps two files that share their first line apart (identity is not content alone)', async () => {
    const header = summaryLine();
    const a = [header, response(1)];
    const b = [header, response(2), response(3)];
    tree.write(tree.path('-home-a', 'a.jsonl'), jsonl(...a));
    tree.write(tree.path('-home-b', 'b.jsonl'), jsonl(...b));
    await syncTree();
    tree.append(tree.path('-home-a', 'a.jsonl'), jsonl(response(4)));
    const after = await syncTree();
    expect(after.pass.files).toMatchObject({ reset: 0, unchanged: 1, read: 1 });
    expect(sourceFiles(db).map((f) => f.generation)).toEqual([0, 0]);
    expect(ledgerTotals(db).responses).toBe(4);
  });

  it('reads a new file that reuses a deleted file’s inode, and keeps the old rows', async () => {
    const a = tree.path('-home-a', 'a.jsonl');
    const b = tree.path('-home-a', 'b.jsonl');
    const aLines = [response(1), response(2), response(3)];
    tree.write(a, jsonl(...aLines));
    await syncTree();
    const oldInode = tree.inode(a);
    tree.remove(a);
    const bLines = [summaryLine(), response(4)];
    tree.write(b, jsonl(...bLines));
    const reused = tree.inode(b) === oldInode;
    const after = await syncTree();
    // ext4 and tmpfs hand the freed inode to the next file; when the FS does not, b is simply new.
    if (reused) {
      expect(after.pass.files.inodeReused).toBe(1);
      expect(sourceFiles(db).map((f) => f.state)).toEqual(['replaced', 'active']);
    } else {
      expect(sourceFiles(db).map((f) => f.state)).toEqual(['gone', 'active']);
    }
    expect(sourceFiles(db)[1]).toMatchObject({ path: b, generation: 0, byte_offset: tree.size(b) });
    expect(ledgerTotals(db)).toEqual(totalsOf([...aLines, ...bLines]));
  });

  it('purges nothing and re-reads nothing when the projects root is away for a while', async () => {
    const path = tree.path('-home-a', 's.jsonl');
    const lines = [response(1), response(2)];
    tree.write(path, jsonl(...lines));
    await syncTree();
    const away = join(tree.base, 'projects-away');
    renameSync(tree.projectsDir, away);
    const missing = await syncTree();
    expect(missing.pass.missingRoots).toEqual([tree.projectsDir]);
    expect(missing.pass.files.gone).toBe(0);
    expect(sourceFiles(db)).toMatchObject([{ state: 'active' }]);
    renameSync(away, tree.projectsDir);
    const back = await syncTree();
    expect(back.pass).toMatchObject({ bytesRead: 0, newResponses: 0 });
    expect(back.pass.files).toMatchObject({ unchanged: 1, gone: 0, added: 0 });
    expect(ledgerTotals(db)).toEqual(totalsOf(lines));
  });
});
