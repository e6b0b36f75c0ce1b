import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from './generate-corpus.js';
import type { CorpusManifest } from './manifest.js';
import { isUsageLine, obj, scanCorpus, str, usageOf } from './scan-corpus.js';
import type { CorpusScan, Found, Rec } from './scan-corpus.js';

/** Scans the written files for every line type, model, usage shape, era and layout. */

let root: string;
let manifest: CorpusManifest;
let scan: CorpusScan;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ctt-corpus-features-'));
  manifest = await generateCorpus({ root, seed: 2027, targetBytes: 2e6 });
  scan = scanCorpus(manifest);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const count = (predicate: (f: Found) => boolean): number => scan.records.filter(predicate).length;
const prompt = (u: Rec): number =>
  Number(u.input_tokens ?? 0) +
  Number(u.cache_read_input_tokens ?? 0) +
  Number(u.cache_creation_input_tokens ?? 0);

describe('a generated corpus with traps has every feature', () => {
  it('has CRLF, a BOM, raw U+2028 and JSON nulls', () => {
    expect(scan.files.filter((f) => f.crlf).length).toBeGreaterThanOrEqual(1);
    expect(scan.files.filter((f) => f.hasBom).length).toBeGreaterThanOrEqual(1);
    expect(scan.files.some((f) => f.lines.some((l) => l.text.includes('\u2028')))).toBe(true);
    expect(count((f) => f.record.gitBranch === null)).toBeGreaterThan(0);
    expect(
      count((f) => isUsageLine(f.record) && obj(f.record.message).stop_reason === null),
    ).toBeGreaterThan(0);
    const toolNull = (f: Found): boolean =>
      JSON.stringify(obj(f.record.message).content ?? null).match(/"input":\{[^}]*:null/) !== null;
    expect(count((f) => isUsageLine(f.record) && toolNull(f))).toBeGreaterThan(0);
  });

  it('has every line type, including the ones that carry usage but must not count', () => {
    const types = new Set(scan.records.map((f) => String(f.record.type)));
    for (const type of [
      'user',
      'assistant',
      'system',
      'summary',
      'file-history-snapshot',
      'progress',
      'api-request',
      'cost-state',
      'relocated',
    ]) {
      expect(types).toContain(type);
    }
    expect(
      count(
        (f) =>
          f.record.type === 'progress' &&
          Object.keys(usageOf(obj(obj(f.record.data).message))).length > 0,
      ),
    ).toBeGreaterThan(0);
    expect(
      count(
        (f) =>
          f.record.type === 'user' &&
          Object.keys(obj(obj(f.record.toolUseResult).usage)).length > 0,
      ),
    ).toBeGreaterThan(0);
    expect(
      count(
        (f) => obj(f.record.message).model === '<synthetic>' && f.record.isApiErrorMessage === true,
      ),
    ).toBeGreaterThan(0);
  });

  it('has every model, provider id and usage shape the pricing rules distinguish', () => {
    const usage = scan.records.filter((f) => isUsageLine(f.record));
    const models = new Set(usage.map((f) => String(obj(f.record.message).model)));
    for (const model of [
      'claude-opus-5-5',
      'claude-sonnet-5-5',
      'claude-haiku-5-5',
      'claude-sonnet-4-5-20250929',
      'claude-opus-4-6',
      'claude-haiku-4-5-20251001',
      'claude-sonnet-4-20250514',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'claude-sonnet-4-5@20250929',
      'claude-nova-7',
    ]) {
      expect(models).toContain(model);
    }
    const has = (predicate: (u: Rec, model: string) => boolean): boolean =>
      usage.some((f) => predicate(usageOf(f.record), String(obj(f.record.message).model)));
    expect(has((u, m) => m === 'claude-opus-4-6' && u.speed === 'fast')).toBe(true);
    expect(has((u) => u.inference_geo === 'us')).toBe(true);
    expect(has((u) => Number(obj(u.server_tool_use).web_search_requests) > 0)).toBe(true);
    expect(has((u) => Number(obj(u.server_tool_use).web_fetch_requests) > 0)).toBe(true);
    expect(has((u) => Number(obj(u.cache_creation).ephemeral_1h_input_tokens) > 0)).toBe(true);
    expect(
      has((u) => u.cache_creation === undefined && Number(u.cache_creation_input_tokens) > 0),
    ).toBe(true);
    expect(has((u, m) => m.includes('sonnet-4-5') && prompt(u) > 200_000)).toBe(true);
    expect(has((u, m) => m.includes('sonnet-4-5') && prompt(u) === 200_000)).toBe(true);
  });

  it('has every era and layout: cost lines, flat and nested subagents, XDG dir, odd cwds', () => {
    expect(
      count(
        (f) =>
          f.record.version === '1.0.0' &&
          isUsageLine(f.record) &&
          typeof f.record.costUSD === 'number' &&
          f.record.requestId === undefined,
      ),
    ).toBeGreaterThan(0);
    expect(
      count(
        (f) =>
          f.record.version === '1.0.5' &&
          typeof f.record.costUSD === 'number' &&
          typeof f.record.requestId === 'string',
      ),
    ).toBeGreaterThan(0);
    expect(
      count(
        (f) =>
          /^1\.0\./.test(String(f.record.version)) &&
          f.record.isSidechain === true &&
          !f.file.includes('agent-'),
      ),
    ).toBeGreaterThan(0);
    expect(
      scan.files.some((f) => /[/\\]projects[/\\][^/\\]+[/\\]agent-[0-9a-f]+\.jsonl$/.test(f.path)),
    ).toBe(true);
    expect(scan.files.some((f) => f.path.includes(`${sep}subagents${sep}agent-`))).toBe(true);
    expect(scan.files.some((f) => f.path.includes(`${sep}subagents${sep}workflows${sep}`))).toBe(
      true,
    );
    expect(
      scan.files.some((f) => f.path.includes(`${sep}.config${sep}claude${sep}projects${sep}`)),
    ).toBe(true);
    const cwdsIn = (folder: string): Set<unknown> =>
      new Set(
        scan.records
          .filter((f) => f.file.includes(`${sep}${folder}${sep}`))
          .map((f) => f.record.cwd)
          .filter((c) => c !== undefined),
      );
    expect(cwdsIn('-home-dev-a-b')).toEqual(new Set(['/home/dev/a-b', '/home/dev/a/b']));
    expect(count((f) => [...str(f.record.cwd)].some((c) => c.charCodeAt(0) > 127))).toBeGreaterThan(
      0,
    );
    const claudeJson = JSON.parse(readFileSync(manifest.claudeJson, 'utf8')) as {
      projects: Record<string, Rec>;
    };
    expect(
      Object.values(claudeJson.projects).some(
        (p) => typeof p.lastSessionId === 'string' && typeof p.lastCost === 'number',
      ),
    ).toBe(true);
    expect(existsSync(join(root, 'manifest.json'))).toBe(true);
  });
});
