// Cuts `journalctl -o export` output into chunks of whole entries, straight from the pipe. The export
// format is journald's own serialization: per field either `KEY=value\n` (text: valid UTF-8, no control
// characters) or `KEY\n` + 64-bit little-endian length + that many bytes + `\n` (anything else), and a
// blank line after each entry. journalctl writes it with a fraction of the CPU JSON costs it (no
// escaping), and the fields need no unescaping here. A binary value may hold any byte, blank lines
// included, so entry ends are found by walking the fields, never by searching for `\n\n`.
//
// Memory stays bounded: at most one chunk and one partial entry are held, and never more than
// MAX_ENTRY_BYTES of one entry; a larger one is dropped with its head (which starts with __CURSOR and
// __REALTIME_TIMESTAMP: export prints them first) reported to onOversized.

/**
 * journald cuts a service's output lines at LineMax (48 KiB by default); an entry of the two fields
 * the shipper asks for is a little more. A larger one (a native-protocol client can send megabytes)
 * is not an Ollama log line.
 */
export const MAX_ENTRY_BYTES = 1024 * 1024;
/** What is kept of an oversized entry: its first lines (cursor and time) for the log and the checkpoint. */
const KEPT_HEAD_BYTES = 4096;

/** Called for an entry longer than the limit, with its head as text and its length. */
export type OversizedEntryHandler = (head: string, bytes: number) => void;

const NEWLINE = 0x0a;
const EQUALS = 0x3d;

const enum Step {
  /** At the start of a field, or of the blank line that ends the entry. */
  FieldStart,
  /** Inside a field name: `=` makes it text, `\n` binary. */
  Key,
  /** Inside a text value, up to its `\n`. */
  Text,
  /** Reading the 8 length bytes of a binary value. */
  Length,
  /** Inside a binary value. */
  Binary,
  /** At the `\n` after a binary value. */
  BinaryEnd,
}

/** Where the walk through the fields stands; carried from one pipe read to the next. */
class EntryWalk {
  step = Step.FieldStart;
  lengthBytes = 0;
  length = 0;
  remaining = 0;

  /**
   * Walks buf from i up to end; returns the index just past the blank line that ends the current
   * entry, or -1 when the entry goes on past end.
   */
  advance(buf: Buffer, i: number, end: number): number {
    while (i < end) {
      switch (this.step) {
        case Step.FieldStart:
          if (buf[i] === NEWLINE) return i + 1;
          this.step = Step.Key;
          break;
        case Step.Key: {
          // A tight loop, not a step per byte: names are short, but every entry has several.
          let byte = buf[i]!;
          while (byte !== EQUALS && byte !== NEWLINE && ++i < end) byte = buf[i]!;
          if (i === end) return -1;
          i++;
          if (byte === EQUALS) {
            this.step = Step.Text;
          } else {
            this.step = Step.Length;
            this.lengthBytes = 0;
            this.length = 0;
          }
          break;
        }
        case Step.Text: {
          const newline = buf.indexOf(NEWLINE, i);
          if (newline === -1 || newline >= end) return -1;
          i = newline + 1;
          this.step = Step.FieldStart;
          break;
        }
        case Step.Length:
          this.length += buf[i++]! * 2 ** (8 * this.lengthBytes++);
          if (this.lengthBytes === 8) {
            this.remaining = this.length;
            this.step = Step.Binary;
          }
          break;
        case Step.Binary: {
          const take = Math.min(this.remaining, end - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.step = Step.BinaryEnd;
          break;
        }
        case Step.BinaryEnd:
          // journalctl always writes the `\n`; anything else is read as the next field's name.
          if (buf[i] === NEWLINE) i++;
          this.step = Step.FieldStart;
          break;
      }
    }
    return -1;
  }
}

/** An entry over the limit, dropped: its head as text (cursor and time lines first) and its length. */
interface OversizedEntry {
  readonly head: string;
  readonly bytes: number;
}

/**
 * Cuts the pieces of the stream into chunks of whole entries. A plain class, not the async generator
 * itself: its method is optimized as an ordinary function, and the generator stays a thin loop.
 */
export class EntryChunker {
  private readonly walk = new EntryWalk();
  // The entry begun in an earlier read, as pieces joined once when its end comes.
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  // Of an entry past the limit only its head is kept; its bytes are counted, not held.
  private oversizedHead: Buffer | null = null;
  /** What the last push() found, in stream order: chunks of whole entries and dropped oversized entries. */
  readonly out: (Buffer | OversizedEntry)[] = [];

  constructor(private readonly maxEntryBytes = MAX_ENTRY_BYTES) {}

  push(piece: Buffer): void {
    const out = this.out;
    out.length = 0;
    let runStart = 0;
    let entryStart = 0;
    while (entryStart < piece.length) {
      const entryEnd = this.walk.advance(piece, entryStart, piece.length);
      if (entryEnd === -1) break;
      const bytes = this.pendingBytes + entryEnd - entryStart;
      if (this.oversizedHead !== null || bytes > this.maxEntryBytes) {
        if (entryStart > runStart) out.push(piece.subarray(runStart, entryStart));
        const head = this.oversizedHead ?? Buffer.concat([...this.pending, piece.subarray(entryStart, Math.min(entryEnd, entryStart + KEPT_HEAD_BYTES))]);
        out.push({ head: head.subarray(0, KEPT_HEAD_BYTES).toString('utf8'), bytes });
        runStart = entryEnd;
      } else if (this.pendingBytes > 0) {
        // Only the carried-over entry is joined (a few hundred bytes), not the whole read with it.
        out.push(Buffer.concat([...this.pending, piece.subarray(0, entryEnd)]));
        runStart = entryEnd;
      }
      this.pending = [];
      this.pendingBytes = 0;
      this.oversizedHead = null;
      this.walk.step = Step.FieldStart;
      entryStart = entryEnd;
    }
    if (runStart < entryStart) out.push(piece.subarray(runStart, entryStart));
    if (entryStart < piece.length) this.carry(piece, entryStart);
  }

  /** Keeps the start of an entry that goes on in the next piece (only its head once it is too long). */
  private carry(piece: Buffer, from: number): void {
    const rest = piece.length - from;
    if (this.oversizedHead === null && this.pendingBytes + rest > this.maxEntryBytes) {
      this.oversizedHead = Buffer.from(Buffer.concat([...this.pending, piece.subarray(from)]).subarray(0, KEPT_HEAD_BYTES));
      this.pending = [];
    } else if (this.oversizedHead === null) {
      this.pending.push(Buffer.from(piece.subarray(from)));
    }
    this.pendingBytes += rest;
  }
}

/**
 * Yields chunks that hold whole entries only (each ending in its blank line), and reports dropped
 * oversized entries in their place in the stream. A last entry without its end is not yielded:
 * journalctl stopped mid-entry, and the next pass reads it again.
 */
export async function* wholeEntryChunks(
  stream: AsyncIterable<Buffer>,
  onOversized: OversizedEntryHandler = () => undefined,
  maxEntryBytes = MAX_ENTRY_BYTES,
): AsyncGenerator<Buffer> {
  const chunker = new EntryChunker(maxEntryBytes);
  for await (const piece of stream) {
    chunker.push(piece);
    for (const item of chunker.out) {
      if (item instanceof Uint8Array) yield item;
      else onOversized(item.head, item.bytes);
    }
  }
}

/** The index just past the entry that starts at buf[start] (its blank line included), or -1 if it ends past `end`. */
export function entryEnd(buf: Buffer, start: number, end: number): number {
  return new EntryWalk().advance(buf, start, end);
}

/**
 * Calls fn(start, end) for each entry of a whole-entry chunk ([start, end) includes its blank line).
 * The walk is the same as the chunker's, so the two cannot disagree on where an entry ends.
 */
export function forEachEntry(chunk: Buffer, fn: (start: number, end: number) => void): void {
  const walk = new EntryWalk();
  let start = 0;
  while (start < chunk.length) {
    walk.step = Step.FieldStart;
    const end = walk.advance(chunk, start, chunk.length);
    if (end === -1) return;
    fn(start, end);
    start = end;
  }
}

/**
 * Cursor and time of an entry that could not be decoded (or was too large), from its head. Export
 * prints __CURSOR first and __REALTIME_TIMESTAMP second, so only those lines count: a message cannot
 * fake them.
 */
export function exportEntryPlace(head: string): { cursor: string | null; realtimeUs: string | null } {
  const first = head.indexOf('\n');
  const second = first === -1 ? -1 : head.indexOf('\n', first + 1);
  const cursorLine = head.slice(0, first === -1 ? head.length : first);
  const timeLine = first === -1 ? '' : head.slice(first + 1, second === -1 ? head.length : second);
  const cursor = cursorLine.startsWith('__CURSOR=') ? cursorLine.slice('__CURSOR='.length) : '';
  const time = /^__REALTIME_TIMESTAMP=(\d+)$/.exec(timeLine)?.[1] ?? null;
  return { cursor: cursor === '' ? null : cursor, realtimeUs: time };
}
