// How the first pass reacts to each kind that shapes sessions. Which kinds those are is declared on the
// parser's table (`timeline: { session: true }`); the mapped type of REACTIONS makes the compiler demand
// a reaction for each of them and refuse one for any other kind, and each reaction can name only its
// kind's fields. Eviction reasons and unload stages carry their effect in the table too.

import { evictionEffect } from '../parse/kinds-evict.js';
import type { SessionKind } from '../parse/kinds.js';
import { unloadStageLeaves } from '../parse/kinds-unload.js';
import { type DraftSession, endSession, namesModel, num, str } from './draft.js';
import { DEFAULT_KEEP_ALIVE_MS, keepAliveOf, maxLoadedOf } from './keep-alive.js';
import type { KindEvent } from './timeline-kinds.js';
import type { TimelineEvent } from './types.js';

/** What the first pass has built so far, and the server settings in force. */
export interface PassState {
  readonly sessions: DraftSession[];
  /** Events whose session the event itself names (VRAM timeout, load error) → that session. */
  readonly owners: Map<TimelineEvent, DraftSession>;
  /** Evictions of one model the line does not name: resolved once keep-alive tells which were loaded. */
  readonly unnamedEvictions: TimelineEvent[];
  readonly inventory: ReadonlyMap<string, readonly string[]>;
  keepAliveMs: number;
  maxLoaded: number | null;
}

export type Reaction<K extends SessionKind> = (state: PassState, event: KindEvent<K>) => void;

function openAt(state: PassState, t: number): DraftSession[] {
  return state.sessions.filter((s) => s.start <= t && s.hardEnd > t);
}

function loadingAt(state: PassState, t: number): DraftSession[] {
  return openAt(state, t).filter((s) => s.loaded === null);
}

/** systemd's own lines about the unit: its control group, runners included, goes with the main process (KillMode=control-group). */
const unitStopped = (state: PassState, event: { readonly time: number }): void => {
  for (const session of openAt(state, event.time)) endSession(session, event.time, 'server_stop', 'if_loaded');
};

/** The runner stopped `seconds` before this line: that is when the model left memory. */
function vramLine(state: PassState, event: KindEvent<'vram_timeout' | 'vram_recovered'>): void {
  const unloadedAt = event.time - (num(event.fields.seconds) ?? 0) * 1000;
  const target = state.sessions.filter((s) => s.start <= unloadedAt && namesModel(event, s)).at(-1);
  if (target === undefined) return;
  endSession(target, unloadedAt, event.kind === 'vram_timeout' ? 'vram_timeout' : 'unload', 'named');
  state.owners.set(event as TimelineEvent, target);
}

export const REACTIONS: { readonly [K in SessionKind]: Reaction<K> } = {
  server_config(state, event) {
    state.keepAliveMs = keepAliveOf(event as TimelineEvent) ?? DEFAULT_KEEP_ALIVE_MS;
    state.maxLoaded = maxLoadedOf(event as TimelineEvent);
  },
  server_start(state, { time }) {
    // A new process: the previous one, and every runner it had, is gone (when, the logs may not say).
    for (const session of openAt(state, time)) endSession(session, time, 'server_restart', 'bound');
  },
  server_stop: unitStopped,
  server_exit: unitStopped,
  service_start: unitStopped,
  model_load_start(state, event) {
    const t = event.time;
    const sha256 = str(event.fields.sha256);
    // The scheduler stops a runner before it starts another for the same blob (a reload), and with
    // OLLAMA_MAX_LOADED_MODELS=1 before any other load. It may wait for memory to be freed in
    // between, so the new load is when the old runner was gone by, not when it went.
    for (const session of openAt(state, t)) {
      if (sha256 !== null && session.sha256 === sha256) endSession(session, t, 'reload', 'bound');
      else if (state.maxLoaded === 1) endSession(session, t, 'replaced', 'bound');
    }
    const known = sha256 === null ? [] : (state.inventory.get(sha256) ?? []);
    const model = event.model ?? known[0] ?? null;
    state.sessions.push({
      model,
      aliases: known.filter((name) => name !== model),
      sha256,
      ctxSize: num(event.fields.ctx_size),
      gpuLayers: num(event.fields.gpu_layers),
      parallel: num(event.fields.parallel),
      start: t,
      loaded: null,
      loadSeconds: null,
      hardEnd: Infinity,
      hardReason: null,
      hardCertainty: 'bound',
      keepAliveMs: state.keepAliveMs,
      activityEnd: t,
      requests: [],
      warnings: [],
    });
  },
  model_load_request(state, event) {
    // 0.11.5+: context, GPU layers and parallel come after `starting runner`; the last (commit) wins.
    const target = loadingAt(state, event.time).at(-1);
    if (target === undefined) return;
    target.ctxSize = num(event.fields.ctx_size) ?? target.ctxSize;
    target.gpuLayers = num(event.fields.gpu_layers) ?? target.gpuLayers;
    target.parallel = num(event.fields.parallel) ?? target.parallel;
  },
  model_loaded(state, event) {
    // The scheduler loads one model at a time: the oldest load still pending is the one that finished.
    const target = loadingAt(state, event.time)[0];
    if (target === undefined) return;
    target.loaded = event.time;
    target.loadSeconds = num(event.fields.load_seconds);
    target.activityEnd = event.time;
  },
  load_error(state, event) {
    const loading = loadingAt(state, event.time);
    const target = loading.find((s) => namesModel(event, s)) ?? loading[0];
    if (target === undefined) return;
    endSession(target, event.time, 'load_error', 'named');
    state.owners.set(event as TimelineEvent, target);
  },
  vram_timeout: vramLine,
  vram_recovered: vramLine,
  eviction(state, event) {
    const t = event.time;
    const effect = evictionEffect(str(event.fields.reason) ?? '');
    switch (effect) {
      case 'evicts_all':
        for (const s of openAt(state, t)) if (s.loaded !== null) endSession(s, t, 'eviction', 'if_loaded');
        break;
      case 'evicts_named': {
        const named = openAt(state, t).find((s) => namesModel(event, s));
        if (named !== undefined) endSession(named, t, 'eviction', 'named');
        break;
      }
      case 'evicts_one':
        state.unnamedEvictions.push(event as TimelineEvent);
        break;
      case 'hint':
        break;
      default:
        effect satisfies never;
    }
  },
  model_unload(state, event) {
    // The idle-timer lines only start the keep-alive countdown; the table says which steps are the unload.
    if (!unloadStageLeaves(str(event.fields.stage) ?? '')) return;
    const target = openAt(state, event.time).find((s) => namesModel(event, s));
    if (target !== undefined) endSession(target, event.time, 'unload', 'named');
  },
};
