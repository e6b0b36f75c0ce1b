/**
 * File-system events as hints (reliability §2.8): an event only makes the tracker look sooner;
 * polling stays the ground truth, so a lost, duplicated or coalesced event changes latency, never
 * what is recorded. The config file itself is never watched (a rename-replace leaves a watch on
 * the old inode); its folder is, filtered to its name. Any watcher failure (inotify limits, a
 * removed folder) turns all watching off and says why; the polls carry on.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface WatchTargets {
  /** Each `<config dir>/projects` (watched recursively). */
  readonly projectsDirs: readonly string[];
  /** Each `<config dir>/sessions` (process files). */
  readonly sessionsDirs: readonly string[];
  readonly claudeJsonPath: string;
}

export interface WatchHints {
  /** 'on', or why watching is off. */
  state(): string;
  /** Watches the folders that did not exist before (called now and then by the loop). */
  retryMissing(): void;
  close(): void;
}

export type WatchFn = typeof watch;

export function startWatchHints(
  targets: WatchTargets,
  onHint: () => void,
  onOff: (reason: string) => void,
  watchFn: WatchFn = watch,
): WatchHints {
  const watchers: FSWatcher[] = [];
  const watched = new Set<string>();
  let offReason: string | null = null;
  const turnOff = (reason: string): void => {
    if (offReason !== null) return;
    offReason = reason;
    for (const watcher of watchers.splice(0)) watcher.close();
    onOff(reason);
  };
  const add = (dir: string, recursive: boolean, filter?: (name: string) => boolean): void => {
    if (offReason !== null || watched.has(dir)) return;
    try {
      const watcher = watchFn(dir, { recursive, persistent: false }, (_event, name) => {
        if (filter === undefined || (typeof name === 'string' && filter(name))) onHint();
      });
      watcher.on('error', (error) => turnOff(`watcher error: ${error.message}`));
      watchers.push(watcher);
      watched.add(dir);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // A folder that does not exist yet is polled until it does; anything else turns hints off.
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        turnOff(`cannot watch ${dir}: ${String(code ?? error)}`);
    }
  };
  const configName = basename(targets.claudeJsonPath);
  const addAll = (): void => {
    for (const dir of targets.projectsDirs) add(dir, true);
    for (const dir of targets.sessionsDirs) add(dir, false);
    add(dirname(targets.claudeJsonPath), false, (name) => name.startsWith(configName));
  };
  addAll();
  return {
    state: () =>
      offReason !== null
        ? `off: ${offReason}`
        : watchers.length > 0
          ? 'on'
          : 'off: nothing to watch yet',
    retryMissing: addAll,
    close: () => {
      for (const watcher of watchers.splice(0)) watcher.close();
    },
  };
}
