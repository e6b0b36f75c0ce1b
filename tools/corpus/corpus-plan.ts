import type { Era } from './eras.js';
import { eraAt } from './eras.js';
import type { SessionSpec } from './session-writer.js';
import type { CorpusContext } from './thread.js';

/** A launch directory and how often sessions start there. */
export interface Project {
  readonly cwd: string;
  readonly weight: number;
}

const NAMES = [
  'webapp',
  'api-server',
  'infra',
  'ml-pipeline',
  'dotfiles',
  'blog',
  'cli-tool',
  'mobile-app',
  'data-etl',
  'docs',
  'game-engine',
  'payments',
  'search',
  'auth-service',
  'design-system',
  'analytics',
  'crawler',
  'notebooks',
  'compiler',
  'kernel-module',
  'chat-bot',
  'scheduler',
  'billing',
  'storefront',
  'monitoring',
  'terraform',
  'sdk-python',
  'sdk-go',
  'homelab',
  'thesis',
];

/** Launch directories that exercise project-folder encoding. */
export const COLLIDING_CWDS = ['/home/dev/a-b', '/home/dev/a/b'] as const;
export const NON_ASCII_CWDS = ['/home/dev/src/café-naïve', '/home/dev/src/日本語-notes'] as const;

/** A path whose folder name exceeds 200 characters (newer versions truncate and hash it). */
export function longCwd(): string {
  const parts = ['/home/dev/work/platform-monorepo'];
  const segments = [
    'services',
    'billing-reconciliation',
    'internal',
    'experimental',
    'generated-clients',
    'typescript-sdk',
    'version-two',
  ];
  let index = 0;
  while (parts.join('/').length < 230) parts.push(segments[index++ % segments.length] ?? 'x');
  return parts.join('/');
}

export function planProjects(targetBytes: number): Project[] {
  const count = Math.min(48, Math.max(8, Math.round(4 + Math.sqrt(targetBytes / 20_000))));
  const projects: Project[] = [];
  for (let i = 0; i < count; i++) {
    const base = NAMES[i % NAMES.length] ?? 'project';
    const name = i < NAMES.length ? base : `${base}-${Math.floor(i / NAMES.length) + 1}`;
    projects.push({ cwd: `/home/dev/src/${name}`, weight: 1 / (1 + i * 0.6) });
  }
  for (const cwd of [...COLLIDING_CWDS, ...NON_ASCII_CWDS, longCwd()]) {
    projects.push({ cwd, weight: 0.3 });
  }
  return projects;
}

/** The version an era's session writes at a given position within the era's band. */
function versionAt(era: Era, fraction: number, eras: readonly Era[]): string {
  const first = eras[0];
  const last = eras[eras.length - 1];
  const start = first?.band[0] ?? 0;
  const span = (last?.band[1] ?? 1) - start;
  const position = start + fraction * span;
  const within = (position - era.band[0]) / (era.band[1] - era.band[0]);
  const index = Math.min(
    era.versions.length - 1,
    Math.max(0, Math.floor(within * era.versions.length)),
  );
  return era.versions[index] ?? era.versions[0] ?? '2.1.332';
}

/** A session spec plus how many bytes it should grow to. */
export interface PlannedSession {
  readonly spec: SessionSpec;
  readonly bytes: number;
}

/**
 * The next ordinary session: a random start in the window decides its era and version (older
 * versions earlier), its size is log-uniform (a few KB to tens of MB, bounded by the target),
 * and 1.0.30/1.0.31 sessions live under `~/.config/claude`.
 */
export function planSession(
  ctx: CorpusContext,
  projects: readonly Project[],
  eras: readonly Era[],
): PlannedSession {
  const { rng, tree, windowStartMs, windowMs, targetBytes } = ctx;
  const fraction = rng.float();
  const era = eraAt(fraction, eras);
  const version = versionAt(era, fraction, eras);
  const maxBytes = Math.min(40e6, Math.max(30e3, targetBytes / 12));
  const bytes = Math.round(rng.logUniform(3e3, maxBytes));
  const project = rng.weighted(projects.map((p) => [p, p.weight] as const));
  const xdg = version === '1.0.30' || version === '1.0.31';
  return {
    bytes,
    spec: {
      era,
      version,
      configDir: xdg ? tree.xdgDir : tree.claudeDir,
      cwd: project.cwd,
      startMs: windowStartMs + Math.floor(fraction * windowMs),
      textScale: Math.min(1.2, Math.max(0.3, bytes / 4e6)),
    },
  };
}

/** A start time inside an era's band of the window (for hand-placed sessions). */
export function timeInEra(ctx: CorpusContext, era: Era, position = 0.5): number {
  const fraction = era.band[0] + (era.band[1] - era.band[0]) * position;
  return ctx.windowStartMs + Math.floor(fraction * ctx.windowMs);
}
