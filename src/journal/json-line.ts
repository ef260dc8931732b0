// Reads the few fields the pipeline needs straight from the bytes of one `journalctl -o json` line,
// without JSON.parse of the whole entry and without making strings: the hot path copies MESSAGE's
// bytes into the batch as they are, because JSON's escapes for `"` and `\` are exactly line
// protocol's string-field escapes. Anything unusual (other escapes, a byte-array MESSAGE, null) is
// marked so the caller decodes that value with JSON.parse instead.

import { sameBytes } from '../bytes.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** How a value is written in the line. */
export const ValueShape = {
  Absent: 0,
  /** A string with no backslash: its bytes are the text. */
  Plain: 1,
  /** A string whose only escapes are `\"` and `\\`: its bytes are already line-protocol-escaped. */
  Simple: 2,
  /** A string with other escapes (`\n`, `\u001b`, …): decode with JSON.parse. */
  Escaped: 3,
  /** An array of byte values (not valid UTF-8 or not printable), or null: decode with JSON.parse. */
  Other: 4,
} as const;
export type ValueShape = (typeof ValueShape)[keyof typeof ValueShape];

/** Byte ranges of one value: [start, end) of the string body (inside the quotes), or of the raw value. */
export class FieldSpan {
  shape: ValueShape = ValueShape.Absent;
  start = 0;
  end = 0;
  /** The string holds bytes ≥ 0x80 (multi-byte UTF-8, to be validated); false for pure ASCII. */
  nonAscii = false;

  reset(): void {
    this.shape = ValueShape.Absent;
    this.start = 0;
    this.end = 0;
    this.nonAscii = false;
  }
}

/** The fields of one entry as byte ranges into the line; reused for every line (no allocation). */
export class JsonEntrySpans {
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

// Keys compared as bytes; journalctl prints them without escapes.
const KEY_CURSOR = Buffer.from('__CURSOR');
const KEY_REALTIME = Buffer.from('__REALTIME_TIMESTAMP');
const KEY_MESSAGE = Buffer.from('MESSAGE');
const KEY_PID = Buffer.from('_PID');

function skipSpace(buf: Buffer, i: number, end: number): number {
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0d)) i++;
  return i;
}

/**
 * Scans the string starting at the quote at `i`; returns the index after its closing quote, or -1.
 * Records in `span` (when given) the body range and whether it has escapes beyond `\"` and `\\`.
 */
function scanString(buf: Buffer, i: number, end: number, span: FieldSpan | null): number {
  let shape: ValueShape = ValueShape.Plain;
  let high = 0;
  const start = i + 1;
  for (let j = start; j < end; j++) {
    const byte = buf[j]!;
    high |= byte;
    if (byte === QUOTE) {
      if (span !== null) {
        span.shape = shape;
        span.start = start;
        span.end = j;
        span.nonAscii = high >= 0x80;
      }
      return j + 1;
    }
    if (byte === BACKSLASH) {
      const next = buf[j + 1];
      if (next === QUOTE || next === BACKSLASH) {
        if (shape === ValueShape.Plain) shape = ValueShape.Simple;
      } else {
        shape = ValueShape.Escaped;
      }
      j++;
    }
  }
  return -1;
}

/** Strings up to this long are searched for their quote in a loop: a native indexOf call costs more. */
const SHORT_STRING_BYTES = 48;

/** The next quote at or after i, before end; -1 when there is none. */
function quoteFrom(buf: Buffer, i: number, end: number): number {
  const stop = Math.min(end, i + SHORT_STRING_BYTES);
  for (let j = i; j < stop; j++) if (buf[j] === QUOTE) return j;
  if (stop === end) return -1;
  const found = buf.indexOf(QUOTE, stop);
  return found === -1 || found >= end ? -1 : found;
}

/**
 * The other strings (cursor, timestamps, boot ID, pid) are journald's own hex and digits: the closing
 * quote is found without looking at escapes. A quote with a backslash before it may be escaped, and
 * then the string is scanned byte by byte after all; so is one whose span must tell escapes apart (a
 * `\` in a pid would make its bytes differ from its text).
 */
function skipString(buf: Buffer, i: number, end: number, span: FieldSpan | null, trusted: boolean): number {
  const close = quoteFrom(buf, i + 1, end);
  if (close === -1) return -1;
  if (buf[close - 1] === BACKSLASH) return scanString(buf, i, end, span);
  if (span !== null) {
    // journald prints cursors as `s=<hex>;i=<hex>;…` and timestamps as digits, never escaped: the
    // callers check what they use of them (placeOf, digitsOnly). A pid is copied into a field as it is.
    if (!trusted) {
      for (let j = i + 1; j < close; j++) if (buf[j] === BACKSLASH || buf[j]! >= 0x80) return scanString(buf, i, end, span);
    }
    span.shape = ValueShape.Plain;
    span.start = i + 1;
    span.end = close;
    span.nonAscii = false;
  }
  return close + 1;
}

/** Skips a non-string value (array of numbers, null, a number); returns the index after it, or -1. */
function scanOther(buf: Buffer, i: number, end: number, span: FieldSpan | null): number {
  let j = i;
  if (buf[i] === OPEN_BRACKET) {
    j = buf.indexOf(CLOSE_BRACKET, i);
    if (j === -1 || j >= end) return -1;
    j++;
  } else {
    while (j < end && buf[j] !== COMMA && buf[j] !== CLOSE_BRACE) j++;
  }
  if (span !== null) {
    span.shape = ValueShape.Other;
    span.start = i;
    span.end = j;
  }
  return j;
}

/**
 * Fills `spans` from the JSON object in buf[start, end). Returns false when the bytes are not the
 * flat object journalctl prints (the caller then falls back to JSON.parse and its error message).
 */
export function scanJournalJson(buf: Buffer, start: number, end: number, spans: JsonEntrySpans): boolean {
  spans.reset();
  let i = skipSpace(buf, start, end);
  if (buf[i] !== OPEN_BRACE) return false;
  i = skipSpace(buf, i + 1, end);
  if (buf[i] === CLOSE_BRACE) return true;
  for (;;) {
    if (buf[i] !== QUOTE) return false;
    const keyStart = i + 1;
    const keyEnd = quoteFrom(buf, keyStart, end);
    if (keyEnd === -1) return false;
    i = skipSpace(buf, keyEnd + 1, end);
    if (buf[i] !== COLON) return false;
    i = skipSpace(buf, i + 1, end);
    let span: FieldSpan | null = null;
    if (sameBytes(KEY_MESSAGE, buf, keyStart, keyEnd)) span = spans.message;
    else if (sameBytes(KEY_CURSOR, buf, keyStart, keyEnd)) span = spans.cursor;
    else if (sameBytes(KEY_REALTIME, buf, keyStart, keyEnd)) span = spans.realtime;
    else if (sameBytes(KEY_PID, buf, keyStart, keyEnd)) span = spans.pid;
    if (buf[i] !== QUOTE) i = scanOther(buf, i, end, span);
    else if (span === spans.message) i = scanString(buf, i, end, span);
    else i = skipString(buf, i, end, span, span === spans.cursor || span === spans.realtime);
    if (i === -1) return false;
    i = skipSpace(buf, i, end);
    if (buf[i] === CLOSE_BRACE) return true;
    if (buf[i] !== COMMA) return false;
    i = skipSpace(buf, i + 1, end);
  }
}
