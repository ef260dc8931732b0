// Counters, one per outcome, named the Prometheus way; the per-minute summary logs them and /metrics
// serves them (metrics.ts).

import { Histogram } from 'prom-client';

/** Bounded set of error_type values for counters and logs (the sink's retry decisions use them). */
export const WRITE_ERROR_TYPES = ['rejected', 'too_large', 'unauthorized', 'bucket_not_found', 'throttled', 'server_error', 'network'] as const;
export type WriteErrorType = (typeof WRITE_ERROR_TYPES)[number];

/** A loopback write takes milliseconds; a slow remote server or a large catch-up batch, seconds. */
const WRITE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const JOURNAL_ERROR_TYPES = ['cursor_lost', 'permission_denied', 'journalctl_failed', 'journalctl_missing', 'decode_failed', 'parse_failed'] as const;
export type JournalErrorType = (typeof JOURNAL_ERROR_TYPES)[number];

/** What a batch tells of its lines (LineBatch), without telemetry depending on the batch's module. */
interface CountedLines {
  countByMeasurement(from: number, to: number, add: (measurement: string, lines: number) => void): void;
}

export class Stats {
  entries_read_total = 0;
  points_written_total = 0;
  readonly points_written_by_measurement: Record<string, number> = {};
  lines_skipped_total = 0;
  batches_written_total = 0;
  write_retries_total = 0;
  readonly write_errors_total: Partial<Record<WriteErrorType, number>> = {};
  readonly journal_errors_total: Partial<Record<JournalErrorType, number>> = {};
  /** Since when writes to InfluxDB have been failing without a success in between (for /health). */
  write_failing_since_ms: number | null = null;
  /** The outcome of the latest journal read that finished (for /health). */
  last_poll: { readonly atMs: number; readonly error: string | null } | null = null;
  /** Start of the latest journal read that finished: everything logged before it is acknowledged. */
  caught_up_to_ms: number | null = null;
  /** Time of the newest entry acknowledged by InfluxDB, for the lag figure. */
  last_acked_entry_ms: number | null = null;

  /** Time of each write request to InfluxDB (registered in the metrics registry by metrics.ts). */
  readonly write_duration_seconds = new Histogram({
    name: 'ollama_influx_write_duration_seconds',
    help: 'Duration of each write request to InfluxDB, whatever its outcome.',
    buckets: WRITE_BUCKETS,
    registers: [],
  });

  /** Lines [from, to) of the batch (a LineBatch) were acknowledged: counted in total and by measurement. */
  countWritten(batch: CountedLines, from: number, to: number): void {
    this.points_written_total += to - from;
    batch.countByMeasurement(from, to, this.addWritten);
  }

  private readonly addWritten = (measurement: string, lines: number): void => {
    this.points_written_by_measurement[measurement] = (this.points_written_by_measurement[measurement] ?? 0) + lines;
  };

  /**
   * How far behind the journal the shipper is: now minus the newest moment up to which everything is
   * in InfluxDB (the newest acknowledged entry, or the start of the latest read that finished — so an
   * idle Ollama does not look like a lagging shipper). Null before anything is known.
   */
  lagSeconds(nowMs: number): number | null {
    const upTo = Math.max(this.last_acked_entry_ms ?? -Infinity, this.caught_up_to_ms ?? -Infinity);
    return upTo === -Infinity ? null : Math.max(0, (nowMs - upTo) / 1000);
  }

  countWriteError(type: WriteErrorType): void {
    this.write_errors_total[type] = (this.write_errors_total[type] ?? 0) + 1;
  }

  countJournalError(type: JournalErrorType): void {
    this.journal_errors_total[type] = (this.journal_errors_total[type] ?? 0) + 1;
  }

  snapshot(nowMs: number): Record<string, unknown> {
    return {
      entries_read_total: this.entries_read_total,
      points_written_total: this.points_written_total,
      lines_skipped_total: this.lines_skipped_total,
      batches_written_total: this.batches_written_total,
      write_retries_total: this.write_retries_total,
      write_errors_total: { ...this.write_errors_total },
      journal_errors_total: { ...this.journal_errors_total },
      lag_seconds: this.lagSeconds(nowMs),
    };
  }
}
