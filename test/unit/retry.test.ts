import { describe, expect, it } from 'vitest';
import { backoffDelay, CONFIG_BACKOFF, WRITE_BACKOFF, type BackoffPolicy } from '../../src/influx/backoff.js';
import { decideWrite, parseRetryAfter, type WriteOutcome } from '../../src/influx/retry.js';

const http = (status: number, retryAfterMs: number | null = null): WriteOutcome => ({
  kind: 'http',
  status,
  body: `{"code":"x","message":"status ${status}"}`,
  retryAfterMs,
});

describe('decideWrite: the status table', () => {
  it('204 (and any 2xx) is done', () => {
    expect(decideWrite({ kind: 'ok' }, 10)).toEqual({ action: 'done' });
    expect(decideWrite(http(204), 10)).toEqual({ action: 'done' });
    expect(decideWrite(http(200), 1)).toEqual({ action: 'done' });
  });

  it.each([400, 422])('%i splits a batch of several lines and skips a single line', (status) => {
    expect(decideWrite(http(status), 2)).toEqual({ action: 'split', errorType: 'rejected' });
    expect(decideWrite(http(status), 5000)).toEqual({ action: 'split', errorType: 'rejected' });
    expect(decideWrite(http(status), 1)).toEqual({ action: 'skip', errorType: 'rejected' });
  });

  it('413 splits a batch and skips a single line that alone is too large', () => {
    expect(decideWrite(http(413), 2)).toEqual({ action: 'split', errorType: 'too_large' });
    expect(decideWrite(http(413), 1)).toEqual({ action: 'skip', errorType: 'too_large' });
  });

  it.each([401, 403])('%i is a configuration error (unauthorized), whatever the batch size', (status) => {
    expect(decideWrite(http(status), 1)).toEqual({ action: 'config', errorType: 'unauthorized' });
    expect(decideWrite(http(status), 100)).toEqual({ action: 'config', errorType: 'unauthorized' });
  });

  it('404 is a configuration error (bucket_not_found)', () => {
    expect(decideWrite(http(404), 100)).toEqual({ action: 'config', errorType: 'bucket_not_found' });
  });

  it.each([429, 503])('%i is retried as throttled, carrying Retry-After', (status) => {
    expect(decideWrite(http(status, 7000), 100)).toEqual({ action: 'retry', errorType: 'throttled', retryAfterMs: 7000 });
    expect(decideWrite(http(status), 1)).toEqual({ action: 'retry', errorType: 'throttled', retryAfterMs: null });
  });

  it.each([500, 502, 504, 507, 599])('other 5xx (%i) is retried as server_error, never split', (status) => {
    expect(decideWrite(http(status), 100)).toEqual({ action: 'retry', errorType: 'server_error', retryAfterMs: null });
    expect(decideWrite(http(status, 2000), 1)).toEqual({ action: 'retry', errorType: 'server_error', retryAfterMs: 2000 });
  });

  it('network errors (refused, reset, timeout) are retried', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'RequestTimedOutError']) {
      expect(decideWrite({ kind: 'network', code, message: code }, 100)).toEqual({ action: 'retry', errorType: 'network', retryAfterMs: null });
    }
  });

  it('never drops data on a status it does not know: it retries', () => {
    for (const status of [0, 301, 405, 409, 418]) {
      expect(decideWrite(http(status), 3).action, String(status)).toBe('retry');
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-02T09:14:09.000Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 5 ', now)).toBe(5000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP date, relative to now, never negative', () => {
    expect(parseRetryAfter('Sun, 02 Mar 2025 09:14:39 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 02 Mar 2025 09:00:00 GMT', now)).toBe(0);
    // The obsolete RFC 850 form is still an HTTP date.
    expect(parseRetryAfter('Sunday, 02-Mar-25 09:14:19 GMT', now)).toBe(10_000);
  });

  it('is null when absent or unreadable', () => {
    for (const header of [undefined, '', '  ', 'soon', 'later please', 'NaN']) {
      expect(parseRetryAfter(header, now), String(header)).toBeNull();
    }
  });

  it('does not read a malformed number as a date', () => {
    // Not delta-seconds (RFC 9110: 1*DIGIT) and not an HTTP date.
    for (const header of ['-1', '1.5', '5s', '1e3', '12 13']) {
      expect(parseRetryAfter(header, now), header).toBeNull();
    }
  });
});

describe('backoffDelay', () => {
  const policy: BackoffPolicy = { baseMs: 500, capMs: 60_000 };

  it('is uniform between half the ceiling and the ceiling, the ceiling doubling per attempt', () => {
    for (let attempt = 1; attempt <= 7; attempt++) {
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      expect(backoffDelay(attempt, policy, () => 0)).toBe(ceiling / 2);
      expect(backoffDelay(attempt, policy, () => 1)).toBe(ceiling);
      expect(backoffDelay(attempt, policy, () => 0.5)).toBe(Math.round(ceiling * 0.75));
    }
    expect(backoffDelay(1, policy, () => 0)).toBe(250);
    expect(backoffDelay(1, policy, () => 1)).toBe(500);
    expect(backoffDelay(3, policy, () => 1)).toBe(2000);
  });

  it('stays within bounds for random jitter', () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, policy);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('is capped, also for absurd attempt numbers', () => {
    for (const attempt of [8, 20, 100, 5000]) {
      expect(backoffDelay(attempt, policy, () => 1)).toBe(60_000);
      expect(backoffDelay(attempt, policy, () => 0)).toBe(30_000);
    }
    expect(backoffDelay(1000, CONFIG_BACKOFF, () => 1)).toBe(CONFIG_BACKOFF.capMs);
    expect(backoffDelay(1000, WRITE_BACKOFF, () => 1)).toBe(WRITE_BACKOFF.capMs);
  });

  it('grows monotonically with the attempt for the same random draw', () => {
    for (const r of [0, 0.3, 1]) {
      let previous = 0;
      for (let attempt = 1; attempt <= 30; attempt++) {
        const delay = backoffDelay(attempt, WRITE_BACKOFF, () => r);
        expect(delay).toBeGreaterThanOrEqual(previous);
        previous = delay;
      }
      expect(previous).toBeGreaterThan(backoffDelay(1, WRITE_BACKOFF, () => r));
    }
  });

  it('treats attempt 0 or below as the first', () => {
    expect(backoffDelay(0, policy, () => 1)).toBe(500);
    expect(backoffDelay(-3, policy, () => 1)).toBe(500);
  });

  it('backs off configuration errors far slower than transient ones', () => {
    expect(backoffDelay(1, CONFIG_BACKOFF, () => 0)).toBeGreaterThan(backoffDelay(1, WRITE_BACKOFF, () => 1));
    expect(CONFIG_BACKOFF.capMs).toBeGreaterThan(WRITE_BACKOFF.capMs);
  });
});
