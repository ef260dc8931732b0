// Go string literals as strconv.Quote writes them (slog quoted keys and values, gin's %#v path).

const utf8 = new TextDecoder('utf-8', { fatal: false });

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

const HEX = /^[0-9A-Fa-f]+$/;

/** The `width` hex digits at `start`, as a number, or -1 when they are not all there. */
function hexAt(body: string, start: number, width: number): number {
  const digits = body.slice(start, start + width);
  return digits.length === width && HEX.test(digits) ? parseInt(digits, 16) : -1;
}

/**
 * The index just past the closing quote of the Go string literal that opens at `start`
 * (which holds `"`), or -1 when it is not closed.
 */
export function endOfQuoted(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) return -1;
    // The quote is escaped when an odd number of backslashes precede it.
    let backslashes = 0;
    for (let j = quote - 1; j > start && text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/**
 * The value of the body of a Go double-quoted literal (without its quotes). `\xNN` and octal
 * escapes are bytes, decoded as UTF-8 together with their neighbours; unknown escapes are kept as
 * written, so this never throws.
 */
export function unquoteGoBody(body: string): string {
  if (body.indexOf('\\') === -1) return body;
  let out = '';
  let bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length > 0) {
      out += utf8.decode(Uint8Array.from(bytes));
      bytes = [];
    }
  };
  let i = 0;
  while (i < body.length) {
    const c = body.charAt(i);
    if (c !== '\\' || i + 1 >= body.length) {
      flushBytes();
      out += c;
      i++;
      continue;
    }
    const e = body.charAt(i + 1);
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      flushBytes();
      out += simple;
      i += 2;
    } else if (e === 'x' && hexAt(body, i + 2, 2) !== -1) {
      bytes.push(hexAt(body, i + 2, 2));
      i += 4;
    } else if ((e === 'u' || e === 'U') && hexAt(body, i + 2, e === 'u' ? 4 : 8) !== -1) {
      const width = e === 'u' ? 4 : 8;
      const code = hexAt(body, i + 2, width);
      flushBytes();
      out += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      i += 2 + width;
    } else if (/^[0-7]{3}$/.test(body.slice(i + 1, i + 4))) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8) & 0xff);
      i += 4;
    } else {
      flushBytes();
      out += c;
      i++;
    }
  }
  flushBytes();
  return out;
}

/** The value of `"…"` (Go-quoted), or the text itself when it is not quoted. */
export function unquoteGo(text: string): string {
  if (text.length >= 2 && text.charCodeAt(0) === 34 && text.charCodeAt(text.length - 1) === 34) {
    return unquoteGoBody(text.slice(1, -1));
  }
  return text;
}
