// The identity of a point: everything that makes up its InfluxDB key is a pure function of where the
// entry sits in the journal, so re-sending an entry overwrites its points instead of adding rows, and
// two entries never share a key even when journald stamped them with the same microsecond (it stamps
// every line of one read burst alike) and their texts are identical.

import type { JournalEntry } from '../journal/entry.js';
import { Hash64 } from '../influx/points/hash64.js';

const hash = new Hash64();

/** Nanosecond slots inside one microsecond: the point time stays within the entry's microsecond. */
const NS_SLOTS = 1000;

/**
 * The entry's place in the journal as its cursor states it: `s=<seqnum ID>;i=<seqnum, hex>;…`.
 * The seqnum is unique within a seqnum ID and journald hands out consecutive ones within a burst.
 * A cursor without them (never seen; journalctl always prints both) falls back to the whole cursor,
 * which is still one entry's stable name.
 */
interface JournalPlace {
  readonly seqnumId: string;
  /** The seqnum as journald's lowercase hex, no leading zeros. */
  readonly seqnumHex: string;
}

export function journalPlace(cursor: string): JournalPlace {
  let seqnumId = '';
  let seqnumHex = '';
  for (const part of cursor.split(';')) {
    if (part.startsWith('s=')) seqnumId = part.slice(2);
    else if (part.startsWith('i=')) seqnumHex = part.slice(2);
  }
  if (seqnumId === '' || !/^[0-9a-f]{1,16}$/i.test(seqnumHex)) return { seqnumId: cursor, seqnumHex: '' };
  return { seqnumId, seqnumHex: seqnumHex.toLowerCase() };
}

/** seqnum mod 1000 over the hex digits (seqnums are 64-bit: more than a double holds exactly). */
function seqnumSlot(seqnumHex: string): number {
  let slot = 0;
  for (let i = 0; i < seqnumHex.length; i++) slot = (slot * 16 + parseInt(seqnumHex[i]!, 16)) % NS_SLOTS;
  return slot;
}

/** A slot for a cursor without a seqnum: from the hash of the whole cursor, still one entry's name. */
function cursorSlot(cursor: string): number {
  hash.reset();
  hash.text(cursor);
  return parseInt(hash.hex().slice(0, 8), 16) % NS_SLOTS;
}

/**
 * 16 hex digits of Hash64 over `<seqnum ID>:<seqnum>\n<realtime µs>\n<message>` as UTF-8 (the design
 * card's dedup tag). The place makes it unique per entry: identical lines in one burst get different
 * hashes, a replay of the same entry the same hash.
 */
export function msgHash(entry: JournalEntry, place: JournalPlace = journalPlace(entry.cursor)): string {
  hash.reset();
  hash.text(place.seqnumId);
  hash.byte(0x3a);
  hash.text(place.seqnumHex);
  hash.byte(0x0a);
  hash.text(entry.realtimeUs);
  hash.byte(0x0a);
  hash.text(entry.message);
  return hash.hex();
}

/**
 * Nanosecond timestamp: the entry's microsecond time plus seqnum mod 1000 as the nanoseconds. Entries
 * that share a microsecond come from one journald burst, whose seqnums are consecutive, so they keep
 * distinct times (and keys, also with MSG_HASH_MODE=field) as long as a burst holds fewer than 1000 of
 * them; the time stays within the entry's microsecond. Without a seqnum, the slot comes from the cursor's hash.
 */
export function pointTimeNs(entry: JournalEntry, place: JournalPlace = journalPlace(entry.cursor)): string {
  const slot = place.seqnumHex !== '' ? seqnumSlot(place.seqnumHex) : cursorSlot(place.seqnumId);
  return entry.realtimeUs + String(slot).padStart(3, '0');
}
