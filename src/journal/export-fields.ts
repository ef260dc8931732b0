// Reads the few fields the pipeline needs straight from the bytes of one `journalctl -o export` entry
// (export-entries.ts cuts them), without making strings: the hot path copies MESSAGE's bytes into the
// batch, escaping only `"` and `\` (line protocol's string-field escapes). A text value in export is
// the field's own bytes: valid UTF-8 without control characters (journald writes anything else as a
// binary value), so it is not scanned here: the copy escapes as it goes. Binary values and repeated
// fields are marked so the caller decodes the entry into strings (decodeExportEntry) instead.

import { sameBytes } from '../bytes.js';
import { JournalDecodeError } from './decode.js';
import type { JournalEntry } from './entry.js';

const NEWLINE = 0x0a;
const EQUALS = 0x3d;
/** How much of a bad entry an error message quotes. */
const QUOTED_CHARS = 120;

/** How a value is written in the entry. */
export const ValueShape = {
  Absent: 0,
  /** A text value: printable UTF-8 as journald decided; copied into a field with `"` and `\` escaped. */
  Text: 1,
  /** A binary value (not printable UTF-8), or a field the entry holds more than once: decode to strings. */
  Other: 2,
} as const;
export type ValueShape = (typeof ValueShape)[keyof typeof ValueShape];

/** Byte range [start, end) of one value. */
export class FieldSpan {
  shape: ValueShape = ValueShape.Absent;
  start = 0;
  end = 0;

  reset(): void {
    this.shape = ValueShape.Absent;
    this.start = 0;
    this.end = 0;
  }
}

/** The fields of one entry as byte ranges into the chunk; reused for every entry (no allocation). */
export class EntrySpans {
  readonly cursor = new FieldSpan();
  readonly realtime = new FieldSpan();
  readonly message = new FieldSpan();
  readonly pid = new FieldSpan();

  reset(): void {
    this.cursor.reset();
    this.realtime.reset();
    this.message.reset();
    this.pid.reset();
  }
}

const KEY_CURSOR = Buffer.from('__CURSOR');
const KEY_REALTIME = Buffer.from('__REALTIME_TIMESTAMP');
const KEY_MESSAGE = Buffer.from('MESSAGE');
const KEY_PID = Buffer.from('_PID');

function spanFor(spans: EntrySpans, buf: Buffer, keyStart: number, keyEnd: number): FieldSpan | null {
  if (sameBytes(KEY_MESSAGE, buf, keyStart, keyEnd)) return spans.message;
  if (sameBytes(KEY_CURSOR, buf, keyStart, keyEnd)) return spans.cursor;
  if (sameBytes(KEY_REALTIME, buf, keyStart, keyEnd)) return spans.realtime;
  if (sameBytes(KEY_PID, buf, keyStart, keyEnd)) return spans.pid;
  return null;
}

/** The 64-bit little-endian length at i (exact below 2^53, far beyond any entry). */
function binaryLength(buf: Buffer, i: number): number {
  let length = 0;
  for (let k = 7; k >= 0; k--) length = length * 256 + buf[i + k]!;
  return length;
}

/**
 * Fills `spans` from the entry that starts at buf[start] and ends before `limit` (a whole-entry chunk's
 * end will do). Returns the index just past the entry (its blank line included), or -1 when the bytes
 * are not an entry as journalctl writes them (the caller then decodes it, with decodeExportEntry's error).
 * Walks the fields exactly as export-entries.ts's chunker does, so both end an entry at the same byte.
 */
export function scanExportEntry(buf: Buffer, start: number, end: number, spans: EntrySpans): number {
  spans.reset();
  let i = start;
  while (i < end) {
    if (buf[i] === NEWLINE) return i + 1;
    const keyStart = i;
    while (i < end && buf[i] !== EQUALS && buf[i] !== NEWLINE) i++;
    if (i >= end) return -1;
    const keyEnd = i;
    const span = spanFor(spans, buf, keyStart, keyEnd);
    const repeated = span !== null && span.shape !== ValueShape.Absent;
    if (buf[i] === EQUALS) {
      const valueEnd = buf.indexOf(NEWLINE, i + 1);
      if (valueEnd === -1 || valueEnd >= end) return -1;
      if (span !== null) {
        span.shape = ValueShape.Text;
        span.start = i + 1;
        span.end = valueEnd;
      }
      i = valueEnd + 1;
    } else {
      if (i + 9 > end) return -1;
      const length = binaryLength(buf, i + 1);
      const valueStart = i + 9;
      if (valueStart + length > end) return -1;
      if (span !== null) {
        span.shape = ValueShape.Other;
        span.start = valueStart;
        span.end = valueStart + length;
      }
      i = valueStart + length;
      // journalctl always writes the `\n`; anything else is read as the next field's name (as the chunker does).
      if (buf[i] === NEWLINE) i++;
    }
    if (repeated) span.shape = ValueShape.Other;
  }
  return -1;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * The entry in buf[start, end) as strings, for entries the byte path does not take and for readers
 * that need few entries. As journalctl's JSON gives it (decode.ts): MESSAGE decoded as UTF-8 (invalid
 * bytes become U+FFFD), every value of a repeated MESSAGE kept one per line; _PID only when it is one
 * text value. Throws JournalDecodeError for an entry without __CURSOR or __REALTIME_TIMESTAMP.
 */
export function decodeExportEntry(buf: Buffer, start: number, end: number): JournalEntry {
  const values = new Map<string, { bytes: Buffer; text: boolean }[]>();
  let i = start;
  while (i < end && buf[i] !== NEWLINE) {
    const keyStart = i;
    while (i < end && buf[i] !== EQUALS && buf[i] !== NEWLINE) i++;
    if (i >= end) break;
    const key = buf.toString('latin1', keyStart, i);
    const text = buf[i] === EQUALS;
    let valueStart = i + 1;
    let valueEnd: number;
    if (text) {
      valueEnd = buf.indexOf(NEWLINE, valueStart);
      if (valueEnd === -1 || valueEnd > end) valueEnd = end;
    } else {
      if (i + 9 > end) break;
      valueStart = i + 9;
      valueEnd = valueStart + binaryLength(buf, i + 1);
      if (valueEnd > end) break;
    }
    const list = values.get(key) ?? [];
    list.push({ bytes: buf.subarray(valueStart, valueEnd), text });
    values.set(key, list);
    i = valueEnd + 1;
  }
  const one = (key: string): string | null => {
    const found = values.get(key);
    return found?.length === 1 && found[0]!.text ? found[0]!.bytes.toString('utf8') : null;
  };
  const cursor = one('__CURSOR');
  const realtime = one('__REALTIME_TIMESTAMP');
  if (cursor === null || realtime === null || !/^\d+$/.test(realtime)) {
    const quoted = buf.toString('utf8', start, Math.min(end, start + QUOTED_CHARS)).replace(/\n/g, ' ');
    throw new JournalDecodeError(`journal entry without __CURSOR or __REALTIME_TIMESTAMP: ${quoted}`);
  }
  return {
    cursor,
    realtimeUs: realtime,
    message: (values.get('MESSAGE') ?? []).map((value) => utf8.decode(value.bytes)).join('\n'),
    pid: one('_PID') ?? '',
  };
}
