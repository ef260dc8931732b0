// First pass over the events alone: sessions from load starts, when each finished loading, and the
// ends the logs state outright (unload, VRAM-recovery timeout, eviction, load error, systemd stopping
// the unit) or imply (a reload of the same blob, a load under OLLAMA_MAX_LOADED_MODELS=1, a restart).
// Keep-alive expiry needs the requests and is the second pass's business (attribute.ts).

import { DEFAULT_KEEP_ALIVE_MS, keepAliveOf, maxLoadedOf } from './keep-alive.js';
import type { EndReason, SessionRequest, SessionWarning, TimelineEvent } from './types.js';

export interface DraftSession {
  readonly model: string | null;
  readonly aliases: readonly string[];
  readonly sha256: string | null;
  ctxSize: number | null;
  gpuLayers: number | null;
  parallel: number | null;
  readonly start: number;
  loaded: number | null;
  loadSeconds: number | null;
  /** The earliest end the logs state; Infinity while none does. */
  hardEnd: number;
  hardReason: EndReason | null;
  hardCertainty: Certainty;
  /** OLLAMA_KEEP_ALIVE of the server process the session lives in. */
  readonly keepAliveMs: number;
  /** When the keep-alive timer last (re)started: loaded, or the end of its latest request. */
  activityEnd: number;
  readonly requests: SessionRequest[];
  readonly warnings: SessionWarning[];
}

export interface FirstPass {
  readonly sessions: DraftSession[];
  /** Events whose session the event itself names (VRAM timeout, load error) → that session. */
  readonly owners: Map<TimelineEvent, DraftSession>;
  /** Evictions of one model the line does not name: resolved once keep-alive tells which were loaded. */
  readonly unnamedEvictions: TimelineEvent[];
}

/**
 * Eviction hints by the parser's `reason`: which name the evicted model, which evict one model they do
 * not name, which evict every loaded model. The rest (`new_model_fits`, …) name the model being loaded.
 */
const EVICTS_NAMED = ['expire_to_make_room'];
const EVICTS_ONE = ['evicting_for_space', 'evicting_for_system_memory', 'predicted_exceed'];
const EVICTS_ALL = ['evict_all_for_retry', 'runtime_oom'];
/** `model_unload` stages that mean the model is leaving memory now (the parser's DEBUG scheduler steps). */
const UNLOAD_STAGES = [
  'timer_expired',
  'idle_zero_keep_alive',
  'expired_event_received',
  'got_lock',
  'vram_recovery_wait',
  'no_vram_wait',
  'runner_terminated',
  'runner_released',
  'unloaded_event_sent',
  'unload_completed',
  'shutting_down_runner',
  'shutting_down_loading_runner',
  'orphan_shutdown',
];

function num(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * How sure an end from the logs is: `named` — a line about this very model left memory then (it stands
 * even after the keep-alive deadline: a client may have set a longer one); `if_loaded` — everything still
 * loaded went then (a stop, an eviction of all); `bound` — it was gone by then, maybe earlier (a reload,
 * a replacing load, a new server process).
 */
export type Certainty = 'named' | 'if_loaded' | 'bound';

/** Ends the session at `time` unless something earlier already did. */
export function endSession(session: DraftSession, time: number, reason: EndReason, certainty: Certainty): void {
  const at = Math.max(time, session.start);
  if (at < session.hardEnd) {
    session.hardEnd = at;
    session.hardReason = reason;
    session.hardCertainty = certainty;
  }
}

function names(session: DraftSession): string[] {
  return session.model === null ? [...session.aliases] : [session.model, ...session.aliases];
}

/** Does the event (its sha256 field, else its model name) name this session's model? */
function namesModel(event: TimelineEvent, session: DraftSession): boolean {
  const sha = str(event.fields['sha256']);
  if (sha !== null && session.sha256 !== null) return sha === session.sha256;
  const name = str(event.fields['model_name']) ?? event.model ?? null;
  return name !== null && names(session).includes(name);
}

/**
 * The event kinds the first pass reacts to (its `case` labels); every other kind leaves sessions as
 * they are, so the daemon's incremental tracker need not keep or replay it. A unit test checks the
 * list against the pass itself with every parser kind.
 */
export const SESSION_KINDS: ReadonlySet<string> = new Set([
  'server_config',
  'server_start',
  'server_stop',
  'server_exit',
  'service_start',
  'model_load_start',
  'model_load_request',
  'model_loaded',
  'load_error',
  'vram_timeout',
  'vram_recovered',
  'eviction',
  'model_unload',
]);

export function firstPass(events: readonly TimelineEvent[], inventory: ReadonlyMap<string, readonly string[]>): FirstPass {
  const sessions: DraftSession[] = [];
  const owners = new Map<TimelineEvent, DraftSession>();
  const unnamedEvictions: TimelineEvent[] = [];
  let keepAliveMs = DEFAULT_KEEP_ALIVE_MS;
  let maxLoaded: number | null = null;

  const openAt = (t: number) => sessions.filter((s) => s.start <= t && s.hardEnd > t);
  const loadingAt = (t: number) => openAt(t).filter((s) => s.loaded === null);

  for (const event of events) {
    const t = event.time;
    switch (event.kind) {
      case 'server_config':
        keepAliveMs = keepAliveOf(event) ?? DEFAULT_KEEP_ALIVE_MS;
        maxLoaded = maxLoadedOf(event);
        break;
      case 'server_start':
        // A new process: the previous one, and every runner it had, is gone (when, the logs may not say).
        for (const session of openAt(t)) endSession(session, t, 'server_restart', 'bound');
        break;
      case 'server_stop':
      case 'server_exit':
      case 'service_start':
        // systemd's own lines about the unit (stopping, main process exited, OOM kill, starting): the
        // unit's control group, runners included, is killed with the main process (KillMode=control-group).
        for (const session of openAt(t)) endSession(session, t, 'server_stop', 'if_loaded');
        break;
      case 'model_load_start': {
        const sha256 = str(event.fields['sha256']);
        // The scheduler stops a runner before it starts another for the same blob (a reload), and with
        // OLLAMA_MAX_LOADED_MODELS=1 before any other load. It may wait for memory to be freed in
        // between, so the new load is when the old runner was gone by, not when it went.
        for (const session of openAt(t)) {
          if (sha256 !== null && session.sha256 === sha256) endSession(session, t, 'reload', 'bound');
          else if (maxLoaded === 1) endSession(session, t, 'replaced', 'bound');
        }
        const known = sha256 === null ? [] : (inventory.get(sha256) ?? []);
        const model = event.model ?? known[0] ?? null;
        sessions.push({
          model,
          aliases: known.filter((name) => name !== model),
          sha256,
          ctxSize: num(event.fields['ctx_size']),
          gpuLayers: num(event.fields['gpu_layers']),
          parallel: num(event.fields['parallel']),
          start: t,
          loaded: null,
          loadSeconds: null,
          hardEnd: Infinity,
          hardReason: null,
          hardCertainty: 'bound',
          keepAliveMs,
          activityEnd: t,
          requests: [],
          warnings: [],
        });
        break;
      }
      case 'model_load_request': {
        // 0.11.5+: context, GPU layers and parallel come after `starting runner`; the last (commit) wins.
        const target = loadingAt(t).at(-1);
        if (target === undefined) break;
        target.ctxSize = num(event.fields['ctx_size']) ?? target.ctxSize;
        target.gpuLayers = num(event.fields['gpu_layers']) ?? target.gpuLayers;
        target.parallel = num(event.fields['parallel']) ?? target.parallel;
        break;
      }
      case 'model_loaded': {
        // The scheduler loads one model at a time: the oldest load still pending is the one that finished.
        const target = loadingAt(t)[0];
        if (target === undefined) break;
        target.loaded = t;
        target.loadSeconds = num(event.fields['load_seconds']);
        target.activityEnd = t;
        break;
      }
      case 'load_error': {
        const loading = loadingAt(t);
        const target = loading.find((s) => namesModel(event, s)) ?? loading[0];
        if (target === undefined) break;
        endSession(target, t, 'load_error', 'named');
        owners.set(event, target);
        break;
      }
      case 'vram_timeout':
      case 'vram_recovered': {
        // The runner stopped `seconds` before this line: that is when the model left memory.
        const unloadedAt = t - (num(event.fields['seconds']) ?? 0) * 1000;
        const target = sessions.filter((s) => s.start <= unloadedAt && namesModel(event, s)).at(-1);
        if (target === undefined) break;
        endSession(target, unloadedAt, event.kind === 'vram_timeout' ? 'vram_timeout' : 'unload', 'named');
        owners.set(event, target);
        break;
      }
      case 'eviction': {
        const reason = str(event.fields['reason']) ?? '';
        if (EVICTS_ALL.includes(reason)) {
          for (const s of openAt(t)) if (s.loaded !== null) endSession(s, t, 'eviction', 'if_loaded');
        } else if (EVICTS_NAMED.includes(reason)) {
          const named = openAt(t).find((s) => namesModel(event, s));
          if (named !== undefined) endSession(named, t, 'eviction', 'named');
        } else if (EVICTS_ONE.includes(reason)) {
          unnamedEvictions.push(event);
        }
        break;
      }
      case 'model_unload': {
        // The idle-timer lines only start the keep-alive countdown; every other step is the unload.
        if (!UNLOAD_STAGES.includes(str(event.fields['stage']) ?? '')) break;
        const target = openAt(t).find((s) => namesModel(event, s));
        if (target !== undefined) endSession(target, t, 'unload', 'named');
        break;
      }
      default:
        break;
    }
  }
  return { sessions, owners, unnamedEvictions };
}
