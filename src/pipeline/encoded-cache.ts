// Line-protocol pieces made from values of the log text (an event kind, a level, a model name, a field
// key), encoded once per distinct value and copied as bytes afterwards. The values come from log
// lines, so only the first ones are kept: past that, a value is encoded each time and not stored.

export class EncodedCache {
  private readonly kept = new Map<string, Buffer>();

  constructor(
    private readonly encode: (value: string) => string,
    private readonly limit = 256,
  ) {}

  get(value: string): Buffer {
    let bytes = this.kept.get(value);
    if (bytes === undefined) {
      bytes = Buffer.from(this.encode(value), 'utf8');
      if (this.kept.size < this.limit) this.kept.set(value, bytes);
    }
    return bytes;
  }
}
