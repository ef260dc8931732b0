// msg_hash's hash: 64 bits as two 32-bit multiply-xor lanes over bytes, each finished with murmur3's
// avalanche, printed as 16 lowercase hex digits. It runs on every entry, straight over journalctl's
// bytes (no string, no Buffer view, no native call), which SHA-1 through node:crypto could not do
// for less than a microsecond. msg_hash carries no security: a point's key is unique through the
// entry's place in the journal (key.ts), so a hash collision could not merge two rows anyway.

const LANE1 = 0x9e3779b1;
const LANE2 = 0x85ebca77;
const SEED1 = 0x811c9dc5;
const SEED2 = 0x2545f491;
const HEX = '0123456789abcdef';
const HEX_CODES = Array.from(HEX, (char) => char.charCodeAt(0));

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Hash64 {
  private h1 = SEED1;
  private h2 = SEED2;

  reset(): this {
    this.h1 = SEED1;
    this.h2 = SEED2;
    return this;
  }

  /** Continues from where `other` stands (a prefix hashed once for many values). */
  copyFrom(other: Hash64): void {
    this.h1 = other.h1;
    this.h2 = other.h2;
  }

  byte(value: number): void {
    this.h1 = Math.imul(this.h1 ^ value, LANE1);
    this.h2 = Math.imul(this.h2 ^ value, LANE2);
  }

  bytes(source: Uint8Array, start: number, end: number): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = start; i < end; i++) {
      const value = source[i]!;
      h1 = Math.imul(h1 ^ value, LANE1);
      h2 = Math.imul(h2 ^ value, LANE2);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** A JSON string body whose only escapes are `\"` and `\\`, hashed as the text it stands for. */
  unescapedBytes(source: Uint8Array, start: number, end: number): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = start; i < end; i++) {
      if (source[i] === 0x5c) i++;
      const value = source[i]!;
      h1 = Math.imul(h1 ^ value, LANE1);
      h2 = Math.imul(h2 ^ value, LANE2);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** Text as its UTF-8 bytes (ASCII without a copy). */
  text(value: string): void {
    for (let i = 0; i < value.length; i++) {
      if (value.charCodeAt(i) >= 0x80) {
        const utf8 = Buffer.from(value.slice(i), 'utf8');
        this.bytes(utf8, 0, utf8.length);
        return;
      }
      this.byte(value.charCodeAt(i));
    }
  }

  /** Writes the 16 hex digits into target at `at`. */
  writeHex(target: Uint8Array, at: number): void {
    const a = avalanche(this.h1 ^ Math.imul(this.h2, 0x27d4eb2f));
    const b = avalanche(this.h2 ^ a);
    for (let i = 0; i < 8; i++) target[at + i] = HEX_CODES[(a >>> (28 - 4 * i)) & 15]!;
    for (let i = 0; i < 8; i++) target[at + 8 + i] = HEX_CODES[(b >>> (28 - 4 * i)) & 15]!;
  }

  hex(): string {
    const out = new Uint8Array(16);
    this.writeHex(out, 0);
    return String.fromCharCode(...out);
  }
}
