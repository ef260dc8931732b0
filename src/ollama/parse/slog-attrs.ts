// The key=value pairs of a Go slog text-handler line.
// Keys and values are quoted (strconv.Quote) when they hold spaces, `=`, quotes or control
// characters; groups flatten into dotted keys (`memory.required.full`), which stay as written.
// The parser runs on every event line, so attributes are kept as index ranges into the line and
// turned into strings only when a kind asks for one: no Map, no key strings, no throwaway values.

import { endOfQuoted, unquoteGoBody } from './go-quote.js';

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const EQUALS = 61;

/**
 * How a token is written, which says how its range turns into its value: BARE as is; QUOTED a closed
 * Go literal (the range holds the quotes, the value is the unquoted body); OPEN a quote never closed
 * (a line cut short: the value is the rest of the line after the quote, as written).
 */
export const BARE = 0;
export const QUOTED = 1;
export const OPEN = 2;
export type Shape = typeof BARE | typeof QUOTED | typeof OPEN;

/** One token's range and shape; callers pass one in and it is overwritten (no object per token). */
export interface TokenRange {
  start: number;
  end: number;
  shape: Shape;
}

/**
 * Reads the value token that starts at `start` into `out`: a quoted one, or a bare one up to the next
 * space. `end` is just past it.
 */
function scanToken(text: string, start: number, out: TokenRange): void {
  out.start = start;
  if (text.charCodeAt(start) === QUOTE) {
    const end = endOfQuoted(text, start);
    out.shape = end === -1 ? OPEN : QUOTED;
    out.end = end === -1 ? text.length : end;
    return;
  }
  out.shape = BARE;
  const space = text.indexOf(' ', start);
  out.end = space === -1 ? text.length : space;
}

/** The value a token stands for. */
export function tokenText(text: string, start: number, end: number, shape: number): string {
  if (shape === BARE) return text.slice(start, end);
  if (shape === OPEN) return text.slice(start + 1);
  return unquoteGoBody(text.slice(start + 1, end - 1));
}

/** Does the token read as exactly `expected`? Compares in place unless escapes must be undone first. */
function tokenIs(text: string, start: number, end: number, shape: number, expected: string): boolean {
  let from = start;
  let to = end;
  if (shape !== BARE) {
    from = start + 1;
    if (shape === QUOTED) {
      to = end - 1;
      if (hasBackslash(text, from, to)) return tokenText(text, start, end, shape) === expected;
    }
  }
  return sameAt(text, from, to, expected);
}

/**
 * Is text[start, end) exactly `expected`? Length and last character first, which set most keys
 * apart without a call (grouped keys share their beginnings: `memory.required.full`, `memory.required.kv`).
 */
function sameAt(text: string, start: number, end: number, expected: string): boolean {
  const last = expected.length - 1;
  if (end - start !== expected.length || (last >= 0 && text.charCodeAt(start + last) !== expected.charCodeAt(last))) return false;
  return text.startsWith(expected, start);
}

/** Room for 256 attributes stays allocated between lines (real lines have under 30). */
const KEPT_RANGES = 6 * 256;

/**
 * The attributes of one line from an index on, as ranges into it. One instance is reused line after
 * line (parsing never re-enters), so its arrays stop growing once they have seen the longest line.
 */
export class SlogAttrs {
  text = '';
  count = 0;
  /** Per attribute, six numbers: key start, end, shape; value start, end, shape (value end -1: empty). */
  private ranges: number[] = [];
  private readonly token: TokenRange = { start: 0, end: 0, shape: BARE };

  /**
   * Tokenises `text` from `start`; a later duplicate key wins. Words without `=` (the message of a
   * `log`-package line, stray text) are skipped. Every step moves past at least one character.
   */
  read(text: string, start: number): this {
    this.text = text;
    this.count = 0;
    // A freak line with thousands of attributes should not keep its ranges alive for good.
    if (this.ranges.length > KEPT_RANGES) this.ranges = [];
    const token = this.token;
    // The next space and `=` at or after i (-1: none left, -2: not looked for yet). Kept between
    // keys so indexOf never searches the same stretch twice: linear even on hostile lines.
    let space = -2;
    let equals = -2;
    let i = start;
    while (i < text.length) {
      while (i < text.length && text.charCodeAt(i) === SPACE) i++;
      if (i >= text.length) break;
      if (text.charCodeAt(i) === QUOTE) {
        scanToken(text, i, token);
      } else {
        // A bare key runs to the next space or `=`.
        if (space !== -1 && space < i) space = text.indexOf(' ', i);
        if (equals !== -1 && equals < i) equals = text.indexOf('=', i);
        token.start = i;
        token.shape = BARE;
        token.end = space === -1 ? text.length : space;
        if (equals !== -1 && equals < token.end) token.end = equals;
      }
      i = token.end;
      if (text.charCodeAt(i) !== EQUALS) continue;
      const keyStart = token.start;
      const keyShape = token.shape;
      i++;
      if (i >= text.length || text.charCodeAt(i) === SPACE) {
        this.push(keyStart, i - 1, keyShape, i, -1, BARE);
        continue;
      }
      scanToken(text, i, token);
      this.push(keyStart, i - 1, keyShape, token.start, token.end, token.shape);
      i = token.end;
    }
    return this;
  }

  private push(keyStart: number, keyEnd: number, keyShape: Shape, valueStart: number, valueEnd: number, valueShape: Shape): void {
    const at = this.count * 6;
    const ranges = this.ranges;
    ranges[at] = keyStart;
    ranges[at + 1] = keyEnd;
    ranges[at + 2] = keyShape;
    ranges[at + 3] = valueStart;
    ranges[at + 4] = valueEnd;
    ranges[at + 5] = valueShape;
    this.count++;
  }

  /** The value of `key` (the last one written), or undefined when absent. */
  get(key: string): string | undefined {
    const ranges = this.ranges;
    const text = this.text;
    for (let n = this.count - 1; n >= 0; n--) {
      const at = n * 6;
      if (!tokenIs(text, ranges[at]!, ranges[at + 1]!, ranges[at + 2]!, key)) continue;
      const valueEnd = ranges[at + 4]!;
      return valueEnd === -1 ? '' : tokenText(text, ranges[at + 3]!, valueEnd, ranges[at + 5]!);
    }
    return undefined;
  }

  /** All of them as a Map, in the order first written (what `LineContext.attrs` promises). */
  toMap(): Map<string, string> {
    const attrs = new Map<string, string>();
    const ranges = this.ranges;
    for (let n = 0; n < this.count; n++) {
      const at = n * 6;
      const valueEnd = ranges[at + 4]!;
      const value = valueEnd === -1 ? '' : tokenText(this.text, ranges[at + 3]!, valueEnd, ranges[at + 5]!);
      attrs.set(tokenText(this.text, ranges[at]!, ranges[at + 1]!, ranges[at + 2]!), value);
    }
    return attrs;
  }
}

/** The attributes of `text` from index `start`, as a Map (see SlogAttrs.read). Never throws. */
export function tokenizeAttrs(text: string, start = 0): Map<string, string> {
  return new SlogAttrs().read(text, start).toMap();
}

/**
 * Finds the value of `key=` in a slog line without tokenising the rest (`level` and `msg`, which
 * every record has near the start): false when absent. `keyEquals` is `key=`, `spaceKeyEquals`
 * ` key=` (constants, so nothing is built per line). An empty value is an empty Bare range.
 */
export function findAttr(text: string, keyEquals: string, spaceKeyEquals: string, out: TokenRange): boolean {
  let valueStart = keyEquals.length;
  if (!text.startsWith(keyEquals)) {
    const space = text.indexOf(spaceKeyEquals);
    if (space === -1) return false;
    valueStart = space + spaceKeyEquals.length;
  }
  if (valueStart >= text.length || text.charCodeAt(valueStart) === SPACE) {
    out.start = valueStart;
    out.end = valueStart;
    out.shape = BARE;
    return true;
  }
  scanToken(text, valueStart, out);
  return true;
}

function hasBackslash(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === BACKSLASH) return true;
  return false;
}

/** Does the token's value hold a backslash escape (so only its unquoted text can be compared)? */
export function hasEscape(text: string, token: TokenRange): boolean {
  if (token.shape !== QUOTED) return false;
  // Backwards from the closing quote: the line's start is nearer than its end for `msg`.
  return text.lastIndexOf('\\', token.end - 2) > token.start;
}
