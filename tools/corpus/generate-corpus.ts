import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeClaudeJson } from './claude-json.js';
import type { CorpusOptions } from './corpus-options.js';
import { resolveCorpusOptions } from './corpus-options.js';
import { planProjects, planSession } from './corpus-plan.js';
import { CorpusTree } from './corpus-tree.js';
import { ERAS, MODERN_ERAS } from './eras.js';
import { IdFactory } from './ids.js';
import type { CorpusManifest } from './manifest.js';
import { Oracle } from './oracle.js';
import { Random } from './random.js';
import { closeSession, openSession, writeTurnsUntil } from './session-writer.js';
import { writeShowcase } from './showcase.js';
import { TextPool } from './text-pool.js';
import type { CorpusContext } from './thread.js';
import type { CorpusStats } from './transcript-file.js';

export type { CorpusOptions } from './corpus-options.js';
export type { CorpusManifest } from './manifest.js';

const DAY_MS = 86_400_000;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Writes a realistic Claude Code config tree (every transcript era, every known trap unless
 * `traps: false`) under `options.root`, plus `<root>/manifest.json`: the exact totals a correct
 * ledger must report, computed by this generator's own oracle from what it wrote.
 * Refuses to write into a root that already has a `home` directory.
 */
export async function generateCorpus(options: CorpusOptions): Promise<CorpusManifest> {
  const resolved = resolveCorpusOptions(options);
  const { root, seed, targetBytes, traps } = resolved;
  if (existsSync(join(root, 'home')))
    throw new Error(`${join(root, 'home')} already exists; use an empty root`);
  mkdirSync(root, { recursive: true });
  const rng = new Random(seed);
  const oracle = new Oracle();
  const stats: CorpusStats = { files: 0, bytes: 0, lines: 0, approxBytes: 0 };
  const tree = new CorpusTree(root, oracle, stats);
  const ctx: CorpusContext = {
    rng: rng.derive('sessions'),
    ids: new IdFactory(rng.derive('ids')),
    pool: new TextPool(rng.derive('text')),
    tree,
    stats,
    traps,
    targetBytes,
    windowStartMs: resolved.startTimeMs,
    windowMs: resolved.days * DAY_MS,
    sessions: [],
  };
  const showcase = writeShowcase(ctx, resolved.oversizeLineBytes);
  const projects = planProjects(targetBytes);
  const eras = traps ? ERAS : MODERN_ERAS;
  while (stats.approxBytes < targetBytes) {
    const planned = planSession(ctx, projects, eras);
    const thread = openSession(ctx, planned.spec);
    writeTurnsUntil(thread, planned.bytes);
    closeSession(thread);
    await yieldToEventLoop();
  }
  const result = oracle.result();
  writeClaudeJson(ctx, result.bySession);
  const manifest: CorpusManifest = {
    seed,
    files: stats.files,
    bytes: stats.bytes,
    lines: stats.lines,
    configDirs: [tree.claudeDir, tree.xdgDir],
    claudeJson: tree.claudeJson,
    expected: { ...result, pendingTail: showcase.pendingTail, oversizeLine: showcase.oversizeLine },
  };
  writeFileSync(join(root, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
