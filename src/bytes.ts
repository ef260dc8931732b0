// Short byte ranges of journalctl's output compared and named on the hot path. Loops on purpose: for
// a few dozen bytes, a Buffer view or a native compare per call costs more than the comparison.

/** known equals buf[start, end). */
export function sameBytes(known: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (end - start !== known.length) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== buf[start + i]) return false;
  return true;
}

/** buf[start, end) begins with prefix. */
export function startsWithBytes(buf: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  return end - start >= prefix.length && sameBytes(prefix, buf, start, start + prefix.length);
}

/**
 * Strings for byte ranges that repeat (methods, paths, measurement names): compared in place and made
 * once. Bounded: past `capacity` distinct values new ones are made each time and not kept.
 */
export class SliceInterner {
  private readonly bytes: Buffer[] = [];
  private readonly texts: string[] = [];

  constructor(private readonly capacity: number) {}

  /** The range's text as latin1 (the callers' ranges are ASCII). */
  get(source: Buffer, start: number, end: number): string {
    for (let k = 0; k < this.bytes.length; k++) if (sameBytes(this.bytes[k]!, source, start, end)) return this.texts[k]!;
    const text = source.toString('latin1', start, end);
    if (this.bytes.length < this.capacity) {
      this.bytes.push(Buffer.from(source.subarray(start, end)));
      this.texts.push(text);
    }
    return text;
  }
}
