// The lifecycle reconstruction run incrementally, line by line, as the daemon reads the journal: which
// model served each request as it arrives (the `model` label of the metrics and of `ollama_requests`).
// It runs the same two passes as buildTimeline (sessions.ts, attribute.ts), so the daemon and the
// `timeline` command cannot disagree. Sessions are rebuilt when an event that shapes them arrives
// (SESSION_KINDS: loads, unloads, evictions, restarts; warnings and memory reports do not count); each
// request is then attributed by the second pass alone (one request against the sessions).
//
// The cost of a line must stay flat however long the catch-up: a rebuild replays only the events since
// the oldest session still open. Sessions that have ended are frozen as they are (they only serve to
// attribute long requests that began before they ended) and dropped after REQUEST_HORIZON_MS. Requests
// are not retained at all: a rebuilt session keeps the keep-alive timer its previous version learned
// from them, and requests read so far ended before the event that caused the rebuild, so none of them
// can belong to a session it begins.

import { attributeOne, secondPass } from './attribute.js';
import { isInferencePath } from './inference-paths.js';
import type { DraftSession } from './draft.js';
import { firstPass } from './sessions.js';
import { SESSION_KINDS } from './timeline-kinds.js';
import type { TimelineEvent, TimelineRequest } from './types.js';
import { HOUR_MS } from '../../time.js';

/** A request may run this long; sessions ended before now − this can no longer serve one. */
const REQUEST_HORIZON_MS = HOUR_MS;
/** Hard bounds on what is retained, whatever the logs look like. */
const MAX_EVENTS = 2_000;
const MAX_FROZEN = 50;

/** When a session stopped holding memory as far as is known now: a stated end, or keep-alive expiry. */
function effectiveEnd(session: DraftSession): number {
  return Math.min(session.hardEnd, session.activityEnd + session.keepAliveMs);
}

/** The last of `sessions` that is the same session as `session` (same start, same blob). */
function previousVersion(sessions: readonly DraftSession[], session: DraftSession): DraftSession | undefined {
  for (let i = sessions.length - 1; i >= 0; i--) {
    const old = sessions[i]!;
    if (old.start === session.start && old.sha256 === session.sha256) return old;
  }
  return undefined;
}

function inTimeOrder(events: readonly TimelineEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if (events[i]!.time < events[i - 1]!.time) return false;
  return true;
}

export class LifecycleTracker {
  private events: TimelineEvent[] = [];
  /** Sessions rebuilt from `events` (all begun at or after the first retained event). */
  private sessions: DraftSession[] = [];
  /** Ended sessions begun before the first retained event. */
  private frozen: DraftSession[] = [];
  /** The newest server config before the first retained event (keep-alive, max loaded models). */
  private config: TimelineEvent | null = null;
  private stale = false;
  private latest = -Infinity;

  /** `inventory` is asked at each rebuild: sha256 → the blob's `ollama list` names. */
  constructor(private readonly inventory: () => ReadonlyMap<string, readonly string[]>) {}

  /** An `ollama_events` record, in journal order. */
  addEvent(event: TimelineEvent): void {
    this.latest = Math.max(this.latest, event.time);
    if (!SESSION_KINDS.has(event.kind)) return;
    this.events.push(event);
    this.stale = true;
    if (this.events.length > 2 * MAX_EVENTS) this.rebuild();
  }

  /**
   * An `ollama_requests` record, in journal order. Returns the `ollama list` name of the model that
   * served it when exactly one loaded model can have, else '' (several candidates, none, a model no
   * inventory names, or an endpoint that never reaches a model).
   */
  addRequest(request: TimelineRequest): string {
    this.latest = Math.max(this.latest, request.end);
    if (!isInferencePath(request.path)) return '';
    if (this.stale) this.rebuild();
    const served = attributeOne(this.all(), request);
    return served?.model ?? '';
  }

  /** Names of the models loaded at `time` (for the `ollama_model_loaded` gauge). */
  loadedModels(time: number): string[] {
    if (this.stale) this.rebuild();
    const names = this.all()
      .filter((s) => s.loaded !== null && s.loaded <= time && s.hardEnd > time && s.activityEnd + s.keepAliveMs > time)
      .map((s) => s.model ?? '');
    return [...new Set(names)].filter((name) => name !== '').sort();
  }

  /** Frozen and rebuilt sessions in one list, made once per rebuild (not once per request). */
  private combined: DraftSession[] | null = null;

  private all(): DraftSession[] {
    this.combined ??= this.frozen.length === 0 ? this.sessions : [...this.frozen, ...this.sessions];
    return this.combined;
  }

  private rebuild(): void {
    // Journal order is time order but for bursts of one microsecond: sort only when it is not.
    if (!inTimeOrder(this.events)) this.events.sort((a, b) => a.time - b.time);
    const replay = this.config === null ? this.events : [this.config, ...this.events];
    const { sessions, unnamedEvictions } = firstPass(replay, this.inventory());
    // A rebuilt session keeps the keep-alive timer its previous version learned from requests.
    for (const s of sessions) {
      const before = previousVersion(this.sessions, s);
      if (before !== undefined) s.activityEnd = Math.max(s.activityEnd, before.activityEnd);
    }
    // With no requests, the second pass only applies evictions that name no model.
    if (unnamedEvictions.length > 0) secondPass([...this.frozen, ...sessions], [], unnamedEvictions);
    for (const s of sessions) s.requests.length = 0;
    for (const s of this.frozen) s.requests.length = 0;
    this.sessions = sessions;
    this.combined = null;
    this.stale = false;
    this.retire();
  }

  /**
   * Freezes the sessions that have ended and forgets the events before the oldest one still open, so
   * the next rebuild replays only those; drops what can no longer serve a request. Runs on every
   * rebuild, so the common case (nothing to freeze or drop) makes no arrays.
   */
  private retire(): void {
    let cutoff = Infinity;
    for (const s of this.sessions) if (effectiveEnd(s) > this.latest) cutoff = Math.min(cutoff, s.start);
    if (cutoff === Infinity) cutoff = this.latest;
    const tail = this.events.length - MAX_EVENTS;
    if (tail > 0) cutoff = Math.max(cutoff, this.events[tail]!.time);
    if (cutoff > (this.events[0]?.time ?? Infinity)) {
      const dropped = this.events.filter((e) => e.time < cutoff);
      this.config = dropped.filter((e) => e.kind === 'server_config').at(-1) ?? this.config;
      this.events = this.events.filter((e) => e.time >= cutoff);
      this.frozen.push(...this.sessions.filter((s) => s.start < cutoff));
      this.sessions = this.sessions.filter((s) => s.start >= cutoff);
    }
    const horizon = this.latest - REQUEST_HORIZON_MS;
    if (this.frozen.length > MAX_FROZEN || this.frozen.some((s) => effectiveEnd(s) < horizon)) {
      this.frozen = this.frozen.filter((s) => effectiveEnd(s) >= horizon).slice(-MAX_FROZEN);
    }
    this.combined = null;
  }
}
