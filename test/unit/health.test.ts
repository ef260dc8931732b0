// /health's verdict and the lag figure from the shipper's counters, at chosen moments (no clock).

import { describe, expect, it } from 'vitest';
import { shipperHealth } from '../../src/telemetry/health.js';
import { Stats } from '../../src/telemetry/stats.js';

const limits = { pollIntervalMs: 10_000, writeFailureMs: 300_000 };
const T = 1_800_000_000_000;

describe('shipperHealth', () => {
  it('is failing until the first journal read finishes, then ok', () => {
    const stats = new Stats();
    expect(shipperHealth(stats, T, limits)).toMatchObject({ status: 'failing', reasons: ['no journal read has finished yet'], lag_seconds: null });
    stats.last_poll = { atMs: T, error: null };
    stats.caught_up_to_ms = T - 2000;
    expect(shipperHealth(stats, T + 5000, limits)).toEqual({
      status: 'ok',
      reasons: [],
      last_poll: new Date(T).toISOString(),
      lag_seconds: 7,
      write_failing_seconds: null,
    });
  });

  it('names a failed journal read, and a read loop that stopped finishing', () => {
    const stats = new Stats();
    stats.last_poll = { atMs: T, error: 'journalctl: Permission denied' };
    expect(shipperHealth(stats, T, limits).reasons).toEqual(['journal read failed: journalctl: Permission denied']);
    stats.last_poll = { atMs: T, error: null };
    expect(shipperHealth(stats, T + 310_000, limits).status).toBe('ok');
    expect(shipperHealth(stats, T + 311_000, limits).reasons).toEqual(['no journal read has finished for 311 s']);
  });

  it('tolerates InfluxDB failing for HEALTH_WRITE_FAILURE, not longer', () => {
    const stats = new Stats();
    stats.last_poll = { atMs: T + 400_000, error: null };
    stats.write_failing_since_ms = T;
    expect(shipperHealth(stats, T + 300_000, limits)).toMatchObject({ status: 'ok', write_failing_seconds: 300 });
    expect(shipperHealth(stats, T + 301_000, limits).reasons).toEqual(['InfluxDB writes have been failing for 301 s']);
  });

  it('counts lag from the newest acknowledged entry or the latest finished read, whichever is later', () => {
    const stats = new Stats();
    stats.last_acked_entry_ms = T - 3_600_000; // Ollama idle for an hour…
    expect(stats.lagSeconds(T)).toBe(3600);
    stats.caught_up_to_ms = T - 10_000; // …but the latest read found nothing newer.
    expect(stats.lagSeconds(T)).toBe(10);
  });
});
