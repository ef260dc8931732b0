// A session while the two passes build it, and the helpers both passes use to end and match one.

import type { EndReason, SessionWarning } from './types.js';

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
  /** The requests it served, as indices into the second pass's RequestColumns, in start order. */
  readonly requests: number[];
  readonly warnings: SessionWarning[];
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

/** A stored field as a number (InfluxDB gives floats; a hostile or missing value is null). */
export function num(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

type FieldValue = string | number | boolean;

/** Does the event (its sha256 field, else its model name) name this session's model? */
export function namesModel(
  event: { readonly model?: string; readonly fields: { readonly sha256?: FieldValue; readonly model_name?: FieldValue } },
  session: DraftSession,
): boolean {
  const sha = str(event.fields.sha256);
  if (sha !== null && session.sha256 !== null) return sha === session.sha256;
  const name = str(event.fields.model_name) ?? event.model ?? null;
  return name !== null && (name === session.model || session.aliases.includes(name));
}
