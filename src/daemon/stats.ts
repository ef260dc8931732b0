// Counters, one per outcome, named the Prometheus way; the per-minute summary logs them.

import type { WriteErrorType } from '../influx/retry.js';

export type JournalErrorType = 'cursor_lost' | 'permission_denied' | 'journalctl_failed' | 'journalctl_missing' | 'decode_failed';

export class Stats {
  entries_read_total = 0;
  points_written_total = 0;
  lines_skipped_total = 0;
  batches_written_total = 0;
  write_retries_total = 0;
  readonly write_errors_total: Partial<Record<WriteErrorType, number>> = {};
  readonly journal_errors_total: Partial<Record<JournalErrorType, number>> = {};
  /** Time of the newest entry acknowledged by InfluxDB, for the lag figure. */
  last_acked_entry_ms: number | null = null;

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
      lag_seconds: this.last_acked_entry_ms === null ? null : Math.max(0, (nowMs - this.last_acked_entry_ms) / 1000),
    };
  }
}
