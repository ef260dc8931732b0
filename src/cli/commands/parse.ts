// `ollama-influx parse [--json | --journal]`: what the parser makes of each line on stdin (or, with
// --journal, of each entry of this host's journal, read as the daemon reads it), one JSON object per
// line. A way to check the parser against a real journal; it needs no config and touches nothing.

import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { decodeJournalLine } from '../../journal/decode.js';
import type { JournalEntry } from '../../journal/entry.js';
import { type JournalSourceSettings, readJournal } from '../../journal/source.js';
import { parseMessage } from '../../ollama/parse/index.js';
import type { OpenRuntime } from '../../runtime.js';
import { type JournalOptions, addJournalOptions, journalSource, rejectJournalOnlyOptions } from '../journal-options.js';

interface ParseOptions extends JournalOptions {
  readonly json?: boolean;
}

export function registerParseCommand(program: Command, open: OpenRuntime): void {
  const command = program
    .command('parse')
    .description('Parse Ollama log lines from stdin and print one JSON object per line (--json: journalctl -o json lines; --journal: this host\'s journal)')
    .option('--json', 'each input line is a `journalctl -o json` entry; adds time, cursor and pid');
  addJournalOptions(command).action(async (options: ParseOptions) => {
    try {
      if (options.journal === true) {
        if (options.json === true) command.error('error: --json is for journalctl output on stdin; --journal reads the journal itself');
        const { config } = open({ logTo: 'stderr', config: 'none' });
        await parseJournal(journalSource(command, config, options), process.stdout);
        return;
      }
      rejectJournalOnlyOptions(command, options);
      await parseStream(process.stdin, process.stdout, options.json === true);
    } catch (err) {
      // A closed pipe (`… | head`) is the reader saying it has seen enough.
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    }
  });
}

/**
 * Reads `input` line by line as it arrives and writes the parse of each line to `output`, one
 * chunk's worth at a time, waiting whenever `output` asks to (memory stays flat on any input).
 */
async function parseStream(input: Readable, output: Writable, journalJson: boolean): Promise<void> {
  let outputError: unknown = null;
  output.on('error', (err) => {
    outputError = err;
  });
  const convert = journalJson ? fromJournalJson : fromMessage;
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = async (text: string): Promise<void> => {
    if (outputError !== null) throw outputError;
    // events.once rejects when the stream errors while we wait.
    if (text !== '' && !output.write(text)) await once(output, 'drain');
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    // Only the new text is searched, so a very long line costs linear time.
    const last = text.lastIndexOf('\n');
    if (last === -1) {
      pending += text;
      continue;
    }
    await emit(convertLines(pending + text.slice(0, last), convert));
    pending = text.slice(last + 1);
  }
  pending += decoder.end();
  if (pending !== '') await emit(convertLines(pending, convert));
}

function convertLines(text: string, convert: (line: string) => unknown): string {
  let out = '';
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    out += `${JSON.stringify(convert(line))}\n`;
  }
  return out;
}

function fromMessage(line: string): unknown {
  return parseMessage(line);
}

/** Every entry of the unit's journal, as `--json` prints them, waiting whenever `output` asks to. */
async function parseJournal(source: JournalSourceSettings, output: Writable): Promise<void> {
  let outputError: unknown = null;
  output.on('error', (err) => {
    outputError = err;
  });
  for await (const entries of readJournal(source, { sinceMs: null })) {
    if (outputError !== null) throw outputError;
    let text = '';
    for (const entry of entries) text += `${JSON.stringify(describeEntry(entry))}\n`;
    if (!output.write(text)) await once(output, 'drain');
  }
}

function describeEntry(entry: JournalEntry): unknown {
  return {
    ...parseMessage(entry.message),
    time: rfc3339FromMicros(entry.realtimeUs),
    cursor: entry.cursor,
    pid: entry.pid === '' ? null : entry.pid,
  };
}

function fromJournalJson(line: string): unknown {
  try {
    return describeEntry(decodeJournalLine(line));
  } catch (err) {
    return { kind: 'invalid', error: err instanceof Error ? err.message : String(err) };
  }
}

/** `__REALTIME_TIMESTAMP` (µs since the epoch) as RFC 3339 UTC, keeping the microseconds. */
function rfc3339FromMicros(micros: string): string {
  const us = BigInt(micros);
  const seconds = us / 1_000_000n;
  const fraction = (us % 1_000_000n).toString().padStart(6, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}
