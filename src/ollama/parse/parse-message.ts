// parseMessage: one journal MESSAGE → what it says. Runs on every line, so it dispatches cheaply:
// a prefix check for gin, then the slog `msg=` (or the text after a `log`-package prefix) matched in
// place against the table's patterns that share its first character; attributes are tokenised only
// for recognised kinds, into ranges that become strings only when a kind asks for them.

import { buildIndex, KINDS, linePrefixes, type Candidate, type ParsedLine } from './kinds.js';
import { BARE, findAttr, hasEscape, OPEN, SlogAttrs, tokenText, type TokenRange } from './slog-attrs.js';
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
const NO_CANDIDATES: readonly Candidate[] = [];

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

/**
 * The line as the table's `test` and `extract` see it. Parsing never re-enters, so one instance and
 * one attribute tokeniser serve every line: `at` points them at the next one.
 */
class Line implements LineContext {
  msg = '';
  text = '';
  private attrsFrom = 0;
  private tokenised = false;
  private readonly tokens = new SlogAttrs();

  at(msg: string, text: string, attrsFrom: number): this {
    this.msg = msg;
    this.text = text;
    this.attrsFrom = attrsFrom;
    this.tokenised = false;
    return this;
  }

  private attributes(): SlogAttrs {
    if (!this.tokenised) {
      this.tokens.read(this.text, this.attrsFrom);
      this.tokenised = true;
    }
    return this.tokens;
  }

  get attrs(): ReadonlyMap<string, string> {
    return this.attributes().toMap();
  }

  attr(key: string): string | undefined {
    return this.attributes().get(key);
  }
}

const LINE = new Line();
const TOKEN: TokenRange = { start: 0, end: 0, shape: BARE };
const LEVELS = ['INFO', 'DEBUG', 'WARN', 'ERROR', 'TRACE'];

/** `DEBUG-8` → `DEBUG`, `INFO+2` → `INFO` (the usual ones without cutting a string); undefined for an empty level. */
function levelOf(line: string, token: TokenRange): string | undefined {
  if (token.shape !== BARE) return baseLevel(tokenText(line, token.start, token.end, token.shape));
  const { start } = token;
  if (start === token.end) return undefined;
  let cut = start;
  while (cut < token.end && line.charCodeAt(cut) !== 43 /* + */ && line.charCodeAt(cut) !== 45 /* - */) cut++;
  const end = cut > start ? cut : token.end;
  for (const level of LEVELS) if (level.length === end - start && line.startsWith(level, start)) return level;
  return line.slice(start, end);
}

/** `DEBUG-8` → `DEBUG`, `INFO+2` → `INFO`; undefined for an empty level. */
function baseLevel(level: string): string | undefined {
  if (level === '') return undefined;
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

/**
 * Does the message src[from, to) select the candidate? A whole slog `msg` must equal an exact
 * pattern; text after a `log`-package prefix runs on into attributes, so there an exact pattern
 * only needs a space or the end after it (`runsOn`).
 */
function selects(candidate: Candidate, src: string, from: number, to: number, runsOn: boolean): boolean {
  const { pattern } = candidate;
  const length = to - from;
  if (candidate.exact && !runsOn ? length !== pattern.length : length < pattern.length) return false;
  // Patterns that share a first character often share a first word too (`llama-server …`,
  // `waiting for …`): the last character sets most of them apart before startsWith is called.
  const last = pattern.length - 1;
  if (src.charCodeAt(from + last) !== pattern.charCodeAt(last) || !src.startsWith(pattern, from)) return false;
  const wordEnd = candidate.wholeWord || (candidate.exact && runsOn);
  return !wordEnd || length === pattern.length || src.charCodeAt(from + pattern.length) === 32;
}

/** slog: `msg` is a whole value, so it must equal a message or start with a prefix. */
function fromSlog(line: string): ParsedLine {
  const level = findAttr(line, 'level=', ' level=', TOKEN) ? levelOf(line, TOKEN) : undefined;
  if (!findAttr(line, 'msg=', ' msg=', TOKEN)) return unknown(level);
  const attrsFrom = TOKEN.end;
  // The message as src[from, to): in place unless escapes must be undone.
  let src = line;
  let from = TOKEN.start;
  let to = TOKEN.end;
  if (hasEscape(line, TOKEN)) {
    src = tokenText(line, TOKEN.start, TOKEN.end, TOKEN.shape);
    from = 0;
    to = src.length;
  } else if (TOKEN.shape !== BARE) {
    from++;
    if (TOKEN.shape !== OPEN) to--;
  }
  if (from >= to) return unknown(level);
  let msg: string | null = null;
  for (const candidate of INDEX[src.charCodeAt(from)] ?? NO_CANDIDATES) {
    if (!selects(candidate, src, from, to, false)) continue;
    // An exact match is the pattern itself: no need to cut the message out of the line.
    msg ??= candidate.exact ? candidate.pattern : src.slice(from, to);
    const parsed = result(candidate.entry, LINE.at(msg, line, attrsFrom), level);
    if (parsed !== null) return parsed;
  }
  return unknown(level);
}

/** Text after a `log`-package prefix: the message runs on into attributes, so match it as a prefix. */
function fromText(text: string, level: string | undefined): ParsedLine {
  for (const candidate of INDEX[text.charCodeAt(0)] ?? NO_CANDIDATES) {
    if (!selects(candidate, text, 0, text.length, true)) continue;
    const context = candidate.exact ? LINE.at(candidate.pattern, text, candidate.pattern.length) : LINE.at(text, text, 0);
    const parsed = result(candidate.entry, context, level);
    if (parsed !== null) return parsed;
  }
  return unknown(level);
}

function parseLine(message: string): ParsedLine {
  const line = (message.indexOf('\u001b') === -1 ? message : message.replace(ANSI, '')).trimEnd();
  for (const [prefix, entry] of LINE_PREFIXES) {
    if (line.startsWith(prefix)) return result(entry, LINE.at(line, line, line.length), undefined) ?? unknown(undefined);
  }
  if (line.startsWith('time=') || line.startsWith('level=')) return fromSlog(line);
  const first = line.charCodeAt(0);
  if (first >= 48 && first <= 57 && line.charCodeAt(4) === 47 /* / */) {
    const prefix = LOG_PREFIX.exec(line);
    if (prefix !== null) return fromText(line.slice(prefix[0].length), prefix[1]);
  }
  for (const [prefix, entry] of PLAIN_PREFIXES.get(first) ?? NONE) {
    if (line.startsWith(prefix)) return result(entry, LINE.at(line, line, 0), undefined) ?? unknown(undefined);
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
    if (rest.startsWith(prefix)) return result(entry, LINE.at(rest, line, line.length), undefined) ?? unknown(undefined);
  }
  return unknown(undefined);
}

/** Crash output that names what failed in the middle of the line (`ggml.c:1234: GGML_ASSERT(…) failed`). */
function fromContained(line: string): ParsedLine {
  for (const [needle, entry] of PLAIN_CONTAINS) {
    if (line.includes(needle)) return result(entry, LINE.at(line, line, line.length), undefined) ?? unknown(undefined);
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
