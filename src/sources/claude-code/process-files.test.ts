import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempTree, type TempTree } from '../../../test/helpers/temp-tree.js';
import { parseProcessFile, scanProcessFiles } from './process-files.js';

let tree: TempTree;
beforeEach(() => {
  tree = makeTempTree();
});
afterEach(() => {
  tree.cleanup();
});

describe('process files', () => {
  it('parses the fields a tracker needs and refuses anything else', () => {
    const file = parseProcessFile(
      JSON.stringify({
        pid: 4242,
        sessionId: 's-1',
        cwd: '/w',
        startedAt: 1_700_000_000_000,
        kind: 'interactive',
      }),
      'p',
    );
    expect(file).toEqual({
      pid: 4242,
      sessionId: 's-1',
      cwd: '/w',
      startedAtMs: 1_700_000_000_000,
      path: 'p',
    });
    expect(parseProcessFile('{"pid":1,"sessionId":', 'p')).toBeNull();
    expect(parseProcessFile('{"pid":-1,"sessionId":"s"}', 'p')).toBeNull();
    expect(parseProcessFile('{"pid":1.5,"sessionId":"s"}', 'p')).toBeNull();
    expect(parseProcessFile('{"pid":1,"sessionId":""}', 'p')).toBeNull();
    expect(parseProcessFile('[1]', 'p')).toBeNull();
    expect(parseProcessFile('{"pid":7,"sessionId":"s"}', 'p')).toEqual({
      pid: 7,
      sessionId: 's',
      cwd: null,
      startedAtMs: null,
      path: 'p',
    });
  });

  it('lists <config dir>/sessions/<pid>.json of every config dir, counting torn ones', () => {
    const a = join(tree.base, 'a');
    const b = join(tree.base, 'b');
    mkdirSync(join(a, 'sessions'), { recursive: true });
    mkdirSync(join(b, 'sessions'), { recursive: true });
    writeFileSync(join(a, 'sessions', '11.json'), JSON.stringify({ pid: 11, sessionId: 'x' }));
    writeFileSync(join(a, 'sessions', '12.json'), '{"pid":12,"sess');
    writeFileSync(join(a, 'sessions', 'notes.txt'), 'ignored');
    writeFileSync(join(b, 'sessions', '13.json'), JSON.stringify({ pid: 13, sessionId: 'y' }));
    const scan = scanProcessFiles([a, b, join(tree.base, 'missing')]);
    expect(scan.files.map((f) => [f.pid, f.sessionId]).sort()).toEqual([
      [11, 'x'],
      [13, 'y'],
    ]);
    expect(scan.unreadable).toBe(1);
  });
});
