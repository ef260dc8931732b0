// What to do with InfluxDB's answer to one write: a pure function, unit-tested without a server.
// Status table from DESIGN.md ("InfluxDB responses").

import type { WriteErrorType } from '../telemetry/stats.js';

export type { WriteErrorType };

export type WriteOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'http'; readonly status: number; readonly body: string; readonly retryAfterMs: number | null }
  | { readonly kind: 'network'; readonly code: string; readonly message: string };

type WriteDecision =
  | { readonly action: 'done' }
  /** Retry the same batch after a delay: Retry-After when the server gave one, else backoff. */
  | { readonly action: 'retry'; readonly errorType: WriteErrorType; readonly retryAfterMs: number | null }
  /** A configuration problem: keep the cursor, back off, say so loudly. */
  | { readonly action: 'config'; readonly errorType: WriteErrorType }
  /** Split the batch in two and send each half (rejected lines are isolated by bisecting). */
  | { readonly action: 'split'; readonly errorType: WriteErrorType }
  /** A single line InfluxDB will never take: skip it, count it, log it with its cursor. */
  | { readonly action: 'skip'; readonly errorType: WriteErrorType };

export function decideWrite(outcome: WriteOutcome, lineCount: number): WriteDecision {
  if (outcome.kind === 'ok') return { action: 'done' };
  if (outcome.kind === 'network') return { action: 'retry', errorType: 'network', retryAfterMs: null };
  const { status } = outcome;
  if (status >= 200 && status < 300) return { action: 'done' };
  if (status === 400 || status === 422) {
    return lineCount > 1 ? { action: 'split', errorType: 'rejected' } : { action: 'skip', errorType: 'rejected' };
  }
  if (status === 413) {
    return lineCount > 1 ? { action: 'split', errorType: 'too_large' } : { action: 'skip', errorType: 'too_large' };
  }
  if (status === 401 || status === 403) return { action: 'config', errorType: 'unauthorized' };
  if (status === 404) return { action: 'config', errorType: 'bucket_not_found' };
  if (status === 429 || status === 503) return { action: 'retry', errorType: 'throttled', retryAfterMs: outcome.retryAfterMs };
  return { action: 'retry', errorType: 'server_error', retryAfterMs: outcome.retryAfterMs };
}

const HTTP_DATE = /^[A-Za-z]{3}.* \d\d:\d\d:\d\d /;

/** `Retry-After` in seconds or as an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | null {
  if (header === undefined || header.trim() === '') return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only the HTTP date forms (day name first, a hh:mm:ss time): V8's Date.parse also takes
  // "-1" or "1.5" as dates in the past, which would turn into an immediate retry.
  if (!HTTP_DATE.test(trimmed)) return null;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
