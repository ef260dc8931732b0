// /health: is the shipper doing its job? 200 while the journal reads succeed and InfluxDB takes the
// writes; 503 with the reasons otherwise. A write that is merely being retried is not yet a failure:
// only writes failing for longer than HEALTH_WRITE_FAILURE are.

import type { Stats } from './stats.js';

interface HealthReport {
  readonly status: 'ok' | 'failing';
  readonly reasons: readonly string[];
  readonly last_poll: string | null;
  readonly lag_seconds: number | null;
  readonly write_failing_seconds: number | null;
}

interface HealthLimits {
  readonly pollIntervalMs: number;
  readonly writeFailureMs: number;
}

export function shipperHealth(stats: Stats, nowMs: number, limits: HealthLimits): HealthReport {
  const reasons: string[] = [];
  const poll = stats.last_poll;
  if (poll === null) reasons.push('no journal read has finished yet');
  else if (poll.error !== null) reasons.push(`journal read failed: ${poll.error}`);
  else if (nowMs - poll.atMs > limits.writeFailureMs + limits.pollIntervalMs) {
    reasons.push(`no journal read has finished for ${Math.round((nowMs - poll.atMs) / 1000)} s`);
  }
  const failingMs = stats.write_failing_since_ms === null ? null : nowMs - stats.write_failing_since_ms;
  if (failingMs !== null && failingMs > limits.writeFailureMs) {
    reasons.push(`InfluxDB writes have been failing for ${Math.round(failingMs / 1000)} s`);
  }
  return {
    status: reasons.length === 0 ? 'ok' : 'failing',
    reasons,
    last_poll: poll === null ? null : new Date(poll.atMs).toISOString(),
    lag_seconds: stats.lagSeconds(nowMs),
    write_failing_seconds: failingMs === null ? null : failingMs / 1000,
  };
}
