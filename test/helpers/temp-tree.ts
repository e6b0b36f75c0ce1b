/**
 * Real Claude Code config trees in a temp dir: `<config>/projects/<project>/<session>.jsonl`.
 * Every test gets its own tree; `cleanup` removes it.
 */
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempTree {
  /** The temp dir holding everything (config dirs, ledgers). */
  readonly base: string;
  /** `<base>/claude`, the first config dir. */
  readonly configDir: string;
  /** `<configDir>/projects`. */
  readonly projectsDir: string;
  /** A path for a ledger file inside the tree. */
  readonly ledgerPath: string;
  /** `<projectsDir>/<project>/<name>`; creates nothing. */
  path(project: string, name: string): string;
  /** Writes (replaces) a file, creating its folders. */
  write(path: string, content: string | Buffer): void;
  append(path: string, content: string | Buffer): void;
  truncate(path: string, length: number): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
  inode(path: string): bigint;
  size(path: string): number;
  cleanup(): void;
}

export function makeTempTree(prefix = 'ctt-test-'): TempTree {
  const base = mkdtempSync(join(tmpdir(), prefix));
  const configDir = join(base, 'claude');
  const projectsDir = join(configDir, 'projects');
  mkdirSync(projectsDir, { recursive: true });
  return {
    base,
    configDir,
    projectsDir,
    ledgerPath: join(base, 'ledger.db'),
    path: (project, name) => join(projectsDir, project, name),
    write(path, content) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    },
    append(path, content) {
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, content);
    },
    truncate: (path, length) => truncateSync(path, length),
    rename(from, to) {
      mkdirSync(dirname(to), { recursive: true });
      renameSync(from, to);
    },
    remove: (path) => unlinkSync(path),
    inode: (path) => statSync(path, { bigint: true }).ino,
    size: (path) => statSync(path).size,
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
