import { describe, expect, it } from 'vitest';
import { bedrockBaseId, bedrockIdForms } from './bedrock-ids.js';

describe('bedrockIdForms', () => {
  it('derives the in-region id and every cross-region profile from the US profile', () => {
    expect(bedrockIdForms('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual([
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'apac.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'jp.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'au.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]);
  });

  it('gives the same forms from any one of them', () => {
    const fromUs = bedrockIdForms('us.anthropic.claude-opus-4-6-v1');
    expect(bedrockIdForms('anthropic.claude-opus-4-6-v1')).toEqual(fromUs);
    expect(bedrockIdForms('eu.anthropic.claude-opus-4-6-v1')).toEqual(fromUs);
  });

  it('rejects ids that are not Bedrock Anthropic ids', () => {
    expect(() => bedrockIdForms('claude-opus-4-6')).toThrow(/not a Bedrock/);
    expect(() => bedrockIdForms('xx.anthropic.claude-opus-4-6')).toThrow(/not a Bedrock/);
    expect(() => bedrockIdForms('us.anthropic.')).toThrow(/not a Bedrock/);
  });
});

describe('bedrockBaseId', () => {
  it('strips only a known region prefix', () => {
    expect(bedrockBaseId('apac.anthropic.claude-x')).toBe('anthropic.claude-x');
    expect(bedrockBaseId('anthropic.claude-x')).toBe('anthropic.claude-x');
    expect(bedrockBaseId('mars.anthropic.claude-x')).toBeUndefined();
    expect(bedrockBaseId('us.meta.llama')).toBeUndefined();
  });
});
