// One journal entry, reduced to what the pipeline uses.

export interface JournalEntry {
  /** journald's opaque cursor (`__CURSOR`): where to resume after this entry. */
  readonly cursor: string;
  /** `__REALTIME_TIMESTAMP`: microseconds since the epoch, UTC, as journald's decimal string. */
  readonly realtimeUs: string;
  /** MESSAGE decoded as UTF-8 (invalid bytes become U+FFFD, never dropped). */
  readonly message: string;
  /** `_PID` as journald wrote it, or '' when absent. */
  readonly pid: string;
}

/** The fields journalctl must print (`--output-fields=`); __CURSOR and __REALTIME_TIMESTAMP always come. */
export const JOURNAL_OUTPUT_FIELDS = ['MESSAGE', '_PID'] as const;

export function entryTimeMs(entry: JournalEntry): number {
  return Number(entry.realtimeUs) / 1000;
}

/** What observers of recognised lines (metrics, lifecycle tracker) learn of the entry a line came from. */
export interface ObservedEntry {
  readonly cursor: string;
  readonly message: string;
  /** `__REALTIME_TIMESTAMP` in ms since the epoch (fractions keep the µs). */
  readonly timeMs: number;
}
