// The key=value pairs of a Go slog text-handler line.
// Keys and values are quoted (strconv.Quote) when they hold spaces, `=`, quotes or control
// characters; groups flatten into dotted keys (`memory.required.full`), which stay as written.

import { endOfQuoted, unquoteGoBody } from './go-quote.js';

const SPACE = 32;
const QUOTE = 34;
const EQUALS = 61;

/** A bare or quoted token that starts at `start`: its text and the index just past it. */
function readToken(text: string, start: number, stopAtEquals: boolean): { value: string; end: number } {
  if (text.charCodeAt(start) === QUOTE) {
    const end = endOfQuoted(text, start);
    if (end !== -1) return { value: unquoteGoBody(text.slice(start + 1, end - 1)), end };
    // An unterminated quote (a line cut short): the rest of the line, as written.
    return { value: text.slice(start + 1), end: text.length };
  }
  let end = start;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code === SPACE || (stopAtEquals && code === EQUALS)) break;
    end++;
  }
  return { value: text.slice(start, end), end };
}

/**
 * The attributes of `text` from index `start`, in order; a later duplicate key wins. Words without
 * `=` (the message of a `log`-package line, stray text) are skipped. Never throws.
 */
export function tokenizeAttrs(text: string, start = 0): Map<string, string> {
  const attrs = new Map<string, string>();
  let i = start;
  while (i < text.length) {
    while (i < text.length && text.charCodeAt(i) === SPACE) i++;
    if (i >= text.length) break;
    const key = readToken(text, i, true);
    i = key.end;
    if (text.charCodeAt(i) !== EQUALS) continue;
    i++;
    if (i >= text.length || text.charCodeAt(i) === SPACE) {
      attrs.set(key.value, '');
      continue;
    }
    const value = readToken(text, i, false);
    attrs.set(key.value, value.value);
    i = value.end;
  }
  return attrs;
}

/**
 * The value of `key=` in a slog line without tokenising the rest: used for `level` and `msg`,
 * which every record has at a fixed place near the start. Returns null when absent.
 */
export function readAttr(text: string, key: string): { value: string; end: number } | null {
  const needle = `${key}=`;
  let keyStart = 0;
  if (!text.startsWith(needle)) {
    const space = text.indexOf(` ${needle}`);
    if (space === -1) return null;
    keyStart = space + 1;
  }
  const valueStart = keyStart + needle.length;
  if (valueStart >= text.length || text.charCodeAt(valueStart) === SPACE) return { value: '', end: valueStart };
  return readToken(text, valueStart, false);
}
