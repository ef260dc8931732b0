// Ollama logs the same lines over and over: every model load prints the same llama.cpp and scheduler
// lines, and a slog line differs from its last repeat only in its `time=` attribute. The byte encoder
// asks the string parser only about lines that may be a known kind, and those repeat most: their
// results are kept, keyed by the text without the time. On the 300k-entry bench journal, the
// parser's share (its work, and V8 optimizing its many kinds) is about a quarter of the encoder's CPU.
//
// Safe because no kind reads slog's `time` (the point's time is the journal entry's): a test holds
// every line of the parser's equivalence corpus to the same result with another time, and through
// the cache. Results are frozen: a caller that changed one would change it for every later repeat.

import type { ParsedLine } from '../ollama/parse/index.js';

/** Distinct lines kept; past this the cache starts over (bounded whatever the logs hold). */
const MAX_ENTRIES = 512;
/** Longer lines (Ollama's server config, hostile lines) are parsed each time and not kept. */
const MAX_KEY_CHARS = 1024;
const TIME_PREFIX = 'time=';

/** The index where a slog line's bare RFC 3339 `time=` value ends (its space), or -1 for any other text. */
function afterTime(message: string): number {
  if (!message.startsWith(TIME_PREFIX)) return -1;
  const space = message.indexOf(' ', TIME_PREFIX.length);
  if (space <= TIME_PREFIX.length) return -1;
  for (let i = TIME_PREFIX.length; i < space; i++) {
    const c = message.charCodeAt(i);
    // Digits, T, Z, and : . + - : what Go's slog prints; anything else (a quote) is not cached.
    const timeChar = (c >= 48 && c <= 58) || c === 84 || c === 90 || c === 43 || c === 45 || c === 46;
    if (!timeChar) return -1;
  }
  return space;
}

export class ParseCache {
  /** Slog lines by their text after the time, other lines by their text: two maps, so they never collide. */
  private readonly slog = new Map<string, ParsedLine>();
  private readonly plain = new Map<string, ParsedLine>();

  constructor(private readonly parseMessage: (message: string) => ParsedLine) {}

  parse(message: string): ParsedLine {
    if (message.length > MAX_KEY_CHARS) return this.parseMessage(message);
    const time = afterTime(message);
    const results = time === -1 ? this.plain : this.slog;
    const key = time === -1 ? message : message.slice(time);
    const known = results.get(key);
    if (known !== undefined) return known;
    const parsed = Object.freeze(this.parseMessage(message));
    if (results.size >= MAX_ENTRIES) results.clear();
    results.set(key, parsed);
    return parsed;
  }
}
