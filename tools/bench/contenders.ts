import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the two contenders are and how each is started: `ctt` as the built CLI under the
 * current Node, ccusage as its native binary (the npm wrapper only adds a Node start-up in
 * front of it, which would be unfair to ccusage), else through that wrapper.
 */

export interface Invocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

export interface Contenders {
  readonly repoRoot: string;
  readonly cttMain: string;
  readonly ccusageCommand: string;
  readonly ccusageVia: string;
  readonly ccusageVersion: string;
}

/** The directory holding this repository's package.json, found from this file upwards. */
export function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tools'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('run-bench: repository root not found');
    dir = parent;
  }
}

function readVersion(packageJsonPath: string): string {
  const parsed = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : 'unknown';
}

export function locateContenders(repoRoot: string): Contenders {
  const cttMain = join(repoRoot, 'dist', 'src', 'main.js');
  if (!existsSync(cttMain))
    throw new Error('dist/src/main.js is missing: run `npm run build` first');
  const require = createRequire(join(repoRoot, 'package.json'));
  const ccusageVersion = readVersion(require.resolve('ccusage/package.json'));
  const nativePackage = `@ccusage/ccusage-${process.platform}-${process.arch}`;
  const binaryName = process.platform === 'win32' ? 'ccusage.exe' : 'ccusage';
  try {
    const nativeDir = dirname(require.resolve(`${nativePackage}/package.json`));
    const native = join(nativeDir, 'bin', binaryName);
    if (existsSync(native)) {
      return {
        repoRoot,
        cttMain,
        ccusageCommand: native,
        ccusageVia: `native binary ${nativePackage}`,
        ccusageVersion,
      };
    }
  } catch {
    // fall through to the npm wrapper
  }
  const wrapper = join(repoRoot, 'node_modules', '.bin', 'ccusage');
  if (!existsSync(wrapper)) throw new Error('ccusage is not installed: run `npm ci`');
  return {
    repoRoot,
    cttMain,
    ccusageCommand: wrapper,
    ccusageVia: 'npm wrapper (node + native binary)',
    ccusageVersion,
  };
}

/** A minimal environment: nothing of the caller's leaks in (no XDG_*, CTT_*, CLAUDE_*). */
function isolatedEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: home, TZ: 'UTC', NO_COLOR: '1' };
}

export function cttSync(
  contenders: Contenders,
  ledgerPath: string,
  configDirs: readonly string[],
  home: string,
): Invocation {
  const dirArgs = configDirs.flatMap((dir) => ['--claude-dir', dir]);
  return {
    command: process.execPath,
    args: [contenders.cttMain, 'sync', '--json', '--db', ledgerPath, ...dirArgs],
    env: isolatedEnv(home),
  };
}

export function ccusageDaily(
  contenders: Contenders,
  configDirs: readonly string[],
  home: string,
): Invocation {
  return {
    command: contenders.ccusageCommand,
    args: ['daily', '--offline', '--json'],
    env: { ...isolatedEnv(home), CLAUDE_CONFIG_DIR: configDirs.join(',') },
  };
}

/** `ctt <report> --no-sync --json --db <ledger> --claude-dir …`: answered from the ledger alone. */
export function cttReport(
  contenders: Contenders,
  report: string,
  ledgerPath: string,
  configDirs: readonly string[],
  home: string,
): Invocation {
  const dirArgs = configDirs.flatMap((dir) => ['--claude-dir', dir]);
  return {
    command: process.execPath,
    args: [contenders.cttMain, report, '--no-sync', '--json', '--db', ledgerPath, ...dirArgs],
    env: isolatedEnv(home),
  };
}

/** `ccusage <args…> --offline --json` over the given config dirs. */
export function ccusageReport(
  contenders: Contenders,
  args: readonly string[],
  configDirs: readonly string[],
  home: string,
): Invocation {
  return {
    command: contenders.ccusageCommand,
    args: [...args, '--offline', '--json'],
    env: { ...isolatedEnv(home), CLAUDE_CONFIG_DIR: configDirs.join(',') },
  };
}

/** Whether `ccusage --help` lists a top-level command of this name. */
export function ccusageHasCommand(contenders: Contenders, name: string): boolean {
  const help = spawnSync(contenders.ccusageCommand, ['--help'], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
  });
  if (help.status !== 0) return false;
  const commands = help.stdout.split(/^OPTIONS:/m)[0] ?? '';
  return new RegExp(`^\\s+${name}\\s`, 'm').test(commands);
}
