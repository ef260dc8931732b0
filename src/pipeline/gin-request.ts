// Writes the `ollama_requests` point of a plain gin line straight from its bytes (gin-bytes.ts reads
// it): the same line requestLine() builds from the parsed line, without the strings and objects.

import type { FieldSpan } from '../journal/json-line.js';
import type { LineBatch } from '../influx/line-batch.js';
import type { JournalPosition } from '../journal/entry.js';
import type { LineObserver } from './encode.js';
import { SliceInterner } from '../bytes.js';
import { GinSpans, readGin } from './gin-bytes.js';
import { EncodedCache } from './encoded-cache.js';
import { escapeTag } from '../influx/points/escape.js';
import { REQUESTS_ID, REQUESTS_MEASUREMENT } from '../influx/measurements.js';

const QUOTE = 0x22;
/** Distinct values kept as strings; past these, values are made per line and not kept. */
const METHODS_KEPT = 16;
const PATHS_KEPT = 64;
const MODELS_KEPT = 1024;
/** '0' … '999': a status is almost always three digits, and a string made per line is garbage. */
const STATUS_TEXT = Array.from({ length: 1000 }, (_, status) => String(status));

export interface GinPoint {
  readonly timeMs: number;
  /** The entry's journal position for the observer (null: no observer); read during write() only. */
  readonly position: JournalPosition | null;
  readonly realtime: FieldSpan;
  /** The point time's nanosecond digits (point-key.ts). */
  readonly slot: string;
}

export interface GinRequestWriter {
  /** True when MESSAGE bytes [start, end) are a plain gin line; its parts are kept for write(). */
  read(line: Buffer, start: number, end: number): boolean;
  /** Tells the observer and appends the point of the line read last. */
  write(line: Buffer, batch: LineBatch, point: GinPoint): void;
}

export function createGinRequestWriter(host: string, observer: LineObserver | undefined): GinRequestWriter {
  const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
  const gin = new GinSpans();
  const methods = new SliceInterner(METHODS_KEPT);
  const paths = new SliceInterner(PATHS_KEPT);
  const REQUEST_HEAD = bytes(`${REQUESTS_MEASUREMENT},host=${host},method=`);
  const PATH_TAG = bytes(',path=');
  const STATUS_TAG = bytes(',status=');
  const CLIENT_FIELD = bytes(' client="');
  const LATENCY_FIELD = bytes('",latency_ms=');
  const URL_FIELD = bytes(',url="');
  const modelTags = new EncodedCache((model) => `,model=${escapeTag(model)}`, MODELS_KEPT);

  // The observer reads the request during the call and keeps none of it: one object serves every line.
  const request = { end: 0, latencyMs: 0, method: '', path: '', status: 0 };

  return {
    read: (line, start, end) => readGin(line, start, end, gin),
    write(line, batch, { timeMs, position, realtime, slot }) {
      let served = '';
      if (observer !== undefined && position !== null) {
        // The record from-parsed.ts makes of a request: the path without its query.
        request.end = timeMs;
        request.latencyMs = gin.latencyMs;
        request.method = methods.get(line, gin.methodStart, gin.methodEnd);
        request.path = paths.get(line, gin.pathStart, gin.bareEnd);
        request.status = gin.status;
        served = observer.request(request, position);
      }
      batch.beginLine(REQUESTS_ID);
      batch.constant(REQUEST_HEAD);
      batch.bytes(line, gin.methodStart, gin.methodEnd);
      if (served !== '') {
        batch.constant(modelTags.get(served));
      }
      batch.constant(PATH_TAG);
      batch.bytes(line, gin.pathStart, gin.bareEnd);
      batch.constant(STATUS_TAG);
      batch.ascii(STATUS_TEXT[gin.status] ?? String(gin.status));
      batch.constant(CLIENT_FIELD);
      batch.bytes(line, gin.clientStart, gin.clientEnd);
      batch.constant(LATENCY_FIELD);
      batch.float(gin.latencyMs);
      batch.constant(URL_FIELD);
      batch.bytes(line, gin.pathStart, gin.pathEnd);
      batch.byte(QUOTE);
      batch.byte(0x20);
      batch.bytes(line, realtime.start, realtime.end);
      batch.ascii(slot);
      batch.endLine();
    },
  };
}
