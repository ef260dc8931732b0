// The identity of a point: everything that makes up its InfluxDB key is a pure function of the
// journal entry, so re-sending an entry overwrites its points instead of adding rows.

import * as crypto from 'node:crypto';
import type { JournalEntry } from '../../journal/entry.js';

/** crypto.hash (Node ≥ 20.12) is the one-shot form: no Hash object per line, and this runs on every line. */
const sha1Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha1', text, 'hex')
    : (text) => crypto.createHash('sha1').update(text).digest('hex');

/** 16 hex characters of SHA-1 over the entry's timestamp and message (the original tool's dedup tag). */
export function msgHash(entry: JournalEntry): string {
  return sha1Hex(`${entry.realtimeUs}\n${entry.message}`).slice(0, 16);
}

/**
 * Nanosecond timestamp: the entry's microsecond time plus 0–999 ns taken from msg_hash. Two lines
 * logged in the same microsecond then keep distinct keys even when msg_hash is a field, and the
 * time stays within a microsecond of the truth.
 */
export function pointTimeNs(entry: JournalEntry, hash: string): string {
  const offset = parseInt(hash.slice(0, 3), 16) % 1000;
  return entry.realtimeUs + String(offset).padStart(3, '0');
}
