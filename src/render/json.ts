// The timeline as JSON: the shape issue 4 lists, times RFC 3339 UTC, snake_case keys.

import { isoUtc } from '../time.js';
import type { Session, SessionRequest, Timeline, UnattributedRequest, UnattributedWarning } from '../ollama/lifecycle/types.js';

function request(r: SessionRequest) {
  return { start: isoUtc(r.start), end: isoUtc(r.end), method: r.method, path: r.path, status: r.status, latency_ms: r.latencyMs };
}

function session(s: Session) {
  return {
    model: s.model,
    aliases: s.aliases,
    sha256: s.sha256,
    ctx_size: s.ctxSize,
    start: isoUtc(s.start),
    loaded: s.loaded === null ? null : isoUtc(s.loaded),
    load_seconds: s.loadSeconds,
    end: isoUtc(s.end),
    end_reason: s.endReason,
    end_exact: s.endExact,
    end_earliest: isoUtc(s.endEarliest),
    end_latest: s.endLatest === null ? null : isoUtc(s.endLatest),
    requests: s.requests.map(request),
    warnings: s.warnings.map((w) => ({ time: isoUtc(w.time), kind: w.kind, message: w.message })),
  };
}

function unattributedRequest(r: UnattributedRequest) {
  return { ...request(r), candidates: r.candidates };
}

function unattributedWarning(w: UnattributedWarning) {
  return { time: isoUtc(w.time), kind: w.kind, message: w.message, candidates: w.candidates };
}

export function timelineJson(timeline: Timeline) {
  return {
    host: timeline.host,
    start: isoUtc(timeline.start),
    stop: isoUtc(timeline.stop),
    sessions: timeline.sessions.map(session),
    unattributed_requests: timeline.unattributedRequests.map(unattributedRequest),
    unattributed_warnings: timeline.unattributedWarnings.map(unattributedWarning),
  };
}

/** Arrays at most this long are printed by JSON.stringify in one piece. */
const SMALL_ARRAY = 16;

function holdsLargeArray(value: object): boolean {
  return Object.values(value).some((v) => Array.isArray(v) && v.length > SMALL_ARRAY);
}

/**
 * `JSON.stringify(value, null, 2)` at `indent`, in pieces: arrays element by element, objects holding
 * a long array key by key, the rest whole. Values are plain data (no toJSON, no cycles).
 */
function* pretty(value: unknown, indent: string): Generator<string> {
  if (value === null || typeof value !== 'object' || (!Array.isArray(value) && !holdsLargeArray(value))) {
    // JSON strings hold no raw newline, so every newline is the layout's: indent it.
    yield (JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  const items: [string | null, unknown][] = Array.isArray(value)
    ? value.map((v) => [null, v])
    : Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (items.length === 0) {
    yield Array.isArray(value) ? '[]' : '{}';
    return;
  }
  yield Array.isArray(value) ? '[' : '{';
  for (let i = 0; i < items.length; i++) {
    const [key, v] = items[i]!;
    yield key === null ? `\n${inner}` : `\n${inner}${JSON.stringify(key)}: `;
    yield* pretty(v === undefined || typeof v === 'function' ? null : v, inner);
    if (i < items.length - 1) yield ',';
  }
  yield `\n${indent}${Array.isArray(value) ? ']' : '}'}`;
}

/** `"key": [ … ]` one level down, its elements made (and printed) one at a time. */
function* jsonArray<T>(key: string, items: readonly T[], toJson: (item: T) => unknown, last: boolean): Generator<string> {
  const close = last ? '\n' : ',\n';
  if (items.length === 0) {
    yield `  ${JSON.stringify(key)}: []${close}`;
    return;
  }
  yield `  ${JSON.stringify(key)}: [\n`;
  for (let i = 0; i < items.length; i++) {
    yield '    ';
    yield* pretty(toJson(items[i]!), '    ');
    yield i < items.length - 1 ? ',\n' : '\n';
  }
  yield `  ]${close}`;
}

/**
 * The JSON text in pieces, one element of each list at a time, so a week of requests is never one
 * string nor one object tree: exactly `JSON.stringify(timelineJson(timeline), null, 2)` and a newline.
 */
export function* renderJsonChunks(timeline: Timeline): Generator<string> {
  yield `{\n  "host": ${JSON.stringify(timeline.host)},\n  "start": ${JSON.stringify(isoUtc(timeline.start))},\n  "stop": ${JSON.stringify(isoUtc(timeline.stop))},\n`;
  yield* jsonArray('sessions', timeline.sessions, session, false);
  yield* jsonArray('unattributed_requests', timeline.unattributedRequests, unattributedRequest, false);
  yield* jsonArray('unattributed_warnings', timeline.unattributedWarnings, unattributedWarning, true);
  yield '}\n';
}

export function renderJson(timeline: Timeline): string {
  return [...renderJsonChunks(timeline)].join('');
}
