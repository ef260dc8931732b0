// The model lifecycle timeline, reconstructed from plain records (no database): sessions with their
// load, requests, warnings and end. See README.md ("How sessions are rebuilt") for the rules; sessions.ts and
// attribute.ts hold the two passes.

import { secondPass } from './attribute.js';
import type { RequestColumns } from './request-columns.js';
import type { DraftSession } from './draft.js';
import { firstPass } from './sessions.js';
import { NEXT_LOAD_WARNINGS, WARNING_KINDS } from './timeline-kinds.js';
import {
  type EndReason,
  type Session,
  type SessionWarning,
  type Timeline,
  type TimelineEvent,
  type ReconstructionInput,
  type TimelineOptions,
  type UnattributedWarning,
  displayName,
} from './types.js';

function isWarning(event: TimelineEvent): boolean {
  return WARNING_KINDS.has(event.kind) || event.level === 'WARN' || event.level === 'ERROR';
}

interface End {
  readonly end: number;
  readonly reason: EndReason;
  readonly exact: boolean;
  readonly earliest: number;
  readonly latest: number | null;
}

/**
 * How long after its keep-alive deadline a runner can still be running: Ollama's expiry timer hands the
 * unload to the scheduler, which stops the runner (measured on real servers: well under a second).
 */
export const UNLOAD_LAG_MS = 1000;

/**
 * The first end that applies: one the logs state, else keep-alive expiry, else still open at `stop`;
 * with bounds: from the last moment the logs show the model loaded (loaded, or its latest request's
 * end) to the first they show it gone (a stated end, or the keep-alive deadline plus the unload lag).
 */
function finalEnd(session: DraftSession, stop: number): End {
  const expiry = session.activityEnd + session.keepAliveMs;
  const latest = Math.min(session.hardEnd, expiry + UNLOAD_LAG_MS);
  const bounds = (end: number) => ({ earliest: Math.min(session.activityEnd, end), latest: Number.isFinite(latest) ? latest : null });
  // A line naming the model beats the keep-alive inference; other stated ends apply if it had not expired.
  if (session.hardEnd <= stop && (session.hardCertainty === 'named' || session.hardEnd <= expiry)) {
    const end = session.hardEnd;
    if (session.hardCertainty !== 'bound') return { end, reason: session.hardReason!, exact: true, earliest: end, latest: end };
    return { end, reason: session.hardReason!, exact: false, ...bounds(end) };
  }
  if (expiry <= stop) return { end: expiry, reason: 'keep_alive', exact: false, ...bounds(expiry) };
  return { end: stop, reason: 'open', exact: false, ...bounds(stop) };
}

export function buildTimeline(input: ReconstructionInput, options: TimelineOptions): Timeline {
  const { start, stop } = options;
  const events = input.events.map((event, index) => ({ event, index }));
  events.sort((a, b) => a.event.time - b.event.time || a.index - b.index);
  const ordered = events.map((e) => e.event);

  const { sessions: drafts, owners, unnamedEvictions } = firstPass(ordered, input.inventory);
  const inRange = (time: number) => time >= start && time <= stop;
  const { unattributed: unattributedRequests, table } = secondPass(drafts, input.requests, unnamedEvictions, inRange);
  const ends = new Map(drafts.map((d) => [d, finalEnd(d, stop)]));

  const unattributedWarnings: UnattributedWarning[] = [];
  for (const event of ordered) {
    if (!isWarning(event) || event.time < start || event.time > stop) continue;
    const warning: SessionWarning = { time: event.time, kind: event.kind, message: event.message };
    const owner = owners.get(event) ?? (NEXT_LOAD_WARNINGS.has(event.kind) ? loadAfter(drafts, event.time) : undefined) ?? loadedAt(drafts, ends, event.time);
    if (Array.isArray(owner)) unattributedWarnings.push({ ...warning, candidates: owner.map(displayName) });
    else owner.warnings.push(warning);
  }

  const sessions: Session[] = drafts
    .filter((d) => d.start <= stop && ends.get(d)!.end >= start)
    .map((d) => {
      const { end, reason, exact, earliest, latest } = ends.get(d)!;
      return withRequests(table, d.requests, {
        model: d.model,
        aliases: d.aliases,
        sha256: d.sha256,
        ctxSize: d.ctxSize,
        gpuLayers: d.gpuLayers,
        parallel: d.parallel,
        start: d.start,
        loaded: d.loaded,
        loadSeconds: d.loadSeconds,
        end,
        endReason: reason,
        endExact: exact,
        endEarliest: earliest,
        endLatest: latest,
        warnings: d.warnings,
      });
    });

  return {
    host: options.host,
    start,
    stop,
    sessions,
    unattributedRequests: unattributedRequests.filter((r) => inRange(r.end)),
    unattributedWarnings,
  };
}

/**
 * The session with its `requests` (those in the range, in start order: as the second pass kept them)
 * made from the packed columns each time they are read: a week of requests is then never all objects
 * at once, only one session's while it is rendered.
 */
function withRequests(table: RequestColumns, indices: readonly number[], session: Omit<Session, 'requests'>): Session {
  return Object.defineProperty(session, 'requests', { enumerable: true, get: () => indices.map((i) => table.span(i)) }) as Session;
}

/** How long before its `starting runner` line the scheduler warns about the load (`context_capped`). */
const LOAD_WARNING_LEAD_MS = 1000;

/** The load that a warning the scheduler logs just before starting a runner is about. */
function loadAfter(drafts: readonly DraftSession[], time: number): DraftSession | undefined {
  return drafts.find((d) => d.start >= time && d.start - time <= LOAD_WARNING_LEAD_MS);
}

/**
 * The one session in memory at `time` (preferring one that had finished loading), or the
 * candidates when there are none or several.
 */
function loadedAt(drafts: readonly DraftSession[], ends: Map<DraftSession, End>, time: number): DraftSession | DraftSession[] {
  const alive = drafts.filter((d) => d.start <= time && time <= ends.get(d)!.end);
  if (alive.length === 1) return alive[0]!;
  const loaded = alive.filter((d) => d.loaded !== null && d.loaded <= time);
  return loaded.length === 1 ? loaded[0]! : alive;
}
