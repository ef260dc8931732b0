// The commonest recognised line, gin's access log, read and written at the byte level: on a busy host
// most lines are `[GIN] … | 200 | 350.77ms | 127.0.0.1 | POST "/api/chat"`, and turning each into a JS
// string, a parsed object and a template-string point cost several times the rest of the pipeline
// (profiled). This path takes only the plain shape (ASCII, an upper-case method, a quoted path without
// escapes, separators or a query-less empty path) and leaves everything else to parseMessage and the
// string builders, which stay the reference: the byte encoder's test requires identical output.
//
// It reads MESSAGE as journalctl's JSON bytes: the path's quotes are `\"` there.

import { startsWithBytes } from '../bytes.js';
import { parseGoDuration } from '../ollama/parse/go-duration.js';

const BAR = 0x7c;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const QUERY = 0x3f;
const GIN_PREFIX = Buffer.from('[GIN] ');
/** Longer fields are rare and take the reference path (whose tag encoding may cut them). */
const MAX_FIELD_BYTES = 80;

/** Byte ranges of a gin line's parts (in the JSON-escaped MESSAGE), filled by readGin. */
export class GinSpans {
  status = 0;
  latencyMs = 0;
  clientStart = 0;
  clientEnd = 0;
  methodStart = 0;
  methodEnd = 0;
  pathStart = 0;
  pathEnd = 0;
  /** End of the path before `?` (the `path` tag). */
  bareEnd = 0;
}

/** The next `|` at or after i, or end. A loop: Buffer#indexOf's checks cost more than a short scan. */
function barAfter(bytes: Buffer, i: number, end: number): number {
  while (i < end && bytes[i] !== BAR) i++;
  return i;
}

/** As kinds-request.ts's statusAt: three digits with spaces around them, nothing else. */
function statusAt(bytes: Buffer, from: number, to: number): number {
  let value = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x30 && byte <= 0x39) {
      value = value * 10 + (byte - 0x30);
      digits++;
    } else if (byte !== SPACE || (digits > 0 && i + 1 < to && bytes[i + 1] !== SPACE)) {
      return -1;
    }
  }
  return digits === 0 ? -1 : value;
}

/** Printable ASCII that needs no escaping in a tag or a string field: no space, `"`, `\`, `,` or `=`. */
function plainByte(byte: number): boolean {
  return byte > SPACE && byte < 0x7f && byte !== QUOTE && byte !== BACKSLASH && byte !== 0x2c && byte !== 0x3d;
}

/**
 * True when MESSAGE bytes [start, end) are a gin line of the plain shape, with its parts in `out`;
 * false for anything else (the caller then takes the reference path).
 */
export function readGin(bytes: Buffer, start: number, end: number, out: GinSpans): boolean {
  if (!startsWithBytes(bytes, start, end, GIN_PREFIX)) return false;
  const bar1 = barAfter(bytes, start, end);
  const bar2 = barAfter(bytes, bar1 + 1, end);
  const bar3 = barAfter(bytes, bar2 + 1, end);
  const bar4 = barAfter(bytes, bar3 + 1, end);
  if (bar4 === end) return false;
  const status = statusAt(bytes, bar1 + 1, bar2);
  if (status === -1) return false;
  // The latency is a short string for the one Go-duration parser (µ is two UTF-8 bytes).
  const latency = parseGoDuration(bytes.toString('utf8', bar2 + 1, bar3));
  if (latency === null) return false;

  let i = bar3 + 1;
  while (i < bar4 && bytes[i] === SPACE) i++;
  out.clientStart = i;
  while (i < bar4 && plainByte(bytes[i]!)) i++;
  out.clientEnd = i;
  while (i < bar4 && bytes[i] === SPACE) i++;
  if (i !== bar4) return false;

  i = bar4 + 1;
  while (i < end && bytes[i] === SPACE) i++;
  out.methodStart = i;
  while (i < end && bytes[i]! >= 0x41 && bytes[i]! <= 0x5a) i++;
  out.methodEnd = i;
  if (out.methodEnd === out.methodStart || bytes[i] !== SPACE) return false;
  while (i < end && bytes[i] === SPACE) i++;
  // `\"` opens the Go-quoted path in the JSON bytes.
  if (bytes[i] !== BACKSLASH || bytes[i + 1] !== QUOTE) return false;
  i += 2;
  out.pathStart = i;
  out.bareEnd = -1;
  // Before `?` the bytes become the `path` tag: no `,` or `=`; the query only goes to the `url` field.
  while (i < end && (plainByte(bytes[i]!) || (out.bareEnd !== -1 && (bytes[i] === 0x2c || bytes[i] === 0x3d)))) {
    if (bytes[i] === QUERY && out.bareEnd === -1) out.bareEnd = i;
    i++;
  }
  out.pathEnd = i;
  if (out.bareEnd === -1) out.bareEnd = i;
  if (bytes[i] !== BACKSLASH || bytes[i + 1] !== QUOTE) return false;
  i += 2;
  while (i < end && bytes[i] === SPACE) i++;
  if (i !== end) return false;
  if (out.bareEnd === out.pathStart || out.pathEnd - out.pathStart > MAX_FIELD_BYTES || out.clientEnd - out.clientStart > MAX_FIELD_BYTES) {
    return false;
  }
  if (out.methodEnd - out.methodStart > 16) return false;
  out.status = status;
  out.latencyMs = latency;
  return true;
}
