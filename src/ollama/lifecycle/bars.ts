// The timeline as Gantt bars, the seed's step-12 layers: what the CSV prints and what
// `ollama_timeline` stores for the Grafana lifecycle panels.

import { isoUtc } from '../../time.js';
import { type Session, type Timeline, sessionLabel } from './types.js';

export type Layer = 'background' | 'loading' | 'execution' | 'warning' | 'unload';

export interface Bar {
  readonly start: number;
  readonly end: number;
  /**
   * What the bar is (the seed's `_value`): model_lifecycle, model_loading, api_request, a warning kind,
   * model_unload, end_uncertain (an inferred end's bounds: the model left memory somewhere in it).
   */
  readonly kind: string;
  /** The lane: `model (ctx: N)`, or `unattributed`. */
  readonly series: string;
  readonly layer: Layer;
  /** The session the bar belongs to (its start and model blob), or null for unattributed bars. */
  readonly session: string | null;
  /** Details for tooltips and tables. */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/** The lane of requests and warnings no single session can claim. */
export const UNATTRIBUTED_SERIES = 'unattributed';

export function timelineBars(timeline: Timeline): Bar[] {
  return [...barsOf(timeline)];
}

/**
 * The bars one at a time, in timelineBars' order: a day of a busy host is hundreds of thousands of
 * request bars, and the daemon stores them a batch at a time instead of holding them all.
 */
export function* barsOf(timeline: Timeline): Generator<Bar> {
  for (const s of timeline.sessions) {
    const series = sessionLabel(s);
    // Part of the stored key: a server restart ends several sessions at the same instant, and their
    // unload bars (same host, layer, kind and time) must stay distinct points.
    const id = sessionId(s);
    const session = { model: s.model, sha256: s.sha256, session_start: isoUtc(s.start) };
    const ending = {
      end_reason: s.endReason,
      end_exact: s.endExact,
      end_earliest: isoUtc(s.endEarliest),
      end_latest: s.endLatest === null ? null : isoUtc(s.endLatest),
    };
    yield { start: s.start, end: s.end, kind: 'model_lifecycle', series, layer: 'background', session: id, details: { ...session, ctx_size: s.ctxSize, load_seconds: s.loadSeconds, ...ending } };
    if (s.loaded !== null) yield { start: s.start, end: s.loaded, kind: 'model_loading', series, layer: 'loading', session: id, details: { ...session, load_seconds: s.loadSeconds } };
    for (const r of s.requests) {
      // Written out, not spread from `session`: a spread copy is a dictionary-mode object, and a busy
      // day is hundreds of thousands of these (the same keys in the same order as the other bars).
      const details = { model: session.model, sha256: session.sha256, session_start: session.session_start, method: r.method, path: r.path, status: r.status, latency_ms: r.latencyMs };
      yield { start: r.start, end: r.end, kind: 'api_request', series, layer: 'execution', session: id, details };
    }
    for (const w of s.warnings) yield { start: w.time, end: w.time, kind: w.kind, series, layer: 'warning', session: id, details: { ...session, message: w.message } };
    if (s.endReason !== 'open') yield { start: s.end, end: s.end, kind: 'model_unload', series, layer: 'unload', session: id, details: { ...session, ...ending } };
    if (s.endReason !== 'open' && !s.endExact) {
      const end = s.endLatest ?? s.end;
      yield { start: s.endEarliest, end, kind: 'end_uncertain', series, layer: 'unload', session: id, details: { ...session, ...ending } };
    }
  }
  for (const r of timeline.unattributedRequests) {
    const details = { method: r.method, path: r.path, status: r.status, latency_ms: r.latencyMs, candidates: r.candidates.join(', ') };
    yield { start: r.start, end: r.end, kind: 'api_request', series: UNATTRIBUTED_SERIES, layer: 'execution', session: null, details };
  }
  for (const w of timeline.unattributedWarnings) {
    yield { start: w.time, end: w.time, kind: w.kind, series: UNATTRIBUTED_SERIES, layer: 'warning', session: null, details: { message: w.message, candidates: w.candidates.join(', ') } };
  }
}

/** Stable while a range is rebuilt: when the session began loading and which blob it loaded. */
export function sessionId(session: Pick<Session, 'start' | 'sha256'>): string {
  return `${isoUtc(session.start)}/${session.sha256?.slice(0, 12) ?? 'unknown'}`;
}
