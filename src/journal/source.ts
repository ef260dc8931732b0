// Runs journalctl for the Ollama unit and streams its entries, from a cursor or a start time.
// Memory stays flat: entries are handed over chunk by chunk, and while the consumer is busy the
// pipe fills and journalctl simply waits.

import { spawn } from 'node:child_process';
import { OllamaInfluxError } from '../errors.js';
import { decodeJournalLine } from './decode.js';
import { JOURNAL_OUTPUT_FIELDS, type JournalEntry } from './entry.js';
import { splitLines } from './lines.js';

export interface JournalSourceSettings {
  readonly unit: string;
  readonly journalDir: string | null;
  /** argv prefix that runs journalctl: ['journalctl'], or a sudo wrapper. */
  readonly command: readonly string[];
}

/** Where to start: right after a saved cursor, or at a time (null: the oldest entry). */
export type ReadPosition = { readonly cursor: string } | { readonly sinceMs: number | null };

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
  else if (position.sinceMs !== null) args.push(`--since=@${Math.floor(position.sinceMs / 1000)}`);
  return args;
}

export interface ReadHooks {
  readonly signal?: AbortSignal;
  /** The saved cursor is gone (journal vacuumed or rotated away): reading resumes at the oldest entry. */
  readonly onCursorLost?: (cursor: string, resumedAt: JournalEntry) => void;
}

const PERMISSION_HINTS = /insufficient permissions|not seeing messages from other users|Permission denied/i;

export async function* readJournal(
  settings: JournalSourceSettings,
  position: ReadPosition,
  hooks: ReadHooks = {},
): AsyncGenerator<JournalEntry[]> {
  const [command, ...args] = [settings.command[0]!, ...journalctlArgs(settings, position)];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: hooks.signal });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 4000) stderr += text;
  });
  const exited = new Promise<{ code: number | null; error: Error | null }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code, error: null }));
  });

  const savedCursor = 'cursor' in position ? position.cursor : null;
  let first = true;
  let entries = 0;
  try {
    for await (const lines of splitLines(child.stdout)) {
      const batch: JournalEntry[] = [];
      for (const line of lines) {
        const entry = decodeJournalLine(line);
        if (first) {
          first = false;
          if (savedCursor !== null) {
            if (entry.cursor === savedCursor) continue;
            hooks.onCursorLost?.(savedCursor, entry);
          }
        }
        batch.push(entry);
      }
      entries += batch.length;
      if (batch.length > 0) yield batch;
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
  if (entries === 0 && PERMISSION_HINTS.test(stderr)) {
    throw new OllamaInfluxError(
      'OI_ERR_JOURNAL_PERMISSION',
      `journalctl cannot read the system journal as this user: ${firstLine(stderr)}`,
    );
  }
  if (code !== 0 && code !== null) {
    throw new OllamaInfluxError('OI_ERR_JOURNAL_READ', `${[command, ...args].join(' ')} exited ${code}: ${firstLine(stderr)}`);
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
