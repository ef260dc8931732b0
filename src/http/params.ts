// Query parameters of the read API: validated, bounded, each error one line naming the parameter.

import { DAY_MS, parseDurationMs, parseTimeArg } from '../time.js';

export class BadRequest extends Error {}

const MAX_WINDOW_MS = 31 * DAY_MS;
const MIN_STEP_MS = 10_000;
const MAX_STEPS = 2000;
const MAX_HOST_LENGTH = 253;

interface Range {
  readonly host: string;
  readonly start: number;
  readonly stop: number;
}

const KNOWN = new Set(['host', 'window', 'step', 'start', 'stop']);

export function checkKnown(params: URLSearchParams, allowed: readonly string[]): void {
  for (const key of params.keys()) {
    if (!KNOWN.has(key) || !allowed.includes(key)) throw new BadRequest(`unknown parameter "${key.slice(0, 40)}" (allowed: ${allowed.join(', ')})`);
  }
}

function hostParam(params: URLSearchParams, defaultHost: string): string {
  const host = params.get('host');
  if (host === null) return defaultHost;
  if (host === '' || host.length > MAX_HOST_LENGTH || /[\u0000-\u001f]/.test(host)) {
    throw new BadRequest(`host must be a host tag of 1 to ${MAX_HOST_LENGTH} printable characters`);
  }
  return host;
}

function duration(params: URLSearchParams, key: string, fallback: string): number {
  const text = params.get(key) ?? fallback;
  const ms = parseDurationMs(text);
  if (ms === null || ms <= 0) throw new BadRequest(`${key} must be a duration such as 30s, 5m, 24h or 7d, got "${text.slice(0, 40)}"`);
  return ms;
}

/** `?host=&window=` ending now. */
export function windowRange(params: URLSearchParams, defaultHost: string, now: number, fallback = '24h'): Range & { window: number } {
  const window = duration(params, 'window', fallback);
  if (window > MAX_WINDOW_MS) throw new BadRequest('window must be at most 31d');
  return { host: hostParam(params, defaultHost), start: now - window, stop: now, window };
}

export function stepParam(params: URLSearchParams, window: number): number {
  const step = duration(params, 'step', '5m');
  if (step < MIN_STEP_MS) throw new BadRequest('step must be at least 10s');
  if (window / step > MAX_STEPS) throw new BadRequest(`window/step gives more than ${MAX_STEPS} steps: use a larger step`);
  return step;
}

/** `?host=&start=&stop=` as the timeline command takes them (RFC 3339, -6h, now). */
export function timeRange(params: URLSearchParams, defaultHost: string, now: number): Range {
  const start = parseTimeArg(params.get('start') ?? '-6h', now);
  const stop = parseTimeArg(params.get('stop') ?? 'now', now);
  if (start === null) throw new BadRequest('start must be RFC 3339, relative (-6h) or now');
  if (stop === null) throw new BadRequest('stop must be RFC 3339, relative (-6h) or now');
  if (start >= stop) throw new BadRequest('start must be before stop');
  if (stop - start > MAX_WINDOW_MS) throw new BadRequest('stop - start must be at most 31d');
  return { host: hostParam(params, defaultHost), start, stop };
}
