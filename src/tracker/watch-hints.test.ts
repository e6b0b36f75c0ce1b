import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempTree, type TempTree } from '../../test/helpers/temp-tree.js';
import { startWatchHints, type WatchFn } from './watch-hints.js';

let tree: TempTree;
beforeEach(() => {
  tree = makeTempTree();
});
afterEach(() => {
  tree.cleanup();
});

async function until(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  return condition();
}

describe('watch hints', () => {
  it('hints on a transcript append deep below projects/, and on the config file by name only', async () => {
    let hints = 0;
    const claudeJson = join(tree.base, '.claude.json');
    const hintsHandle = startWatchHints(
      { projectsDirs: [tree.projectsDir], sessionsDirs: [], claudeJsonPath: claudeJson },
      () => hints++,
      () => undefined,
    );
    try {
      expect(hintsHandle.state()).toBe('on');
      tree.append(tree.path('-p', 'sub/agent-1.jsonl'), '{}\n');
      expect(await until(() => hints > 0)).toBe(true);
      const before = hints;
      writeFileSync(join(tree.base, 'unrelated.txt'), 'x');
      await new Promise((r) => setTimeout(r, 100));
      expect(hints).toBe(before); // the config's folder is watched for the config's name only
      writeFileSync(claudeJson, '{}');
      expect(await until(() => hints > before)).toBe(true);
    } finally {
      hintsHandle.close();
    }
  });

  it('watches a folder that appears later once asked to retry', async () => {
    let hints = 0;
    const sessions = join(tree.configDir, 'sessions');
    const handle = startWatchHints(
      {
        projectsDirs: [],
        sessionsDirs: [sessions],
        claudeJsonPath: join(tree.base, 'x', '.claude.json'),
      },
      () => hints++,
      () => undefined,
    );
    try {
      expect(handle.state()).toMatch(/^off/);
      mkdirSync(sessions);
      handle.retryMissing();
      expect(handle.state()).toBe('on');
      writeFileSync(join(sessions, '42.json'), '{}');
      expect(await until(() => hints > 0)).toBe(true);
    } finally {
      handle.close();
    }
  });

  it('turns every watcher off, once, when one fails, and says why', () => {
    const emitters: (EventEmitter & { closed: boolean })[] = [];
    const fakeWatch = (() => {
      const emitter = Object.assign(new EventEmitter(), {
        closed: false,
        close() {
          emitter.closed = true;
        },
      });
      emitters.push(emitter);
      return emitter as unknown as FSWatcher;
    }) as unknown as WatchFn;
    const reasons: string[] = [];
    const handle = startWatchHints(
      { projectsDirs: ['/a', '/b'], sessionsDirs: [], claudeJsonPath: '/h/.claude.json' },
      () => undefined,
      (reason) => reasons.push(reason),
      fakeWatch,
    );
    expect(emitters).toHaveLength(3);
    emitters[0]?.emit('error', new Error('ENOSPC: inotify watch limit reached'));
    emitters[1]?.emit('error', new Error('again'));
    expect(reasons).toEqual(['watcher error: ENOSPC: inotify watch limit reached']);
    expect(emitters.every((e) => e.closed)).toBe(true);
    expect(handle.state()).toBe('off: watcher error: ENOSPC: inotify watch limit reached');
  });
});
