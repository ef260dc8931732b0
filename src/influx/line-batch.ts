// A batch of line-protocol lines kept as bytes: one Buffer the points are written into, line starts
// and each line's journal entry as offsets, and the entries' cursors as bytes. Nothing per line lives
// on the JS heap until the batch is acknowledged, and a rejected batch is bisected by slicing offsets.
// Buffers are pooled: a catch-up reuses the same few megabytes for every batch.

import type { Hash64 } from './points/hash64.js';
import { MICRO_PARTS, microParts } from './points/escape.js';
import { MEASUREMENT_IDS, MEASUREMENT_NOT_NOTED } from './measurements.js';
import { SliceInterner } from '../bytes.js';

/** A batch is full at this many lines or bytes (InfluxDB's recommended batch size is 5000 lines). */
export const MAX_BATCH_LINES = 5000;
const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/** Room for a full batch plus the entry that filled it, so the buffer rarely has to grow. */
const INITIAL_BYTES = MAX_BATCH_BYTES + 512 * 1024;
const INITIAL_CURSOR_BYTES = 256 * 1024;

function grown(buffer: Buffer, used: number, needed: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(buffer.length * 2, used + needed));
  buffer.copy(next, 0, 0, used);
  return next;
}

/**
 * Copies source[start, end) into target at `at`. Ranges up to a few hundred bytes (cursors, pids,
 * most log lines) are copied in a loop: Node 20's Buffer#copy and TypedArray#set both need a view
 * object made per call, which costs more than the copy itself and leaves garbage per entry.
 */
const LOOP_COPY_BYTES = 512;

function copyBytes(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): number {
  const length = end - start;
  if (length < LOOP_COPY_BYTES) for (let i = 0; i < length; i++) target[at + i] = source[start + i]!;
  else target.set(source.subarray(start, end), at);
  return length;
}

function grownInts(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/** Measurements read from lines that did not note theirs (a handful of names: interned). */
const measurementNames = new SliceInterner(16);

export class LineBatch {
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  /** Bytes written. Every line ends in `\n`. */
  length = 0;
  /** Lines written; line i is buf[lineStarts[i], lineStarts[i + 1]) (or up to `length`). */
  lines = 0;
  private lineStarts: Int32Array = new Int32Array(MAX_BATCH_LINES + 64);
  private lineEntry: Int32Array = new Int32Array(MAX_BATCH_LINES + 64);
  /** Each line's measurement id (measurements.ts), or MEASUREMENT_NOT_NOTED. */
  private lineMeasurement: Int32Array = new Int32Array(MAX_BATCH_LINES + 64);
  private cursorBuf: Buffer = Buffer.allocUnsafe(INITIAL_CURSOR_BYTES);
  private cursorLength = 0;
  private cursorStarts: Int32Array = new Int32Array(MAX_BATCH_LINES + 64);
  /** Journal entries in the batch (each gives one to three lines); 0 for lines from no entry. */
  entries = 0;
  /** Time of the newest entry, ms since the epoch. */
  lastEntryMs = 0;
  /** Set for batches of lines that come from no journal entry (inventory, timeline). */
  private label: string | null = null;

  reset(): void {
    this.length = 0;
    this.lines = 0;
    this.cursorLength = 0;
    this.entries = 0;
    this.lastEntryMs = 0;
    this.label = null;
  }

  full(): boolean {
    return this.lines >= MAX_BATCH_LINES || this.length >= MAX_BATCH_BYTES;
  }

  /** Starts a journal entry: its cursor bytes are kept for the checkpoint and for logging skipped lines. */
  beginEntry(cursor: Buffer, start: number, end: number, timeMs: number): void {
    if (this.entries + 1 >= this.cursorStarts.length) this.cursorStarts = grownInts(this.cursorStarts);
    if (this.cursorLength + (end - start) > this.cursorBuf.length) this.cursorBuf = grown(this.cursorBuf, this.cursorLength, end - start);
    this.cursorStarts[this.entries] = this.cursorLength;
    this.cursorLength += copyBytes(cursor, start, end, this.cursorBuf, this.cursorLength);
    this.cursorStarts[this.entries + 1] = this.cursorLength;
    this.entries++;
    this.lastEntryMs = timeMs;
  }

  /** Starts a line of the current entry (or label), noting its measurement id if the writer knows it (measurements.ts). */
  beginLine(measurement: number = MEASUREMENT_NOT_NOTED): void {
    if (this.lines + 1 >= this.lineStarts.length) {
      this.lineStarts = grownInts(this.lineStarts);
      this.lineEntry = grownInts(this.lineEntry);
      this.lineMeasurement = grownInts(this.lineMeasurement);
    }
    this.lineStarts[this.lines] = this.length;
    this.lineEntry[this.lines] = this.entries - 1;
    this.lineMeasurement[this.lines] = measurement;
  }

  endLine(): void {
    this.ensure(1);
    this.buf[this.length++] = 0x0a;
    this.lines++;
  }

  // Where the batch stood at mark(): kept in fields, as mark() runs once per entry.
  private marked = { length: 0, lines: 0, entries: 0, cursorLength: 0, lastEntryMs: 0 };

  /** Remembers where the batch stands, to drop an entry whose encoding fails half-way (see rollback). */
  mark(): void {
    const m = this.marked;
    m.length = this.length;
    m.lines = this.lines;
    m.entries = this.entries;
    m.cursorLength = this.cursorLength;
    m.lastEntryMs = this.lastEntryMs;
  }

  /** Back to the last mark(): nothing written since remains. */
  rollback(): void {
    const m = this.marked;
    this.length = m.length;
    this.lines = m.lines;
    this.entries = m.entries;
    this.cursorLength = m.cursorLength;
    this.lastEntryMs = m.lastEntryMs;
  }

  /** Drops the line begun last (an encoder that gave up half-way); nothing of it remains. */
  abandonLine(): void {
    this.length = this.lineStarts[this.lines]!;
  }

  private ensure(bytes: number): void {
    if (this.length + bytes > this.buf.length) this.buf = grown(this.buf, this.length, bytes);
  }

  /** Text known to be ASCII (hashes, numbers). Short text in a loop: Buffer#write's call costs more. */
  ascii(text: string): void {
    this.ensure(text.length);
    if (text.length < 64) {
      const buf = this.buf;
      let n = this.length;
      for (let i = 0; i < text.length; i++) buf[n++] = text.charCodeAt(i);
      this.length = n;
    } else {
      this.length += this.buf.write(text, this.length, 'latin1');
    }
  }

  /** A float field value: the bytes of floatValue(value) (escape.ts), without making its string. */
  float(value: number): void {
    if (!microParts(value)) {
      this.ascii(String(value));
      return;
    }
    if (MICRO_PARTS.negative) this.byte(0x2d);
    this.decimal(MICRO_PARTS.whole, 1);
    if (MICRO_PARTS.fractionDigits === 0) return;
    this.byte(0x2e);
    this.decimal(MICRO_PARTS.fraction, MICRO_PARTS.fractionDigits);
  }

  /** A non-negative integer in decimal, left-padded with zeros to `width` digits. */
  private decimal(value: number, width: number): void {
    let digits = 1;
    for (let rest = Math.floor(value / 10); rest > 0; rest = Math.floor(rest / 10)) digits++;
    if (digits < width) digits = width;
    this.ensure(digits);
    const buf = this.buf;
    let rest = value;
    for (let i = this.length + digits - 1; i >= this.length; i--) {
      buf[i] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.length += digits;
  }

  /** msg_hash's 16 hex digits. */
  hash(hash: Hash64): void {
    this.ensure(16);
    hash.writeHex(this.buf, this.length);
    this.length += 16;
  }

  /** Pre-encoded bytes (constant parts of a line). */
  constant(bytes: Buffer): void {
    this.bytes(bytes, 0, bytes.length);
  }

  utf8(text: string): void {
    this.ensure(text.length * 3);
    this.length += this.buf.write(text, this.length, 'utf8');
  }

  bytes(source: Buffer, start: number, end: number): void {
    this.ensure(end - start);
    this.length += copyBytes(source, start, end, this.buf, this.length);
  }

  byte(value: number): void {
    this.ensure(1);
    this.buf[this.length++] = value;
  }

  /** What was written since byte `start`, in memory of its own (Buffer.from would keep an 8 KiB pool slab alive). */
  copyOf(start: number): Buffer {
    const copy = Buffer.allocUnsafeSlow(this.length - start);
    this.buf.copy(copy, 0, start, this.length);
    return copy;
  }

  /** The bytes of lines [from, to), newline-terminated: a view, no copy. */
  body(from: number, to: number): Buffer {
    return this.buf.subarray(this.lineStarts[from]!, to < this.lines ? this.lineStarts[to]! : this.length);
  }

  /** Calls add(measurement, lines) for the lines [from, to), by measurement. */
  countByMeasurement(from: number, to: number, add: (measurement: string, lines: number) => void): void {
    const noted = new Int32Array(MEASUREMENT_IDS.length + 1);
    for (let i = from; i < to; i++) {
      const id = this.lineMeasurement[i]!;
      if (id !== MEASUREMENT_NOT_NOTED) {
        noted[id]!++;
        continue;
      }
      // The measurement is what precedes the line's first comma or space (ours need no escaping).
      const start = this.lineStarts[i]!;
      const end = this.lineEnd(i);
      let cut = start;
      while (cut < end && this.buf[cut] !== 0x2c && this.buf[cut] !== 0x20) cut++;
      add(measurementNames.get(this.buf, start, cut), 1);
    }
    for (let id = 1; id < noted.length; id++) if (noted[id]! > 0) add(MEASUREMENT_IDS[id - 1]!, noted[id]!);
  }

  /** One line as text without its newline (for logs). */
  line(index: number): string {
    return this.buf.toString('utf8', this.lineStarts[index]!, this.lineEnd(index));
  }

  /** Where line `index` ends: the offset of its newline. */
  private lineEnd(index: number): number {
    return (index + 1 < this.lines ? this.lineStarts[index + 1]! : this.length) - 1;
  }

  /** The journal cursor of the entry a line came from (or the batch's label). */
  cursorOfLine(index: number): string {
    if (this.label !== null) return this.label;
    const entry = this.lineEntry[index]!;
    return this.cursorBuf.toString('latin1', this.cursorStarts[entry]!, this.cursorStarts[entry + 1]!);
  }

  /** The cursor to checkpoint once the whole batch is acknowledged. */
  lastCursor(): string {
    if (this.label !== null) return this.label;
    return this.cursorBuf.toString('latin1', this.cursorStarts[this.entries - 1]!, this.cursorLength);
  }

  /** A batch of ready-made lines that come from no journal entry: nothing to checkpoint (`batch` is reset and reused). */
  static standalone(lines: readonly string[], label: string, timeMs: number, batch = new LineBatch()): LineBatch {
    batch.reset();
    for (const text of lines) {
      batch.beginLine();
      batch.utf8(text);
      batch.endLine();
    }
    batch.label = label;
    batch.lastEntryMs = timeMs;
    return batch;
  }
}

/** Reuses batches once they are acknowledged, so a catch-up keeps allocating nothing new. */
export class LineBatchPool {
  private readonly free: LineBatch[] = [];

  acquire(): LineBatch {
    const batch = this.free.pop() ?? new LineBatch();
    batch.reset();
    return batch;
  }

  release(batch: LineBatch): void {
    this.free.push(batch);
  }

  /** Batches waiting to be reused. */
  get freeBatches(): number {
    return this.free.length;
  }

  /** Keeps at most `keep` free batches (their buffers are a few megabytes each). */
  trim(keep: number): void {
    if (this.free.length > keep) this.free.length = keep;
  }
}
