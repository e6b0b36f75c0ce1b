/**
 * Bedrock serves one model under several ids: the in-region id (`anthropic.<model>`) and one
 * cross-region inference profile per geography (`us.anthropic.<model>`, `eu.…`, `apac.…`, …).
 * The catalogue lists only the US profile; this explicit rule derives the others. It is a fixed
 * list of prefixes, not substring matching.
 */
export const BEDROCK_REGION_PREFIXES: readonly string[] = Object.freeze([
  'us',
  'us-gov',
  'eu',
  'apac',
  'jp',
  'au',
  'global',
]);

const MODEL_PREFIX = 'anthropic.';

/** `us.anthropic.x` or `anthropic.x` → `anthropic.x`; undefined for anything else. */
export function bedrockBaseId(bedrockId: string): string | undefined {
  if (bedrockId.startsWith(MODEL_PREFIX)) return bedrockId;
  for (const region of BEDROCK_REGION_PREFIXES) {
    const regionPrefix = `${region}.${MODEL_PREFIX}`;
    if (bedrockId.startsWith(regionPrefix)) return bedrockId.slice(region.length + 1);
  }
  return undefined;
}

/**
 * Every Bedrock id of the model behind `bedrockId`: the in-region id first, then one per region
 * prefix. Throws for an id that is not a Bedrock Anthropic id (a catalogue error).
 */
export function bedrockIdForms(bedrockId: string): readonly string[] {
  const baseId = bedrockBaseId(bedrockId);
  if (baseId === undefined || baseId.length === MODEL_PREFIX.length) {
    throw new Error(`not a Bedrock Anthropic model id: ${JSON.stringify(bedrockId)}`);
  }
  return [baseId, ...BEDROCK_REGION_PREFIXES.map((region) => `${region}.${baseId}`)];
}
