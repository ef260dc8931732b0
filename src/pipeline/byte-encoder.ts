// The pipeline's transform step at the byte level: one `journalctl -o json` line in, its points out,
// written straight into a LineBatch. The common entry (a plain or `\"`/`\\`-escaped string MESSAGE) is
// never turned into a JS string unless its first bytes can start a known Ollama kind; MESSAGE and
// _PID are copied as bytes (JSON's escapes for `"` and `\` are line protocol's). Anything unusual
// (other escapes, a byte-array MESSAGE, a cursor without a seqnum) goes through the string encoder,
// which stays the reference: for every entry both give byte-identical lines (a test checks it).

import { isUtf8 } from 'node:buffer';
import { sameBytes } from '../bytes.js';
import { decodeJournalLine } from '../journal/decode.js';
import { JsonEntrySpans, scanJournalJson, ValueShape, type FieldSpan } from '../journal/json-line.js';
import { createEntryEncoder, type EncoderSettings } from './encode.js';
import { Hash64 } from '../influx/points/hash64.js';
import { hostTagValue } from './logs.js';
import { EVENTS_ID, LOGS_ID, LOGS_MEASUREMENT, REQUESTS_ID } from '../influx/measurements.js';
import { requestLine } from './structured.js';
import { createEventPointWriter } from './event-point.js';
import { createGinRequestWriter } from './gin-request.js';
import type { LineBatch } from '../influx/line-batch.js';
import { couldBeKnown } from '../ollama/parse/line-starts.js';
import { parseMessage } from '../ollama/parse/index.js';
import { ParseCache } from './parse-cache.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COLON = 0x3a;
const NS_SLOTS = 1000;

export interface ByteEncoder {
  /** Appends the points of the journalctl JSON line in line[start, end) to the batch; throws JournalDecodeError for a line that is no entry. */
  encode(line: Buffer, start: number, end: number, batch: LineBatch): void;
  /** Entries that took the string encoder (unusual escapes, byte-array MESSAGE, …), for tests and the bench. */
  readonly fallbacks: number;
}

/** Grows on demand; holds one unescaped message at a time (for the parser). */
class Scratch {
  buf = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  ensure(bytes: number): void {
    if (this.length + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + bytes));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /** Copies a JSON string body whose only escapes are `\"` and `\\`, unescaping them. */
  unescape(source: Buffer, start: number, end: number): void {
    this.ensure(end - start);
    const out = this.buf;
    let n = this.length;
    for (let i = start; i < end; i++) {
      const byte = source[i]!;
      if (byte === BACKSLASH) i++;
      out[n++] = source[i]!;
    }
    this.length = n;
  }

}

/** The `s=` and `i=` parts of a cursor as byte ranges, or null when they are not where journald puts them. */
interface PlaceSpans {
  idStart: number;
  idEnd: number;
  seqStart: number;
  seqEnd: number;
}

/** Index just past the `;` that ends the part starting at i (or end), scanning forward. */
function partEnd(buf: Buffer, i: number, end: number): number {
  while (i < end && buf[i] !== 0x3b) i++;
  return i;
}

function isLowerHex(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66);
}

/** journald writes `s=<id>;i=<seqnum>;…` first, in that order; any other shape takes the string path. */
function placeOf(buf: Buffer, cursor: FieldSpan, out: PlaceSpans): boolean {
  const { start, end } = cursor;
  if (buf[start] !== 0x73 /* s */ || buf[start + 1] !== 0x3d) return false;
  const idEnd = partEnd(buf, start + 2, end);
  if (idEnd === start + 2 || buf[idEnd + 1] !== 0x69 /* i */ || buf[idEnd + 2] !== 0x3d) return false;
  const seqStart = idEnd + 3;
  const seqEnd = partEnd(buf, seqStart, end);
  if (seqEnd === seqStart || seqEnd - seqStart > 16) return false;
  for (let i = seqStart; i < seqEnd; i++) if (!isLowerHex(buf[i]!)) return false;
  out.idStart = start + 2;
  out.idEnd = idEnd;
  out.seqStart = seqStart;
  out.seqEnd = seqEnd;
  return true;
}

function seqnumSlot(buf: Buffer, start: number, end: number): number {
  let slot = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    slot = (slot * 16 + (byte <= 0x39 ? byte - 0x30 : byte - 0x57)) % NS_SLOTS;
  }
  return slot;
}

function seqnumValue(buf: Buffer, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    value = value * 16 + (byte <= 0x39 ? byte - 0x30 : byte - 0x57);
  }
  return value;
}

function digitsOnly(buf: Buffer, span: FieldSpan): boolean {
  if (span.end === span.start || span.end - span.start > 17) return false;
  for (let i = span.start; i < span.end; i++) if (buf[i]! < 0x30 || buf[i]! > 0x39) return false;
  return true;
}

function decimalValue(buf: Buffer, span: FieldSpan): number {
  let value = 0;
  for (let i = span.start; i < span.end; i++) value = value * 10 + (buf[i]! - 0x30);
  return value;
}

export function createByteEncoder(settings: EncoderSettings): ByteEncoder {
  const host = hostTagValue(settings.host);
  const { msgHashMode, modelFor, observer } = settings;
  const reference = createEntryEncoder(settings);
  const spans = new JsonEntrySpans();
  const place: PlaceSpans = { idStart: 0, idEnd: 0, seqStart: 0, seqEnd: 0 };
  const scratch = new Scratch();
  const parses = new ParseCache(parseMessage);
  const hash = new Hash64();
  const referenceLines: string[] = [];
  const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
  const LOGS_HEAD = bytes(`${LOGS_MEASUREMENT},host=${host}`);
  const HASH_TAG = bytes(',msg_hash=');
  const MESSAGE_FIELD = bytes(',source=systemd message="');
  const PID_FIELD = bytes('",pid="');
  const HASH_FIELD = bytes(',msg_hash="');
  const EVENT_MESSAGE_FIELD = bytes(' message="');
  // The seqnum ID changes only when journald starts a new sequence: its string is made once per ID.
  let seqnumIdBytes = Buffer.alloc(0);
  let seqnumId = '';
  // The hash of `<seqnum ID>:` is the same for every entry of a sequence: computed once per ID.
  // noteSeqnumId runs once per entry (before the hash); seqnumId and idHash are then the entry's.
  const idHash = new Hash64();
  const noteSeqnumId = (line: Buffer): void => {
    if (!sameBytes(seqnumIdBytes, line, place.idStart, place.idEnd)) {
      seqnumIdBytes = Buffer.from(line.subarray(place.idStart, place.idEnd));
      seqnumId = seqnumIdBytes.toString('latin1');
      idHash.reset();
      idHash.bytes(seqnumIdBytes, 0, seqnumIdBytes.length);
      idHash.byte(COLON);
    }
  };
  const ginRequest = createGinRequestWriter(host, observer);
  const eventPoint = createEventPointWriter(host);
  // Filled in place for each gin line (nothing keeps them): no objects per line.
  const ginPosition = { seqnumId: '', seqnum: 0 };
  const ginPoint = { timeMs: 0, position: observer === undefined ? null : ginPosition, realtime: spans.realtime, slot: '' };
  const slotText = Array.from({ length: NS_SLOTS }, (_, i) => String(i).padStart(3, '0'));

  /** The string encoder, for entries the byte path does not take; it throws on entries that are not entries. */
  let fallbacks = 0;
  const viaReference = (line: Buffer, start: number, end: number, batch: LineBatch): void => {
    fallbacks++;
    const entry = decodeJournalLine(line.toString('utf8', start, end));
    referenceLines.length = 0;
    reference(entry, referenceLines);
    const cursor = Buffer.from(entry.cursor, 'latin1');
    batch.beginEntry(cursor, 0, cursor.length, Number(entry.realtimeUs) / 1000);
    for (const text of referenceLines) {
      batch.beginLine();
      batch.utf8(text);
      batch.endLine();
    }
  };

  const encode = (line: Buffer, start: number, end: number, batch: LineBatch): void => {
    if (!scanJournalJson(line, start, end, spans)) return viaReference(line, start, end, batch);
    const { cursor, realtime, message, pid } = spans;
    const messageBytesOk =
      (message.shape === ValueShape.Plain || message.shape === ValueShape.Simple) &&
      (!message.nonAscii || isUtf8(line.subarray(message.start, message.end)));
    if (
      cursor.shape !== ValueShape.Plain ||
      realtime.shape !== ValueShape.Plain ||
      !digitsOnly(line, realtime) ||
      !messageBytesOk ||
      !(pid.shape === ValueShape.Plain || pid.shape === ValueShape.Simple || pid.shape === ValueShape.Absent) ||
      !placeOf(line, cursor, place)
    ) {
      return viaReference(line, start, end, batch);
    }

    // msg_hash: Hash64 over `<seqnum ID>:<seqnum>\n<realtime µs>\n<message>` (as key.ts's msgHash),
    // straight over the line's bytes.
    noteSeqnumId(line);
    hash.copyFrom(idHash);
    hash.bytes(line, place.seqStart, place.seqEnd);
    hash.byte(NEWLINE);
    hash.bytes(line, realtime.start, realtime.end);
    hash.byte(NEWLINE);
    if (message.shape === ValueShape.Plain) hash.bytes(line, message.start, message.end);
    else hash.unescapedBytes(line, message.start, message.end);
    const slot = slotText[seqnumSlot(line, place.seqStart, place.seqEnd)]!;

    const timeMs = decimalValue(line, realtime) / 1000;
    batch.beginEntry(line, cursor.start, cursor.end, timeMs);
    batch.beginLine(LOGS_ID);
    batch.constant(LOGS_HEAD);
    if (msgHashMode === 'tag') {
      batch.constant(HASH_TAG);
      batch.hash(hash);
    }
    batch.constant(MESSAGE_FIELD);
    batch.bytes(line, message.start, message.end);
    batch.constant(PID_FIELD);
    if (pid.shape !== ValueShape.Absent) batch.bytes(line, pid.start, pid.end);
    batch.byte(QUOTE);
    if (msgHashMode === 'field') {
      batch.constant(HASH_FIELD);
      batch.hash(hash);
      batch.byte(QUOTE);
    }
    batch.byte(0x20);
    batch.bytes(line, realtime.start, realtime.end);
    batch.ascii(slot);
    batch.endLine();

    if (ginRequest.read(line, message.start, message.end)) {
      ginPoint.timeMs = timeMs;
      ginPoint.slot = slot;
      if (observer !== undefined) {
        ginPosition.seqnumId = seqnumId;
        ginPosition.seqnum = seqnumValue(line, place.seqStart, place.seqEnd);
      }
      return ginRequest.write(line, batch, ginPoint);
    }
    // The prefilter reads the escaped bytes: its prefixes and needles hold no `"` or `\` (line-starts.ts).
    if (!couldBeKnown(line, message.start, message.end)) return;
    let text: string;
    if (message.shape === ValueShape.Plain) {
      text = line.toString('utf8', message.start, message.end);
    } else {
      scratch.length = 0;
      scratch.unescape(line, message.start, message.end);
      text = scratch.buf.toString('utf8', 0, scratch.length);
    }
    const parsed = parses.parse(text);
    if (parsed.kind === 'unknown') return;
    const served =
      observer === undefined
        ? ''
        : observer.line(parsed, { seqnumId, seqnum: seqnumValue(line, place.seqStart, place.seqEnd), message: text, timeMs });
    if (parsed.kind === 'request') {
      const structured = requestLine(parsed, host, line.toString('latin1', realtime.start, realtime.end) + slot, served);
      if (structured === null) return;
      batch.beginLine(REQUESTS_ID);
      batch.utf8(structured);
      batch.endLine();
      return;
    }
    // The message field is MESSAGE's JSON bytes: their escapes are the field's (quoteField).
    const sha256 = 'sha256' in parsed ? parsed.sha256 : null;
    batch.beginLine(EVENTS_ID);
    eventPoint.head(batch, parsed, sha256 === null ? null : modelFor(sha256));
    batch.constant(EVENT_MESSAGE_FIELD);
    batch.bytes(line, message.start, message.end);
    batch.byte(QUOTE);
    eventPoint.fields(batch, parsed);
    batch.byte(0x20);
    batch.bytes(line, realtime.start, realtime.end);
    batch.ascii(slot);
    batch.endLine();
  };

  return {
    encode,
    get fallbacks() {
      return fallbacks;
    },
  };
}
