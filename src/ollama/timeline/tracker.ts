// The lifecycle reconstruction run incrementally, line by line, as the daemon reads the journal: which
// model served each request as it arrives (the `model` label of the metrics and of `ollama_requests`).
// It runs the same two passes as buildTimeline (sessions.ts, attribute.ts), so the daemon and the
// `timeline` command cannot disagree: sessions are rebuilt from the retained events when an event
// arrives (events are rare: loads, evictions, restarts), and each request is then attributed by the
// second pass alone, which is cheap (one request against the live sessions).

import { isInferencePath, secondPass } from './attribute.js';
import { type DraftSession, firstPass } from './sessions.js';
import type { TimelineEvent, TimelineRequest } from './types.js';

/** A request may run this long; sessions ended before now − this can no longer serve one. */
const REQUEST_HORIZON_MS = 3_600_000;
/** Memory bounds: the newest records are kept (the oldest only matter to sessions long gone). */
const MAX_EVENTS = 20_000;
const MAX_REQUESTS = 20_000;

export class LifecycleTracker {
  private events: TimelineEvent[] = [];
  private requests: TimelineRequest[] = [];
  private sessions: DraftSession[] = [];
  private stale = false;
  private latest = -Infinity;

  /** `inventory` is asked at each rebuild: sha256 → the blob's `ollama list` names. */
  constructor(private readonly inventory: () => ReadonlyMap<string, readonly string[]>) {}

  /** An `ollama_events` record, in journal order. */
  addEvent(event: TimelineEvent): void {
    this.events.push(event);
    this.latest = Math.max(this.latest, event.time);
    this.stale = true;
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
    this.requests.push(request);
    if (this.requests.length > MAX_REQUESTS) this.requests.splice(0, this.requests.length - MAX_REQUESTS);
    const unattributed = secondPass(this.sessions, [request], []);
    if (unattributed.length > 0) return '';
    // secondPass pushed the request into the one session that served it; nothing else needs the list.
    const served = this.sessions.find((s) => s.requests.length > 0);
    for (const s of this.sessions) s.requests.length = 0;
    return served?.model ?? '';
  }

  /** Names of the models loaded at `time` (for the `ollama_model_loaded` gauge). */
  loadedModels(time: number): string[] {
    if (this.stale) this.rebuild();
    const names = this.sessions
      .filter((s) => s.loaded !== null && s.loaded <= time && s.hardEnd > time && s.activityEnd + s.keepAliveMs > time)
      .map((s) => s.model ?? '');
    return [...new Set(names)].filter((name) => name !== '').sort();
  }

  private rebuild(): void {
    this.events.sort((a, b) => a.time - b.time);
    const { sessions, unnamedEvictions } = firstPass(this.events, this.inventory());
    secondPass(sessions, this.requests, unnamedEvictions);
    for (const s of sessions) s.requests.length = 0;
    this.sessions = sessions;
    this.stale = false;
    this.prune();
  }

  /** Forgets what only sessions that ended over an hour ago needed; keeps the latest server config. */
  private prune(): void {
    const horizon = this.latest - REQUEST_HORIZON_MS;
    const live = this.sessions.filter((s) => Math.min(s.hardEnd, s.activityEnd + s.keepAliveMs) >= horizon);
    const cutoff = Math.min(horizon, ...live.map((s) => s.start));
    const config = this.events.filter((e) => e.kind === 'server_config' && e.time < cutoff).at(-1);
    let kept = this.events.filter((e) => e.time >= cutoff);
    if (kept.length > MAX_EVENTS) kept = kept.slice(kept.length - MAX_EVENTS);
    if (config !== undefined && !kept.includes(config)) kept.unshift(config);
    if (kept.length !== this.events.length) {
      this.events = kept;
      this.requests = this.requests.filter((r) => r.end >= cutoff);
      this.sessions = this.sessions.filter((s) => s.start >= cutoff || live.includes(s));
    }
  }
}
