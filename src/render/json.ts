// The timeline as JSON: the shape issue 4 lists, times RFC 3339 UTC, snake_case keys.

import { isoUtc } from '../time.js';
import type { Session, SessionRequest, Timeline } from '../ollama/lifecycle/types.js';

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

export function timelineJson(timeline: Timeline) {
  return {
    host: timeline.host,
    start: isoUtc(timeline.start),
    stop: isoUtc(timeline.stop),
    sessions: timeline.sessions.map(session),
    unattributed_requests: timeline.unattributedRequests.map((r) => ({ ...request(r), candidates: r.candidates })),
    unattributed_warnings: timeline.unattributedWarnings.map((w) => ({
      time: isoUtc(w.time),
      kind: w.kind,
      message: w.message,
      candidates: w.candidates,
    })),
  };
}

export function renderJson(timeline: Timeline): string {
  return `${JSON.stringify(timelineJson(timeline), null, 2)}\n`;
}
