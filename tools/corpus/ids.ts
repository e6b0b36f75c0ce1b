import type { Random } from './random.js';

/** Where a session's API calls went; it shapes the model ids and message ids on the lines. */
export type Provider = 'anthropic' | 'bedrock' | 'vertex';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Claude Code style identifiers. Message, request and tool-use ids end in a base62 counter, so
 * they are unique within a corpus whatever the random stream does.
 */
export class IdFactory {
  private counter = 0;

  constructor(private readonly rng: Random) {}

  private base62(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += BASE62[this.rng.uint32() % 62] ?? '0';
    return out;
  }

  private serial(): string {
    let n = this.counter++;
    let out = '';
    for (let i = 0; i < 6; i++) {
      out = (BASE62[n % 62] ?? '0') + out;
      n = Math.floor(n / 62);
    }
    return out;
  }

  /** A random version-4 UUID (line uuids, session ids, synthetic message ids). */
  uuid(): string {
    const hex = this.rng.hex(32);
    const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  messageId(provider: Provider): string {
    const prefix =
      provider === 'bedrock' ? 'msg_bdrk_01' : provider === 'vertex' ? 'msg_vrtx_01' : 'msg_01';
    return `${prefix}${this.base62(16)}${this.serial()}`;
  }

  requestId(): string {
    return `req_011C${this.base62(14)}${this.serial()}`;
  }

  toolUseId(): string {
    return `toolu_01${this.base62(16)}${this.serial()}`;
  }

  serverToolUseId(): string {
    return `srvtoolu_01${this.base62(14)}${this.serial()}`;
  }

  /** Subagent ids: 8 hex digits in older versions, 17 characters in newer ones. */
  agentId(long: boolean): string {
    return long ? `a${this.rng.hex(16)}` : this.rng.hex(8);
  }

  /** Opaque signature/encrypted payloads (base64-looking). */
  opaque(length: number): string {
    return this.base62(length);
  }
}
