// First pass over the events alone: sessions from load starts, when each finished loading, and the
// ends the logs state outright (unload, VRAM-recovery timeout, eviction, load error, systemd stopping
// the unit) or imply (a reload of the same blob, a load under OLLAMA_MAX_LOADED_MODELS=1, a restart).
// Keep-alive expiry needs the requests and is the second pass's business (attribute.ts). What each
// kind does is in reactions.ts; which kinds react is declared on the parser's table.

import type { DraftSession } from './draft.js';
import { DEFAULT_KEEP_ALIVE_MS } from './keep-alive.js';
import { type PassState, type Reaction, REACTIONS } from './reactions.js';
import { isSessionKind, type KindEvent } from './timeline-kinds.js';
import type { TimelineEvent } from './types.js';

export interface FirstPass {
  readonly sessions: DraftSession[];
  /** Events whose session the event itself names (VRAM timeout, load error) → that session. */
  readonly owners: Map<TimelineEvent, DraftSession>;
  /** Evictions of one model the line does not name: resolved once keep-alive tells which were loaded. */
  readonly unnamedEvictions: TimelineEvent[];
}

export function firstPass(events: readonly TimelineEvent[], inventory: ReadonlyMap<string, readonly string[]>): FirstPass {
  const state: PassState = { sessions: [], owners: new Map(), unnamedEvictions: [], inventory, keepAliveMs: DEFAULT_KEEP_ALIVE_MS, maxLoaded: null };
  for (const event of events) {
    if (!isSessionKind(event.kind)) continue;
    // Each reaction reads only its own kind's fields (stored events: any may be absent).
    (REACTIONS[event.kind] as Reaction<typeof event.kind>)(state, event as KindEvent<typeof event.kind>);
  }
  return { sessions: state.sessions, owners: state.owners, unnamedEvictions: state.unnamedEvictions };
}
