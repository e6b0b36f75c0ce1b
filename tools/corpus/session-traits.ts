import type { Era } from './eras.js';
import { HAIKU_4_5, SONNET_4_5, versionAtLeast } from './eras.js';
import type { Provider } from './ids.js';
import type { CorpusContext } from './thread.js';

/** What stays fixed for one session: where calls go, which models, cache TTL, geo, branch. */
export interface SessionTraits {
  readonly provider: Provider;
  readonly mainModel: string;
  readonly smallModel: string;
  readonly fastMode: boolean;
  readonly cache1h: boolean;
  readonly geo: string | null;
  readonly gitBranch: string | null;
}

const BRANCHES = [
  'main',
  'main',
  'main',
  'dev',
  'feature/ledger',
  'fix/flaky-tests',
  'release/2.3',
];

/** The model id a provider serves for a first-party id (Bedrock and Vertex forms). */
export function providerModelId(firstPartyId: string, provider: Provider): string {
  if (provider === 'anthropic') return firstPartyId;
  const match = /^(claude-[a-z]+-\d+(?:-\d+)?)-(\d{8})$/.exec(firstPartyId);
  if (match === null) return provider === 'bedrock' ? `us.anthropic.${firstPartyId}` : firstPartyId;
  return provider === 'bedrock' ? `us.anthropic.${firstPartyId}-v1:0` : `${match[1]}@${match[2]}`;
}

export function drawTraits(ctx: CorpusContext, era: Era, version: string): SessionTraits {
  const { rng } = ctx;
  const provider: Provider =
    era.cacheBreakdown && rng.chance(0.08) ? rng.pick(['bedrock', 'vertex'] as const) : 'anthropic';
  const mainModel =
    provider === 'anthropic' ? rng.weighted(era.mainModels) : providerModelId(SONNET_4_5, provider);
  const smallModel =
    provider === 'anthropic' ? era.smallModel : providerModelId(HAIKU_4_5, provider);
  const fastCapable = mainModel === 'claude-opus-4-6' || mainModel === 'claude-opus-5-5';
  let geo: string | null = null;
  if (versionAtLeast(version, '2.1.150')) {
    geo =
      versionAtLeast(version, '2.1.239') && rng.chance(0.12)
        ? 'us'
        : rng.chance(0.85)
          ? 'global'
          : 'not_available';
  }
  return {
    provider,
    mainModel,
    smallModel,
    fastMode: fastCapable && rng.chance(0.15),
    cache1h: era.cacheBreakdown && rng.chance(0.7),
    geo,
    gitBranch: ctx.traps && rng.chance(0.1) ? null : rng.pick(BRANCHES),
  };
}
