// What the `server config` line states about how long models stay: OLLAMA_KEEP_ALIVE (how long an idle
// model stays loaded) and OLLAMA_MAX_LOADED_MODELS (1: every load first stops the loaded model).

import { parseGoDuration } from '../parse/go-duration.js';
import type { TimelineEvent } from './types.js';
import { MINUTE_MS } from '../../time.js';

/** Ollama's default when OLLAMA_KEEP_ALIVE is empty. */
export const DEFAULT_KEEP_ALIVE_MS = 5 * MINUTE_MS;

/**
 * Milliseconds an idle model stays loaded per this `server_config` event; Infinity when it never
 * expires (a negative value; Ollama prints that as the largest Go duration, ~292 years); null when
 * the line does not state it (Ollama then uses the default).
 */
export function keepAliveOf(event: TimelineEvent): number | null {
  const raw = event.fields['keep_alive'] ?? fromEnv(event.fields['env'], 'OLLAMA_KEEP_ALIVE');
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const text = raw.trim();
  // Ollama also accepts a bare number of seconds in the environment variable.
  const ms = /^[+-]?\d+$/.test(text) ? Number(text) * 1000 : parseGoDuration(text);
  if (ms === null) return null;
  return ms < 0 ? Infinity : ms;
}

/** OLLAMA_MAX_LOADED_MODELS of this `server_config` event; null when unset or 0 (Ollama then picks per GPU). */
export function maxLoadedOf(event: TimelineEvent): number | null {
  const raw = fromEnv(event.fields['env'], 'OLLAMA_MAX_LOADED_MODELS');
  const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : null;
  return n === null || n === 0 ? null : n;
}

function fromEnv(env: unknown, key: string): unknown {
  if (typeof env !== 'string') return undefined;
  try {
    const parsed = JSON.parse(env) as Record<string, unknown> | null;
    return parsed?.[key];
  } catch {
    return undefined;
  }
}
