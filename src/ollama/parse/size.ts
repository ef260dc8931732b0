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

/**
 * Bytes (rounded to a whole number) for `12.5 GiB`, `792 B`, `4.7 GB`; a bare number is taken as
 * bytes (Ollama prints some `available=` values that way). Null when the text is not a size.
 */
export function parseSize(text: string): number | null {
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
