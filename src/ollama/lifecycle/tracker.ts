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

const identity = (session: DraftSession): string => `${session.start}\u0000${session.sha256}`;

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
    this.events.sort((a, b) => a.time - b.time);
    const replay = this.config === null ? this.events : [this.config, ...this.events];
    const { sessions, unnamedEvictions } = firstPass(replay, this.inventory());
    const learned = new Map(this.sessions.map((s) => [identity(s), s.activityEnd]));
    for (const s of sessions) s.activityEnd = Math.max(s.activityEnd, learned.get(identity(s)) ?? -Infinity);
    secondPass([...this.frozen, ...sessions], [], unnamedEvictions);
    for (const s of sessions) s.requests.length = 0;
    for (const s of this.frozen) s.requests.length = 0;
    this.sessions = sessions;
    this.combined = null;
    this.stale = false;
    this.retire();
  }

  /**
   * Freezes the sessions that have ended and forgets the events before the oldest one still open, so
   * the next rebuild replays only those; drops what can no longer serve a request.
   */
  private retire(): void {
    const open = this.sessions.filter((s) => effectiveEnd(s) > this.latest);
    let cutoff = open.length > 0 ? Math.min(...open.map((s) => s.start)) : this.latest;
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
    this.frozen = this.frozen.filter((s) => effectiveEnd(s) >= horizon).slice(-MAX_FROZEN);
    this.combined = null;
  }
}
