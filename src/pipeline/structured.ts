// `ollama_requests` and `ollama_events`: what the parser understood of a line, as plain fields.
// Field types are a public contract (InfluxDB refuses a type change): every number is a float,
// every string a string, booleans booleans, objects JSON strings; nulls are left out.

import { NOT_FIELD_KEYS, type ParsedLine } from '../ollama/parse/index.js';
import { escapeTag, fieldValue, floatValue, quoteField } from '../influx/points/escape.js';
import { EVENTS_MEASUREMENT, REQUESTS_MEASUREMENT } from '../influx/measurements.js';

/**
 * One [GIN] access-log line. Tag `path` drops the query string to bound cardinality; field `url` keeps it.
 * Tag `model`: the model that served it, when exactly one can have (left out when `model` is '').
 */
export function requestLine(parsed: ParsedLine, host: string, timeNs: string, model = ''): string | null {
  const { status, latency_ms: latency, method, path, client } = parsed as Record<string, unknown>;
  if (typeof status !== 'number' || typeof latency !== 'number' || typeof method !== 'string' || typeof path !== 'string') {
    return null;
  }
  const query = path.indexOf('?');
  const bare = query === -1 ? path : path.slice(0, query);
  const modelTag = model === '' ? '' : `,model=${escapeTag(model)}`;
  const tags = `host=${host},method=${escapeTag(method || 'unknown')}${modelTag},path=${escapeTag(bare || '/')},status=${status}`;
  const fields = `client=${quoteField(typeof client === 'string' ? client : '')},latency_ms=${floatValue(latency)},url=${quoteField(path)}`;
  return `${REQUESTS_MEASUREMENT},${tags} ${fields} ${timeNs}`;
}

/**
 * One recognised Ollama event; `model` is a tag when the sha256 resolves through the inventory. The
 * reference for the byte encoder's event-point.ts, which must give the same bytes.
 */
export function eventLine(parsed: ParsedLine, host: string, message: string, model: string | null, timeNs: string): string {
  let head = `${EVENTS_MEASUREMENT},host=${host},event=${escapeTag(parsed.kind)}`;
  if (typeof parsed.level === 'string' && parsed.level !== '') head += `,level=${escapeTag(parsed.level)}`;
  if (model !== null && model !== '') head += `,model=${escapeTag(model)}`;
  let fields = '';
  for (const key of Object.keys(parsed)) {
    if (NOT_FIELD_KEYS.has(key)) continue;
    const value = fieldValue((parsed as Readonly<Record<string, unknown>>)[key]);
    if (value !== null) fields += `,${escapeTag(key)}=${value}`;
  }
  return `${head} message=${quoteField(message)}${fields} ${timeNs}`;
}
