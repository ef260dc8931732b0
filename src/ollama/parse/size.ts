// Byte sizes as Ollama prints them: format.HumanBytes2 (`12.5 GiB`, `465.5 MiB`, `792 B`),
// format.HumanBytes (`4.7 GB`, decimal) and lists of them (`[11.1 GiB 5.0 GiB]`).

const UNIT_BYTES: Readonly<Record<string, number>> = {
  B: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  PiB: 2 ** 50,
  KB: 1e3,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
};

const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([A-Za-z]*)$/;
const UNITS = Object.entries(UNIT_BYTES);
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, n) => 10 ** n);
const NOT_SIMPLE = -1;

/**
 * text[from, to) as Ollama writes nearly every size, `11.8 GiB`: digits, an optional fraction, spaces,
 * a unit. NOT_SIMPLE for anything else, which SIZE then reads. With at most 15 digits the number is
 * an exact integer over an exact power of ten, and IEEE division rounds that exactly as Number() does.
 */
function simpleSize(text: string, from: number, to: number): number | null {
  let i = from;
  let digits = 0;
  let fraction = -1;
  let mantissa = 0;
  for (; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (fraction !== -1) fraction++;
    } else if (code === 46 /* . */ && fraction === -1 && digits > 0) {
      fraction = 0;
    } else {
      break;
    }
  }
  if (digits === 0 || digits > 15 || fraction === 0) return NOT_SIMPLE;
  while (i < to && text.charCodeAt(i) === 32) i++;
  const unitStart = i;
  for (; i < to; i++) {
    const code = text.charCodeAt(i) | 0x20;
    if (code < 97 || code > 122) return NOT_SIMPLE;
  }
  const value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction]! : mantissa;
  if (unitStart === to) return Math.round(value);
  for (const [unit, scale] of UNITS) {
    if (unit.length === to - unitStart && text.startsWith(unit, unitStart)) return Math.round(value * scale);
  }
  // Not a unit (SIZE's path says what then, down to a name UNIT_BYTES inherits).
  return NOT_SIMPLE;
}

/**
 * Bytes (rounded to a whole number) for `12.5 GiB`, `792 B`, `4.7 GB`; a bare number is taken as
 * bytes (Ollama prints some `available=` values that way). Null when the text is not a size.
 */
export function parseSize(text: string): number | null {
  const simple = simpleSize(text, 0, text.length);
  if (simple !== NOT_SIMPLE) return simple;
  const match = SIZE.exec(text.trim());
  if (match === null) return null;
  const unit = match[2] === '' ? 'B' : match[2]!;
  const scale = UNIT_BYTES[unit];
  if (scale === undefined) return null;
  return Math.round(Number(match[1]) * scale);
}

/**
 * The sum of a Go-printed list of sizes, `[11.1 GiB]` or `[11.1 GiB 5.0 GiB]` (one entry per GPU),
 * or of a single size without brackets. Null when any entry is not a size or the list is empty.
 */
export function parseSizeSum(text: string): number | null {
  // One GPU, `[3.1 GiB]`, the usual case: one size between the brackets.
  if (text.charCodeAt(0) === 91 /* [ */ && text.charCodeAt(text.length - 1) === 93 /* ] */ && text.indexOf(' ', text.indexOf(' ') + 1) === -1) {
    const simple = simpleSize(text, 1, text.length - 1);
    if (simple !== NOT_SIMPLE) return simple;
  }
  let body = text.trim();
  if (body.startsWith('[') && body.endsWith(']')) body = body.slice(1, -1).trim();
  if (body === '') return null;
  const words = body.split(/\s+/);
  let total = 0;
  let i = 0;
  while (i < words.length) {
    // "11.1 GiB" is two words; "792B" or a bare byte count is one.
    const pair = i + 1 < words.length && /^[A-Za-z]+$/.test(words[i + 1]!) ? `${words[i]} ${words[i + 1]}` : null;
    const size = pair === null ? parseSize(words[i]!) : parseSize(pair);
    if (size === null) return null;
    total += size;
    i += pair === null ? 1 : 2;
  }
  return total;
}
