/**
 * Seeded pseudo-random numbers (sfc32, seeded through splitmix32). Everything the corpus
 * generator draws comes from here, so one seed gives one byte-identical corpus.
 */

const GOLDEN_RATIO_32 = 0x9e3779b9;
const TWO_POW_32 = 4_294_967_296;

function splitmix32(state: number): number {
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    const low = Math.floor(seed) >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    let state = (low ^ Math.imul(stream + 1, GOLDEN_RATIO_32)) >>> 0;
    const next = (): number => {
      state = (state + GOLDEN_RATIO_32) >>> 0;
      return splitmix32(state);
    };
    this.a = next() ^ high;
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** A uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new Error('Random.pick: empty list');
    return item;
  }

  /** Picks from `[value, weight]` pairs in proportion to the weights. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.float() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new Error('Random.weighted: empty list');
    return last[0];
  }

  /** A float whose logarithm is uniform in [ln min, ln max): many small values, a few big ones. */
  logUniform(min: number, max: number): number {
    return min * Math.exp(this.float() * Math.log(max / min));
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** An independent stream for one purpose, so adding draws elsewhere does not shift it. */
  derive(label: string): Random {
    return new Random(this.uint32(), fnv1a(label));
  }
}
