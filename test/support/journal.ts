// Builds real journal files for tests (see journal-export.mjs), with types and small helpers.

import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJournal as writeJournalExport } from './journal-export.mjs';

export interface FixtureEntry {
  /** Text, or raw bytes (to test non-UTF-8 messages). */
  readonly message: string | Buffer;
  /** Microseconds since the epoch. */
  readonly realtimeUs: bigint;
  /** _PID; null leaves the field out (journald's own lines about a unit have none of the unit's). */
  readonly pid?: number | null;
  /** Defaults to ollama.service. */
  readonly unit?: string;
  /** Further journal fields, or replacements of the defaults (see journal-export.mjs). */
  readonly fields?: Readonly<Record<string, string>>;
}

export function tempDir(prefix: string): string {
  const base = join(tmpdir(), 'ollama-influx-tests');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

/** Appends entries to DIR/FILE (created when missing) and resolves when journal-remote is done. */
export function writeJournal(dir: string, entries: Iterable<FixtureEntry>, file = 'system.journal'): Promise<string> {
  return writeJournalExport(dir, entries, file) as Promise<string>;
}

/** Entries one millisecond apart starting at startUs, one per message. */
export function entriesFrom(messages: Iterable<string | Buffer>, startUs: bigint, stepUs = 1000n): FixtureEntry[] {
  const out: FixtureEntry[] = [];
  let t = startUs;
  for (const message of messages) {
    out.push({ message, realtimeUs: t });
    t += stepUs;
  }
  return out;
}
