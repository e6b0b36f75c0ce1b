import { describe, expect, it } from 'vitest';
import { extractProjects } from './claude-json-extract.js';

/** claude-code-data.md §2.8, plus the private neighbours the extraction must drop. */
const EXAMPLE = {
  numStartups: 412,
  userID: 'user-id-secret',
  oauthAccount: { emailAddress: 'alice@example.com' },
  projects: {
    '/home/alice/src/webapp': {
      allowedTools: [],
      hasTrustDialogAccepted: true,
      history: [{ display: 'my private prompt', pastedContents: {} }],
      lastCost: 4.18237,
      lastAPIDuration: 412233,
      lastAPIDurationWithoutRetries: 398120,
      lastToolDuration: 61377,
      lastDuration: 3120455,
      lastStartTime: 1764849611000,
      lastLinesAdded: 212,
      lastLinesRemoved: 37,
      lastTotalInputTokens: 18231,
      lastTotalOutputTokens: 61204,
      lastTotalCacheCreationInputTokens: 402118,
      lastTotalCacheReadInputTokens: 6120442,
      lastTotalWebSearchRequests: 2,
      lastFpsAverage: 57.9,
      lastGracefulShutdown: true,
      lastVersionBase: '2.1.332',
      lastModelUsage: {
        'claude-opus-5-5': {
          inputTokens: 16011,
          outputTokens: 58110,
          thinkingTokens: 20114,
          cacheReadInputTokens: 6001200,
          cacheCreationInputTokens: 398004,
          webSearchRequests: 2,
          costUSD: 4.1102,
        },
        'claude-sonnet-4-5-20250929': {
          inputTokens: 2220,
          outputTokens: 3094,
          cacheReadInputTokens: 119242,
          cacheCreationInputTokens: 4114,
          webSearchRequests: 0,
          costUSD: 0.07217,
        },
      },
      lastSessionMetrics: { p50: 1 },
      lastSessionId: '5b0e6c1a-3d7e-4c55-9b1e-6f2f0d1b9a77',
    },
    '/home/alice/src/fresh': { allowedTools: [], hasTrustDialogAccepted: false },
  },
};

describe('extractProjects', () => {
  it('maps every last* field to its counter, with units in the names', () => {
    const [webapp, fresh] = extractProjects(EXAMPLE) ?? [];
    expect(webapp).toEqual({
      projectPath: '/home/alice/src/webapp',
      sessionId: '5b0e6c1a-3d7e-4c55-9b1e-6f2f0d1b9a77',
      counters: {
        costUsd: 4.18237,
        inputTokens: 18231,
        outputTokens: 61204,
        cacheCreationTokens: 402118,
        cacheReadTokens: 6120442,
        webSearchRequests: 2,
        linesAdded: 212,
        linesRemoved: 37,
        apiDurationMs: 412233,
        apiDurationWithoutRetriesMs: 398120,
        toolDurationMs: 61377,
        durationMs: 3120455,
      },
      models: {
        'claude-opus-5-5': {
          inputTokens: 16011,
          outputTokens: 58110,
          thinkingTokens: 20114,
          cacheReadInputTokens: 6001200,
          cacheCreationInputTokens: 398004,
          webSearchRequests: 2,
          costUSD: 4.1102,
        },
        'claude-sonnet-4-5-20250929': {
          inputTokens: 2220,
          outputTokens: 3094,
          thinkingTokens: null,
          cacheReadInputTokens: 119242,
          cacheCreationInputTokens: 4114,
          webSearchRequests: 0,
          costUSD: 0.07217,
        },
      },
      versionBase: '2.1.332',
      gracefulShutdown: true,
      startTimeMs: 1764849611000,
    });
    expect(fresh?.sessionId).toBeNull();
    expect(Object.values(fresh?.counters ?? {}).every((v) => v === null)).toBe(true);
    expect(fresh?.models).toEqual({});
  });

  it('keeps nothing but the last* fields (no history, account or ids)', () => {
    const text = JSON.stringify(extractProjects(EXAMPLE));
    for (const secret of ['private prompt', 'alice@example.com', 'user-id-secret', 'FpsAverage']) {
      expect(text).not.toContain(secret);
    }
  });

  it('reads absent and mistyped fields as null, never 0', () => {
    const [project] =
      extractProjects({
        projects: {
          '/p': {
            lastCost: '4.1',
            lastTotalInputTokens: null,
            lastTotalOutputTokens: 0,
            lastLinesAdded: Number.NaN,
            lastSessionId: '',
            lastGracefulShutdown: 'yes',
            lastModelUsage: { good: { inputTokens: 3 }, bad: 7, list: [1] },
          },
        },
      }) ?? [];
    expect(project?.counters).toMatchObject({
      costUsd: null,
      inputTokens: null,
      outputTokens: 0,
      linesAdded: null,
    });
    expect(project?.sessionId).toBeNull();
    expect(project?.gracefulShutdown).toBeNull();
    expect(Object.keys(project?.models ?? {})).toEqual(['good']);
    expect(project?.models['good']?.outputTokens).toBeNull();
  });

  it('is null (unknown, not empty) without an object `projects`', () => {
    for (const document of [{}, [], null, 3, 'x', { projects: [] }, { projects: null }]) {
      expect(extractProjects(document)).toBeNull();
    }
    expect(extractProjects({ projects: {} })).toEqual([]);
  });

  it('skips entries that are not objects and treats __proto__ as an ordinary key', () => {
    const document: unknown = JSON.parse(
      '{"projects":{"/a":5,"/b":{"lastModelUsage":{"__proto__":{"inputTokens":1}}}}}',
    );
    const projects = extractProjects(document) ?? [];
    expect(projects.map((p) => p.projectPath)).toEqual(['/b']);
    expect(Object.keys(projects[0]?.models ?? {})).toEqual(['__proto__']);
    expect(projects[0]?.models['__proto__']?.inputTokens).toBe(1);
  });
});
