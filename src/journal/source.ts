// Runs journalctl for the Ollama unit and streams its entries, from a cursor or a start time.
// Memory stays flat: entries are handed over chunk by chunk, and while the consumer is busy the
// pipe fills and journalctl simply waits.

import { spawn } from 'node:child_process';
import type { Config } from '../config/schema.js';
import { OllamaInfluxError } from '../errors.js';
import { decodeJournalLine } from './decode.js';
import { JOURNAL_OUTPUT_FIELDS, type JournalEntry } from './entry.js';
import { forEachLine, type OversizedLineHandler, wholeLineChunks } from './lines.js';

/** journalctl's complaint is its first line; keep a little more for the log, never an unbounded stream. */
const MAX_STDERR_CHARS = 4000;

export interface JournalSourceSettings {
  readonly unit: string;
  readonly journalDir: string | null;
  /** argv prefix that runs journalctl: ['journalctl'], or a sudo wrapper. */
  readonly command: readonly string[];
}

/** The journal the config names (OLLAMA_UNIT, JOURNAL_DIR, JOURNALCTL_COMMAND): what the daemon and `check` read. */
export function configuredJournal(config: Pick<Config, 'ollamaUnit' | 'journalDir' | 'journalctlCommand'>): JournalSourceSettings {
  return { unit: config.ollamaUnit, journalDir: config.journalDir, command: config.journalctlCommand };
}

/**
 * Where to start: right after a saved cursor, at a time (null: the oldest entry), or — newest first —
 * at a time going back (the latest entry of a kind before a moment, without reading forward to it).
 */
export type ReadPosition = { readonly cursor: string } | { readonly sinceMs: number | null } | { readonly backFromMs: number };

export function journalctlArgs(settings: JournalSourceSettings, position: ReadPosition): string[] {
  const args = [
    ...settings.command.slice(1),
    '-u',
    settings.unit,
    '-o',
    'json',
    '--all',
    '--no-pager',
    `--output-fields=${JOURNAL_OUTPUT_FIELDS.join(',')}`,
  ];
  if (settings.journalDir !== null) args.push('-D', settings.journalDir);
  // --cursor, not --after-cursor: the saved entry comes back first, which proves it still exists.
  if ('cursor' in position) args.push(`--cursor=${position.cursor}`);
  else if ('backFromMs' in position) args.push(`--until=@${Math.ceil(position.backFromMs / 1000)}`, '--reverse');
  else if (position.sinceMs !== null) args.push(`--since=@${Math.floor(position.sinceMs / 1000)}`);
  return args;
}

interface ReadHooks {
  readonly signal?: AbortSignal;
  /** The saved cursor is gone (journal vacuumed or rotated away): reading resumes at the oldest entry. */
  readonly onCursorLost?: (cursor: string, resumedAt: JournalEntry | null) => void;
  /** A line too long to hold (see lines.ts) was dropped; it is called before the next chunk is yielded. */
  readonly onOversizedLine?: OversizedLineHandler;
}

const PERMISSION_HINTS = /insufficient permissions|not seeing messages from other users|Permission denied/i;

/**
 * journalctl's output as chunks of whole lines (each ends in `\n`), straight from the pipe: the
 * byte-level pipeline reads fields out of them without making strings. The saved cursor's own entry,
 * which `--cursor=` prints first, is left out; when it is not there, the cursor was lost.
 */
export async function* readJournalChunks(
  settings: JournalSourceSettings,
  position: ReadPosition,
  hooks: ReadHooks = {},
): AsyncGenerator<Buffer> {
  const [command, ...args] = [settings.command[0]!, ...journalctlArgs(settings, position)];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: hooks.signal });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < MAX_STDERR_CHARS) stderr += text;
  });
  const exited = new Promise<{ code: number | null; error: Error | null }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code, error: null }));
  });

  const savedCursor = 'cursor' in position ? position.cursor : null;
  let first = true;
  let sawOutput = false;
  const onOversized = (ends: string, bytes: number): void => {
    const wasFirst = first;
    first = false;
    // The saved entry itself (a skipped one was the last committed): it comes back first, as always.
    if (wasFirst && savedCursor !== null && rawEntryPlace(ends).cursor === savedCursor) return;
    if (wasFirst && savedCursor !== null) hooks.onCursorLost?.(savedCursor, null);
    hooks.onOversizedLine?.(ends, bytes);
  };
  try {
    for await (const whole of wholeLineChunks(child.stdout as AsyncIterable<Buffer>, onOversized)) {
      sawOutput = true;
      let chunk = whole;
      if (first) {
        first = false;
        chunk = withoutSavedEntry(chunk, savedCursor, hooks);
      }
      if (chunk.length > 0) yield chunk;
    }
  } finally {
    if (child.exitCode === null) child.kill();
  }

  const { code, error } = await exited;
  if (error !== null) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OllamaInfluxError('OI_ERR_JOURNALCTL_MISSING', `${command} not found: is systemd installed?`);
    }
    if (error.name === 'AbortError') return;
    throw new OllamaInfluxError('OI_ERR_JOURNAL_READ', `${command} failed to start: ${error.message}`);
  }
  if (!sawOutput && PERMISSION_HINTS.test(stderr)) {
    throw new OllamaInfluxError(
      'OI_ERR_JOURNAL_PERMISSION',
      `journalctl cannot read the system journal as this user: ${firstLine(stderr)}`,
    );
  }
  if (code !== 0 && code !== null) {
    throw new OllamaInfluxError('OI_ERR_JOURNAL_READ', `${[command, ...args].join(' ')} exited ${code}: ${firstLine(stderr)}`);
  }
}

/** The first chunk without the saved cursor's entry; reports a lost cursor when another entry comes first. */
function withoutSavedEntry(chunk: Buffer, savedCursor: string | null, hooks: ReadHooks): Buffer {
  if (savedCursor === null) return chunk;
  const end = chunk.indexOf(10);
  let entry: JournalEntry | null = null;
  try {
    entry = decodeJournalLine(chunk.toString('utf8', 0, end));
  } catch {
    // Not an entry: whatever it is, it is not the saved one; the consumer deals with the line.
  }
  const cursor = entry?.cursor ?? rawEntryPlace(chunk.toString('latin1', 0, end)).cursor;
  if (cursor === savedCursor) return chunk.subarray(end + 1);
  hooks.onCursorLost?.(savedCursor, entry);
  return chunk;
}

/** Entries decoded into strings: for the readers that need few of them (check, timeline from the journal). */
export async function* readJournal(
  settings: JournalSourceSettings,
  position: ReadPosition,
  hooks: ReadHooks = {},
): AsyncGenerator<JournalEntry[]> {
  for await (const chunk of readJournalChunks(settings, position, hooks)) {
    const batch: JournalEntry[] = [];
    forEachLine(chunk, (start, end) => batch.push(decodeJournalLine(chunk.toString('utf8', start, end))));
    if (batch.length > 0) yield batch;
  }
}

/**
 * Cursor and time of a journalctl JSON line that could not be decoded, read from its raw text. Only
 * journalctl's own keys match: inside a JSON string every quote is escaped, so a message cannot fake
 * `"__CURSOR":"`.
 */
export function rawEntryPlace(text: string): { cursor: string | null; realtimeUs: string | null } {
  return {
    cursor: /"__CURSOR"\s*:\s*"([^"\\]+)"/.exec(text)?.[1] ?? null,
    realtimeUs: /"__REALTIME_TIMESTAMP"\s*:\s*"(\d+)"/.exec(text)?.[1] ?? null,
  };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
