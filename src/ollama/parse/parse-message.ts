// parseMessage: one journal MESSAGE → what it says. Runs on every line, so it dispatches cheaply:
// a prefix check for gin, then the slog `msg=` (or the text after a `log`-package prefix) looked up
// by its first word in the table index; attributes are tokenised only for recognised kinds.

import { buildIndex, firstWord, KINDS, linePrefixes, type Candidate, type ParsedLine } from './kinds.js';
import { readAttr, tokenizeAttrs } from './slog-attrs.js';
import type { KindEntry, LineContext } from './types.js';

const INDEX = buildIndex(KINDS);
const LINE_PREFIXES = linePrefixes(KINDS, 'linePrefixes');
const PLAIN_PREFIXES = byFirstChar(linePrefixes(KINDS, 'plainPrefixes'));
const UNIT_PREFIXES = linePrefixes(KINDS, 'unitPrefixes');
const PLAIN_CONTAINS = linePrefixes(KINDS, 'plainContains');

// CSI sequences (colours, cursor moves) as a terminal capture leaves them.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

// `2024/05/27 12:32:31 ` (+ optional `.000000`), then an optional `routes.go:1028: ` and level.
const LOG_PREFIX = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? (?:[\w.-]+\.go:\d+: )?(?:(TRACE|DEBUG|INFO|WARN|ERROR)(?:[+-]\d+)? )?/;

type Prefixes = readonly (readonly [string, KindEntry])[];
const NONE: Prefixes = [];

/**
 * Plain prefixes by their first character: most lines that reach them are the runner's own output
 * (llama.cpp, ggml), which then meet at most a few candidates instead of every prefix.
 */
function byFirstChar(prefixes: Prefixes): ReadonlyMap<number, Prefixes> {
  const map = new Map<number, (readonly [string, KindEntry])[]>();
  for (const item of prefixes) {
    const code = item[0].charCodeAt(0);
    map.set(code, [...(map.get(code) ?? []), item]);
  }
  return map;
}

class Line implements LineContext {
  private parsed: Map<string, string> | null = null;

  constructor(
    readonly msg: string,
    readonly text: string,
    private readonly attrsFrom: number,
  ) {}

  get attrs(): ReadonlyMap<string, string> {
    this.parsed ??= tokenizeAttrs(this.text, this.attrsFrom);
    return this.parsed;
  }

  attr(key: string): string | undefined {
    return this.attrs.get(key);
  }
}

/** `DEBUG-8` → `DEBUG`, `INFO+2` → `INFO`; undefined for an empty level. */
function baseLevel(level: string | undefined): string | undefined {
  if (level === undefined || level === '') return undefined;
  const cut = level.search(/[+-]/);
  return cut > 0 ? level.slice(0, cut) : level;
}

function result(entry: KindEntry, line: LineContext, level: string | undefined): ParsedLine | null {
  if (entry.test !== undefined && !entry.test(line)) return null;
  const fields = entry.extract(line);
  if (fields === null) return null;
  const parsed: Record<string, unknown> = { kind: entry.kind };
  if (level !== undefined) parsed['level'] = level;
  for (const name of entry.fields) parsed[name] = fields[name] ?? null;
  // The table's entries are typed by defineKind from these very fields: the union's member for entry.kind.
  return parsed as unknown as ParsedLine;
}

function unknown(level: string | undefined): ParsedLine {
  return level === undefined ? { kind: 'unknown' } : { kind: 'unknown', level };
}

/** slog: `msg` is a whole value, so it must equal a message or start with a prefix. */
function fromSlog(line: string): ParsedLine {
  const level = baseLevel(readAttr(line, 'level')?.value);
  const msg = readAttr(line, 'msg');
  if (msg === null) return unknown(level);
  const candidates = INDEX.get(firstWord(msg.value));
  if (candidates === undefined) return unknown(level);
  let context: Line | null = null;
  for (const candidate of candidates) {
    const matches = candidate.exact ? msg.value === candidate.pattern : msg.value.startsWith(candidate.pattern);
    if (!matches) continue;
    context ??= new Line(msg.value, line, msg.end);
    const parsed = result(candidate.entry, context, level);
    if (parsed !== null) return parsed;
  }
  return unknown(level);
}

/** Text after a `log`-package prefix: the message runs on into attributes, so match it as a prefix. */
function fromText(text: string, level: string | undefined): ParsedLine {
  const candidates: readonly Candidate[] | undefined = INDEX.get(firstWord(text));
  if (candidates === undefined) return unknown(level);
  for (const candidate of candidates) {
    const { pattern } = candidate;
    if (!text.startsWith(pattern)) continue;
    if (candidate.exact && text.length > pattern.length && text.charCodeAt(pattern.length) !== 32) continue;
    const context = candidate.exact ? new Line(pattern, text, pattern.length) : new Line(text, text, 0);
    const parsed = result(candidate.entry, context, level);
    if (parsed !== null) return parsed;
  }
  return unknown(level);
}

function parseLine(message: string): ParsedLine {
  const line = (message.indexOf('\u001b') === -1 ? message : message.replace(ANSI, '')).trimEnd();
  for (const [prefix, entry] of LINE_PREFIXES) {
    if (line.startsWith(prefix)) return result(entry, new Line(line, line, line.length), undefined) ?? unknown(undefined);
  }
  if (line.startsWith('time=') || line.startsWith('level=')) return fromSlog(line);
  const first = line.charCodeAt(0);
  if (first >= 48 && first <= 57 && line.charCodeAt(4) === 47 /* / */) {
    const prefix = LOG_PREFIX.exec(line);
    if (prefix !== null) return fromText(line.slice(prefix[0].length), prefix[1]);
  }
  for (const [prefix, entry] of PLAIN_PREFIXES.get(first) ?? NONE) {
    if (line.startsWith(prefix)) return result(entry, new Line(line, line, 0), undefined) ?? unknown(undefined);
  }
  return fromUnitLine(line);
}

/**
 * systemd's own lines about the unit, which `journalctl -u` shows among the service's:
 * `ollama.service: Main process exited, …` (systemd 220+) or `ollama.service failed.` (older).
 */
function fromUnitLine(line: string): ParsedLine {
  const space = line.indexOf(' ');
  const colon = space > 0 && line.charCodeAt(space - 1) === 58; /* : */
  if (space < 9 || !line.startsWith('.service', space - (colon ? 9 : 8))) return fromContained(line);
  const rest = line.slice(space + 1);
  for (const [prefix, entry] of UNIT_PREFIXES) {
    if (rest.startsWith(prefix)) return result(entry, new Line(rest, line, line.length), undefined) ?? unknown(undefined);
  }
  return unknown(undefined);
}

/** Crash output that names what failed in the middle of the line (`ggml.c:1234: GGML_ASSERT(…) failed`). */
function fromContained(line: string): ParsedLine {
  for (const [needle, entry] of PLAIN_CONTAINS) {
    if (line.includes(needle)) return result(entry, new Line(line, line, line.length), undefined) ?? unknown(undefined);
  }
  return unknown(undefined);
}

/**
 * What one journal MESSAGE says: `{kind, level?, …fields}` with every field of the kind present
 * (null when the line does not state it). Unrecognised lines (subprocess output, panics) are
 * `{kind: 'unknown'}`, with the level when the line is slog. Never throws.
 */
export function parseMessage(message: string): ParsedLine {
  try {
    return parseLine(typeof message === 'string' ? message : String(message));
  } catch {
    return { kind: 'unknown' };
  }
}
