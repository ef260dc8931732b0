// Second pass: requests in the order they arrived, keep-alive timers, and evictions that name no model.
// Which sessions are still loaded depends on the requests they served (the keep-alive timer restarts
// after each), and which session served a request depends on which are loaded: walking forward in
// time settles both without guessing.

import { type DraftSession, endSession } from './draft.js';
import { type SessionRequest, type TimelineEvent, type TimelineRequest, type UnattributedRequest, displayName } from './types.js';

/** Endpoints served by a model runner; the rest (tags, version, show, pull, HEAD /) never touch one. */
export const INFERENCE_PATHS: readonly string[] = [
  '/api/generate',
  '/api/chat',
  '/api/embed',
  '/api/embeddings',
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/embeddings',
  '/v1/responses',
  '/v1/messages',
];

export function isInferencePath(path: string): boolean {
  return INFERENCE_PATHS.includes(path);
}

/** The keep-alive deadline as known so far: Infinity for keep-alive < 0. */
function expiresAt(session: DraftSession): number {
  return session.activityEnd + session.keepAliveMs;
}

/**
 * Sessions that may have served the request: begun by the time it ended (a request that triggered a
 * load is served by that load), loaded by then, not ended before it completed (a model cannot leave
 * memory while it serves a request; but a failed load's error is the response of the request that
 * asked for it), and not expired by keep-alive before it arrived.
 */
function candidatesFor(sessions: readonly DraftSession[], request: { start: number; end: number }): DraftSession[] {
  return sessions.filter((s) => isCandidate(s, request));
}

function isCandidate(s: DraftSession, request: { start: number; end: number }): boolean {
  return (
    s.start <= request.end &&
    (s.loaded === null || s.loaded <= request.end) &&
    (s.hardEnd >= request.end || (s.hardReason === 'load_error' && s.hardEnd >= request.start)) &&
    expiresAt(s) >= request.start
  );
}

/**
 * Attributes every inference request to the one session that can have served it, or lists it as
 * unattributed with the candidates; resolves evictions that name no model when exactly one model was
 * loaded. Mutates the drafts' requests, activityEnd and hard ends.
 */
export function secondPass(
  sessions: readonly DraftSession[],
  requests: readonly TimelineRequest[],
  unnamedEvictions: readonly TimelineEvent[],
): UnattributedRequest[] {
  const spans: SessionRequest[] = requests
    .filter((r) => isInferencePath(r.path))
    .map((r) => ({ start: r.end - r.latencyMs, end: r.end, method: r.method, path: r.path, status: r.status, latencyMs: r.latencyMs }))
    .sort((a, b) => a.start - b.start);
  const evictions = [...unnamedEvictions];

  const unattributed: UnattributedRequest[] = [];
  for (const span of spans) {
    // An eviction before the request completed decides whether the evicted model could have served it.
    while (evictions.length > 0 && evictions[0]!.time <= span.end) evict(sessions, evictions.shift()!.time);
    // 404: the model does not exist, so no runner was asked.
    const candidates = span.status === 404 ? [] : candidatesFor(sessions, span);
    // Whichever candidate served it, its timer restarted when the request finished.
    for (const s of candidates) s.activityEnd = Math.max(s.activityEnd, span.end);
    if (candidates.length === 1) candidates[0]!.requests.push(span);
    else unattributed.push({ ...span, candidates: candidates.map(displayName) });
  }
  for (const eviction of evictions) evict(sessions, eviction.time);
  return unattributed;
}

/**
 * secondPass for one request arriving after every earlier one (the daemon's tracker, line by line):
 * the session that served it, or null; restarts the candidates' keep-alive timers. Without the
 * arrays secondPass builds, since it runs on every request of a catch-up.
 */
export function attributeOne(sessions: readonly DraftSession[], request: TimelineRequest): DraftSession | null {
  const span = { start: request.end - request.latencyMs, end: request.end };
  let served: DraftSession | null = null;
  let candidates = 0;
  for (const s of sessions) {
    if (!isCandidate(s, span)) continue;
    s.activityEnd = Math.max(s.activityEnd, span.end);
    served = s;
    candidates++;
  }
  return candidates === 1 ? served : null;
}

/** An eviction that names no model ends the one model loaded at that moment; with several, it stays unknown. */
function evict(sessions: readonly DraftSession[], t: number): void {
  const loaded = sessions.filter((s) => s.start <= t && s.loaded !== null && s.loaded <= t && s.hardEnd > t && expiresAt(s) >= t);
  if (loaded.length === 1) endSession(loaded[0]!, t, 'eviction', 'if_loaded');
}
