// `ollama_logs`: every journal line, raw, as the original translator wrote it.

import type { MsgHashMode } from '../config/schema.js';
import type { JournalEntry } from '../journal/entry.js';
import { escapeTag, quoteField } from '../influx/points/escape.js';
import { LOGS_MEASUREMENT } from '../influx/measurements.js';

/** Tags host, source=systemd and (by default) msg_hash; fields message and pid (a string, as before). */
export function logLine(entry: JournalEntry, hostTag: string, hash: string, mode: MsgHashMode, timeNs: string): string {
  const fields = `message=${quoteField(entry.message)},pid=${quoteField(entry.pid)}`;
  if (mode === 'tag') {
    return `${LOGS_MEASUREMENT},host=${hostTag},msg_hash=${hash},source=systemd ${fields} ${timeNs}`;
  }
  return `${LOGS_MEASUREMENT},host=${hostTag},source=systemd ${fields},msg_hash="${hash}" ${timeNs}`;
}

/** The host tag is escaped once per process, not once per line. */
export function hostTagValue(host: string): string {
  return escapeTag(host);
}
