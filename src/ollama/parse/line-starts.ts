// Which messages can be a known kind at all, decided from their bytes: the byte-level pipeline turns
// only those into JS strings for parseMessage. It mirrors parseLine's dispatch (gin and other line
// prefixes, slog's `time=`/`level=`, a `log`-package date, plain prefixes, systemd's `<unit>.service`
// lines, needles anywhere in the line); a unit test checks that every sample of every kind passes,
// so a new kind or dispatch key cannot be filtered out unnoticed.

import { startsWithBytes } from '../../bytes.js';
import { KINDS, linePrefixes } from './kinds.js';

const ESC = 0x1b;

function asBytes(prefixes: readonly string[]): readonly Buffer[] {
  return [...new Set(prefixes)].map((prefix) => Buffer.from(prefix, 'utf8'));
}

const STARTS = asBytes([
  ...linePrefixes(KINDS, 'linePrefixes').map(([prefix]) => prefix),
  ...linePrefixes(KINDS, 'plainPrefixes').map(([prefix]) => prefix),
  'time=',
  'level=',
]);
const NEEDLES = asBytes(linePrefixes(KINDS, 'plainContains').map(([needle]) => needle));
// The byte pipeline runs this over JSON-escaped bytes, where `"` and `\` carry an extra backslash:
// that reads the same as the text only while no prefix or needle holds either character.
for (const bytes of [...STARTS, ...NEEDLES]) {
  if (bytes.includes(0x22) || bytes.includes(0x5c)) throw new Error(`line-starts: "${bytes.toString()}" holds a quote or backslash`);
}
const SERVICE = Buffer.from('.service');

/**
 * False when the message in bytes[start, end) (UTF-8, unescaped) cannot parse to anything but
 * `unknown`; true when it might (then parseMessage decides).
 */
export function couldBeKnown(bytes: Uint8Array, start: number, end: number): boolean {
  const first = bytes[start];
  if (first === undefined || start >= end) return false;
  // An ANSI colour sequence first: parseLine strips it before matching.
  if (first === ESC) return true;
  // `2024/05/27 12:32:31 …`: the `log` package's date.
  if (first >= 0x30 && first <= 0x39 && bytes[start + 4] === 0x2f) return true;
  for (const prefix of STARTS) if (startsWithBytes(bytes, start, end, prefix)) return true;
  if (isUnitLine(bytes, start, end)) return true;
  for (const needle of NEEDLES) if (contains(bytes, start, end, needle)) return true;
  return false;
}

/** A loop rather than a Buffer view + indexOf per line: log lines are short, the view costs more. */
function contains(bytes: Uint8Array, start: number, end: number, needle: Buffer): boolean {
  const first = needle[0];
  for (let i = start; i <= end - needle.length; i++) {
    if (bytes[i] === first && startsWithBytes(bytes, i, end, needle)) return true;
  }
  return false;
}

/** systemd's `<name>.service: …` or `<name>.service …` as the first word. */
function isUnitLine(bytes: Uint8Array, start: number, end: number): boolean {
  let space = start;
  while (space < end && bytes[space] !== 0x20) space++;
  if (space === end) return false;
  const wordEnd = bytes[space - 1] === 0x3a ? space - 1 : space;
  return wordEnd - start >= SERVICE.length && startsWithBytes(bytes, wordEnd - SERVICE.length, wordEnd, SERVICE);
}
