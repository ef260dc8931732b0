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

/** Where an entry sits in the journal, as its cursor's `s=` and `i=` parts state it. */
export interface JournalPosition {
  /** The `s=` part of its cursor (the seqnum's journal); '' when the cursor has none. */
  readonly seqnumId: string;
  /** The `i=` part: journald's sequence number (a double: exact below 2^53, far beyond any real journal). */
  readonly seqnum: number;
}

/** What observers of recognised lines (metrics, lifecycle tracker) learn of the entry a line came from. */
export interface ObservedEntry extends JournalPosition {
  readonly message: string;
  /** `__REALTIME_TIMESTAMP` in ms since the epoch (fractions keep the µs). */
  readonly timeMs: number;
}

/** The seqnum ID and seqnum of a journald cursor (`s=…;i=…;…`), or null when it has none. */
export function cursorPosition(cursor: string): { seqnumId: string; seqnum: number } | null {
  const id = partOf(cursor, 's=');
  const seq = partOf(cursor, 'i=');
  if (id === null || seq === null || !/^[0-9a-f]{1,16}$/.test(seq) || !/^[0-9a-f]+$/.test(id)) return null;
  return { seqnumId: id, seqnum: parseInt(seq, 16) };
}

/** The value of `key` (`s=`, `i=`) among a cursor's `;`-separated parts. */
function partOf(cursor: string, key: string): string | null {
  const at = cursor.startsWith(key) ? 0 : cursor.indexOf(`;${key}`) + 1;
  if (at === 0 && !cursor.startsWith(key)) return null;
  const end = cursor.indexOf(';', at);
  return cursor.slice(at + key.length, end === -1 ? cursor.length : end);
}
