import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isBetterFinal,
  isEarlierOriginal,
  isSidechainReplay,
  type FinalCopy,
  type OriginalCopy,
} from './response-merge.js';
import { ZERO_USAGE, type TokenUsage } from './usage.js';

function final(
  fields: Partial<Omit<FinalCopy, 'usage'>> & { usage?: Partial<TokenUsage> },
): FinalCopy {
  return {
    isSidechain: false,
    model: 'claude-sonnet-4-5',
    version: '2.1.332',
    costUsdLogged: null,
    agentId: null,
    ...fields,
    usage: { ...ZERO_USAGE, ...fields.usage },
  };
}

function original(fields: Partial<OriginalCopy>): OriginalCopy {
  return {
    isSidechain: false,
    forked: false,
    timestampMs: 1000,
    sessionId: 's1',
    cwd: '/w',
    projectDir: '-w',
    ...fields,
  };
}

/** Folds copies the way the ledger does: keep the current winner unless a copy beats it. */
function fold<T>(copies: readonly T[], beats: (a: T, b: T) => boolean): T {
  let best = copies[0] as T;
  for (const copy of copies.slice(1)) if (beats(copy, best)) best = copy;
  return best;
}

const smallCount = fc.integer({ min: 0, max: 1 });
const finalCopy = fc
  .record({
    isSidechain: fc.boolean(),
    model: fc.constantFrom('claude-opus-5-5', 'claude-sonnet-4-5'),
    version: fc.option(fc.constantFrom('2.1.96', '2.1.332'), { nil: null }),
    costUsdLogged: fc.option(fc.constantFrom(0.5, 1), { nil: null }),
    agentId: fc.option(fc.constantFrom('a1', 'a2'), { nil: null }),
    input: smallCount,
    output: smallCount,
    cacheWrite: smallCount,
    cacheWrite1h: smallCount,
    cacheRead: smallCount,
    webSearch: smallCount,
    webFetch: smallCount,
    speed: fc.option(fc.constantFrom('standard', 'fast'), { nil: null }),
    geo: fc.option(fc.constantFrom('global', 'us'), { nil: null }),
    tier: fc.option(fc.constantFrom('standard', 'priority'), { nil: null }),
  })
  .map(
    (f): FinalCopy => ({
      isSidechain: f.isSidechain,
      model: f.model,
      version: f.version,
      costUsdLogged: f.costUsdLogged,
      agentId: f.agentId,
      usage: {
        inputTokens: f.input,
        outputTokens: f.output,
        cacheCreationTokens: f.cacheWrite + f.cacheWrite1h,
        cacheCreation1hTokens: f.cacheWrite1h,
        cacheReadTokens: f.cacheRead,
        webSearchRequests: f.webSearch,
        webFetchRequests: f.webFetch,
        speed: f.speed,
        inferenceGeo: f.geo,
        serviceTier: f.tier,
      },
    }),
  );

const originalCopy = fc.record({
  isSidechain: fc.boolean(),
  forked: fc.boolean(),
  timestampMs: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  sessionId: fc.option(fc.constantFrom('s1', 's2'), { nil: null }),
  cwd: fc.option(fc.constantFrom('/a', '/b'), { nil: null }),
  projectDir: fc.option(fc.constantFrom('-a', '-b'), { nil: null }),
});

describe('isBetterFinal', () => {
  it('lets the final usage beat a streaming placeholder', () => {
    const placeholder = final({ usage: { inputTokens: 6, outputTokens: 1, cacheReadTokens: 100 } });
    const done = final({ usage: { inputTokens: 6, outputTokens: 412, cacheReadTokens: 100 } });
    expect(isBetterFinal(done, placeholder)).toBe(true);
    expect(isBetterFinal(placeholder, done)).toBe(false);
  });

  it('prefers a main-thread copy over a bigger sidechain replay', () => {
    const main = final({ usage: { outputTokens: 1 } });
    const replay = final({ isSidechain: true, usage: { outputTokens: 1000 } });
    expect(isBetterFinal(main, replay)).toBe(true);
    expect(isBetterFinal(replay, main)).toBe(false);
  });

  it('breaks a token tie by larger output, then by having a speed', () => {
    const a = final({ usage: { inputTokens: 10, outputTokens: 5 } });
    const b = final({ usage: { inputTokens: 5, outputTokens: 10 } });
    expect(isBetterFinal(b, a)).toBe(true);
    const fast = final({ usage: { outputTokens: 5, speed: 'fast' } });
    const plain = final({ usage: { outputTokens: 5 } });
    expect(isBetterFinal(fast, plain)).toBe(true);
  });

  it('orders copies that tie on every compared field but differ elsewhere in usage', () => {
    const a = final({ usage: { inputTokens: 1, cacheReadTokens: 0, outputTokens: 3 } });
    const b = final({ usage: { inputTokens: 0, cacheReadTokens: 1, outputTokens: 3 } });
    expect(isBetterFinal(a, b)).not.toBe(isBetterFinal(b, a));
    const us = final({ usage: { outputTokens: 3, inferenceGeo: 'us' } });
    const global = final({ usage: { outputTokens: 3, inferenceGeo: 'global' } });
    expect(isBetterFinal(us, global)).not.toBe(isBetterFinal(global, us));
  });

  it('is a strict order: never both ways, never a copy over itself', () => {
    fc.assert(
      fc.property(finalCopy, finalCopy, (a, b) => {
        expect(isBetterFinal(a, a)).toBe(false);
        expect(isBetterFinal(a, b) && isBetterFinal(b, a)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('picks the same final copy whatever order the copies arrive in', () => {
    fc.assert(
      fc.property(
        fc
          .array(finalCopy, { minLength: 2, maxLength: 5 })
          .chain((copies) =>
            fc.tuple(
              fc.constant(copies),
              fc.shuffledSubarray(copies, { minLength: copies.length }),
            ),
          ),
        ([copies, shuffled]) => {
          expect(fold(shuffled, isBetterFinal)).toEqual(fold(copies, isBetterFinal));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('isEarlierOriginal', () => {
  it('attributes a response to the main thread, then the non-fork, then the earliest time', () => {
    const sidechain = original({ isSidechain: true, timestampMs: 1 });
    const fork = original({ forked: true, timestampMs: 2, sessionId: 's2' });
    const late = original({ timestampMs: 9 });
    const early = original({ timestampMs: 3 });
    expect(fold([sidechain, fork, late, early], isEarlierOriginal)).toBe(early);
    expect(isEarlierOriginal(late, fork)).toBe(true);
    expect(isEarlierOriginal(fork, sidechain)).toBe(true);
  });

  it('prefers a copy with a timestamp over one without', () => {
    const none = original({ timestampMs: null });
    const some = original({ timestampMs: 5 });
    expect(isEarlierOriginal(some, none)).toBe(true);
    expect(isEarlierOriginal(none, some)).toBe(false);
  });

  it('picks the same original copy whatever order the copies arrive in', () => {
    fc.assert(
      fc.property(
        fc
          .array(originalCopy, { minLength: 2, maxLength: 5 })
          .chain((copies) =>
            fc.tuple(
              fc.constant(copies),
              fc.shuffledSubarray(copies, { minLength: copies.length }),
            ),
          ),
        ([copies, shuffled]) => {
          expect(fold(shuffled, isEarlierOriginal)).toEqual(fold(copies, isEarlierOriginal));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('isSidechainReplay', () => {
  it('merges by message id only when one side is a sidechain', () => {
    expect(isSidechainReplay(true, false)).toBe(true);
    expect(isSidechainReplay(false, true)).toBe(true);
    expect(isSidechainReplay(true, true)).toBe(true);
    expect(isSidechainReplay(false, false)).toBe(false);
  });
});
