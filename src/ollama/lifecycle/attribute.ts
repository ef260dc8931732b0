// Second pass: requests in the order they arrived, keep-alive timers, and evictions that name no model.
// Which sessions are still loaded depends on the requests they served (the keep-alive timer restarts
// after each), and which session served a request depends on which are loaded: walking forward in
// time settles both without guessing.

import { type DraftSession, endSession } from './draft.js';
import { RequestColumns } from './request-columns.js';
import { type TimelineEvent, type TimelineRequest, type UnattributedRequest, displayName } from './types.js';

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
 * loaded. Requests whose end is not `shown` (before the range: context) only restart keep-alive
 * timers and are kept nowhere. Mutates the drafts' requests, activityEnd and hard ends.
 */
/** Most consecutive unattributed requests have the same candidates: they share one list of names. */
const SHARED_LISTS = 1024;

class CandidateNames {
  private readonly lists = new Map<string, readonly string[]>();

  of(candidates: readonly DraftSession[]): readonly string[] {
    const names = candidates.map(displayName);
    const key = names.join('\u0000');
    const shared = this.lists.get(key);
    if (shared !== undefined) return shared;
    if (this.lists.size < SHARED_LISTS) this.lists.set(key, names);
    return names;
  }
}

export interface SecondPass {
  readonly unattributed: UnattributedRequest[];
  /** The requests the sessions' `requests` indices point into. */
  readonly table: RequestColumns;
}

export function secondPass(
  sessions: readonly DraftSession[],
  requests: Iterable<TimelineRequest>,
  unnamedEvictions: readonly TimelineEvent[],
  shown: (end: number) => boolean = () => true,
): SecondPass {
  const table = RequestColumns.of(requests);
  const evictions = [...unnamedEvictions];

  const unattributed: UnattributedRequest[] = [];
  const span = { start: 0, end: 0 };
  const names = new CandidateNames();
  for (const i of table.byStart()) {
    span.start = table.start(i);
    span.end = table.end(i);
    // An eviction before the request completed decides whether the evicted model could have served it.
    while (evictions.length > 0 && evictions[0]!.time <= span.end) evict(sessions, evictions.shift()!.time);
    // 404: the model does not exist, so no runner was asked.
    const candidates = table.status(i) === 404 ? [] : candidatesFor(sessions, span);
    // Whichever candidate served it, its timer restarted when the request finished.
    for (const s of candidates) s.activityEnd = Math.max(s.activityEnd, span.end);
    // Requests outside the shown range only restart timers: they need not become objects.
    if (!shown(span.end)) continue;
    if (candidates.length === 1) candidates[0]!.requests.push(i);
    else unattributed.push(table.unattributed(i, names.of(candidates)));
  }
  for (const eviction of evictions) evict(sessions, eviction.time);
  return { unattributed, table };
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
