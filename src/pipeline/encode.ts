// Turns one journal entry into its line-protocol lines: always the raw `ollama_logs` line, plus an
// `ollama_requests` or `ollama_events` line when the parser recognises the message.

import type { MsgHashMode } from '../config/schema.js';
import { cursorPosition, entryTimeMs, type JournalEntry, type JournalPosition, type ObservedEntry } from '../journal/entry.js';
import type { TimelineRequest } from '../ollama/lifecycle/types.js';
import { parseMessage, type ParsedLine } from '../ollama/parse/index.js';
import { journalPlace, msgHash, pointTimeNs } from './point-key.js';
import { hostTagValue, logLine } from './logs.js';
import { eventLine, requestLine } from './structured.js';

export interface EncoderSettings {
  readonly host: string;
  readonly msgHashMode: MsgHashMode;
  /** The model name for a sha256 (from the inventory), or null when unknown. */
  readonly modelFor: (sha256: string) => string | null;
  /** Sees every recognised line in journal order (lifecycle tracker, metrics). Absent: requests carry no model tag. */
  readonly observer?: LineObserver;
}

/**
 * For a request, both methods return the model that served it, the `model` tag of `ollama_requests`;
 * '' (no tag) when no single loaded model can have.
 */
export interface LineObserver {
  line(parsed: ParsedLine, entry: ObservedEntry): string;
  /** A request the byte-level gin path read (gin-request.ts): the record line() would make of it. */
  request(request: TimelineRequest, position: JournalPosition): string;
}

type EntryEncoder = (entry: JournalEntry, out: string[]) => void;

export function createEntryEncoder(settings: EncoderSettings): EntryEncoder {
  const host = hostTagValue(settings.host);
  const { msgHashMode, modelFor, observer } = settings;
  return (entry, out) => {
    const place = journalPlace(entry.cursor);
    const hash = msgHash(entry, place);
    const timeNs = pointTimeNs(entry, place);
    out.push(logLine(entry, host, hash, msgHashMode, timeNs));
    const parsed = parseMessage(entry.message);
    if (parsed.kind === 'unknown') return;
    const position = observer === undefined ? null : cursorPosition(entry.cursor);
    const served =
      observer === undefined
        ? ''
        : observer.line(parsed, { seqnumId: position?.seqnumId ?? '', seqnum: position?.seqnum ?? 0, message: entry.message, timeMs: entryTimeMs(entry) });
    if (parsed.kind === 'request') {
      const line = requestLine(parsed, host, timeNs, served);
      if (line !== null) out.push(line);
      return;
    }
    const sha256 = 'sha256' in parsed ? parsed.sha256 : null;
    out.push(eventLine(parsed, host, entry.message, sha256 === null ? null : modelFor(sha256), timeNs));
  };
}
