// A parsed journal line as the reconstruction's input record, the same shape ingest stores and
// source.ts reads back: requests with the path's query cut off, events with null fields left out,
// objects as JSON text, the model named through the inventory.

import { NOT_FIELD_KEYS, type ParsedLine } from '../parse/kinds.js';
import type { TimelineEvent, TimelineRequest } from './types.js';

export type TimelineRecord = { readonly request: TimelineRequest } | { readonly event: TimelineEvent } | null;

export function timelineRecord(
  parsed: ParsedLine,
  message: string,
  timeMs: number,
  modelFor: (sha256: string) => string | null,
): TimelineRecord {
  if (parsed.kind === 'unknown') return null;
  // A request (most recognised lines) is read field by field: no copy of the parsed object.
  if (parsed.kind === 'request') {
    const { status, latency_ms: latencyMs, method, path } = parsed;
    if (typeof status !== 'number' || typeof latencyMs !== 'number' || typeof method !== 'string' || typeof path !== 'string') return null;
    const query = path.indexOf('?');
    return { request: { end: timeMs, latencyMs, method, path: (query === -1 ? path : path.slice(0, query)) || '/', status } };
  }
  const fields = eventFields(parsed);
  const sha256 = typeof fields['sha256'] === 'string' ? fields['sha256'] : null;
  const model = sha256 === null ? null : modelFor(sha256);
  const event: { -readonly [K in keyof TimelineEvent]: TimelineEvent[K] } = {
    time: timeMs,
    kind: parsed.kind,
    message,
    fields,
  };
  if (typeof parsed.level === 'string' && parsed.level !== '') event.level = parsed.level;
  if (model !== null) event.model = model;
  return { event };
}

type EventFields = Readonly<Record<string, string | number | boolean>>;

/**
 * A frozen parse result is one the byte encoder's parse cache hands out for every repeat of its line
 * (pipeline/parse-cache.ts): its fields are made once, frozen too, and shared by the events of all the
 * repeats (nothing changes an event's fields).
 */
const sharedFields = new WeakMap<ParsedLine, EventFields>();

function eventFields(parsed: ParsedLine): EventFields {
  if (!Object.isFrozen(parsed)) return fieldsOf(parsed);
  let fields = sharedFields.get(parsed);
  if (fields === undefined) {
    fields = Object.freeze(fieldsOf(parsed));
    sharedFields.set(parsed, fields);
  }
  return fields;
}

/** Field by field with for-in: no copy of the parsed object and no entries array per event. */
function fieldsOf(parsed: ParsedLine): Record<string, string | number | boolean> {
  const record = parsed as Readonly<Record<string, unknown>>;
  const fields: Record<string, string | number | boolean> = {};
  for (const key in record) {
    if (NOT_FIELD_KEYS.has(key)) continue;
    const value = record[key];
    if (value === null || value === undefined) continue;
    if (typeof value === 'object') fields[key] = JSON.stringify(value);
    else if (typeof value === 'number') {
      if (Number.isFinite(value)) fields[key] = value;
    } else if (typeof value === 'string' || typeof value === 'boolean') fields[key] = value;
  }
  return fields;
}
