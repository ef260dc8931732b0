// Decodes one line of `journalctl -o json` into a JournalEntry.

import type { JournalEntry } from './entry.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });
/** How much of a bad line an error message quotes. */
const QUOTED_CHARS = 120;

export class JournalDecodeError extends Error {
  override readonly name = 'JournalDecodeError';
}

/**
 * journalctl prints MESSAGE as a string, as an array of byte values when it is not valid UTF-8
 * (or holds control characters), null when it was too large and `--all` was not given, and as an
 * array of those values when the entry carries the field more than once (any client of the native
 * protocol can send that): then every value is kept, one per line.
 */
export function decodeMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'number')) return utf8.decode(Uint8Array.from(value as number[]));
    return value.map(decodeMessage).join('\n');
  }
  if (value === null || value === undefined) return '';
  return String(value);
}

export function decodeJournalLine(line: string): JournalEntry {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new JournalDecodeError(`journalctl printed a line that is not JSON: ${line.slice(0, QUOTED_CHARS)}`);
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new JournalDecodeError(`journalctl printed a line that is not a journal entry: ${line.slice(0, QUOTED_CHARS)}`);
  }
  const cursor = record['__CURSOR'];
  const realtime = record['__REALTIME_TIMESTAMP'];
  if (typeof cursor !== 'string' || typeof realtime !== 'string' || !/^\d+$/.test(realtime)) {
    throw new JournalDecodeError(`journal entry without __CURSOR or __REALTIME_TIMESTAMP: ${line.slice(0, QUOTED_CHARS)}`);
  }
  const pid = record['_PID'];
  return {
    cursor,
    realtimeUs: realtime,
    message: decodeMessage(record['MESSAGE']),
    pid: typeof pid === 'string' ? pid : '',
  };
}
