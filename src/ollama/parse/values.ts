// Small conversions shared by the kind table: numbers, blob digests, model names, Go maps.

import { displayName } from '../inventory/naming.js';
import { parseGoDuration } from './go-duration.js';
import { parseSize, parseSizeSum } from './size.js';

/** An integer written in decimal (`-1`, `8192`), or null. */
export function int(text: string | undefined): number | null {
  if (text === undefined) return null;
  const sign = text.charCodeAt(0);
  let i = sign === 43 /* + */ || sign === 45 /* - */ ? 1 : 0;
  if (i >= text.length) return null;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return null;
  }
  return Number(text);
}

/** A decimal number (`5.04476581`, `4.26`), or null. */
export function float(text: string | undefined): number | null {
  if (text === undefined || !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}

export function bytes(text: string | undefined): number | null {
  return text === undefined ? null : parseSize(text);
}

export function bytesSum(text: string | undefined): number | null {
  return text === undefined ? null : parseSizeSum(text);
}

export function durationMs(text: string | undefined): number | null {
  return text === undefined ? null : parseGoDuration(text);
}

const EXIT_STATUS = /exit status (0x[0-9a-fA-F]+|-?\d+)/;
const SIGNAL = /signal: ([a-z][a-z ]*[a-z](?: \(core dumped\))?)/;

/** `exit status 2` → 2, `exit status 0xc0000409` (Windows NTSTATUS) → 3221226505; else null. */
export function exitStatusOf(error: string | null | undefined): number | null {
  const match = error == null ? null : EXIT_STATUS.exec(error);
  return match === null ? null : Number(match[1]);
}

/** Go's `signal: killed`, `signal: aborted (core dumped)` → the signal's description; else null. */
export function signalOf(error: string | null | undefined): string | null {
  const match = error == null ? null : SIGNAL.exec(error);
  return match?.[1] ?? null;
}

/** The attribute as a string, or null when absent or empty (Ollama prints `""` for "none"). */
export function text(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/** 64 hex digits and no more, read where lastIndex points (a regex runs native even before V8 optimizes this). */
const DIGEST_AT = /[0-9a-fA-F]{64}(?![0-9a-fA-F])/y;

/**
 * The 64-hex digest in a blob path or reference (`…/blobs/sha256-<hex>`, older `sha256:<hex>`),
 * lower-cased and without prefix; null when there is none.
 */
export function sha256Of(text: string | undefined): string | null {
  if (text === undefined) return null;
  for (let at = text.indexOf('sha256'); at !== -1; at = text.indexOf('sha256', at + 6)) {
    const sep = text.charCodeAt(at + 6);
    if (sep !== 45 /* - */ && sep !== 58 /* : */) continue;
    DIGEST_AT.lastIndex = at + 7;
    if (DIGEST_AT.test(text)) return text.slice(at + 7, at + 71).toLowerCase();
  }
  return null;
}

const DEFAULT_PREFIX = 'registry.ollama.ai/library/';

/**
 * A fully qualified model name (`registry.ollama.ai/library/qwen3:8b`, as the scheduler logs it in
 * `runner.name`) shortened the way `ollama list` shows it: `qwen3:8b`, `namespace/model:tag` on the
 * default registry, unchanged on other registries. Null for an empty name.
 */
export function listName(full: string | undefined): string | null {
  if (full === undefined || full === '') return null;
  // The usual case, written as the scheduler writes it: what displayName makes of it is the last part.
  if (full.startsWith(DEFAULT_PREFIX) && full.indexOf('/', DEFAULT_PREFIX.length) === -1 && full.lastIndexOf(':') > DEFAULT_PREFIX.length) {
    return full.slice(DEFAULT_PREFIX.length);
  }
  const parts = full.split('/');
  const colon = parts[2]?.lastIndexOf(':') ?? -1;
  if (parts.length !== 3 || colon < 1) return full;
  const [host, namespace, modelTag] = parts as [string, string, string];
  return displayName({ host, namespace, model: modelTag.slice(0, colon), tag: modelTag.slice(colon + 1) });
}

/**
 * A Go map printed with %v: `map[K1:v1 K2:v two K3:[a b]]`. Keys are identifiers followed by `:`
 * at the start or after a space, outside brackets; everything up to the next key is the value
 * (values may hold spaces, colons and bracketed lists). Returns null when the text is not a map.
 */
export function parseGoMap(text: string): Record<string, string> | null {
  const body = text.trim();
  if (!body.startsWith('map[') || !body.endsWith(']')) return null;
  const inner = body.slice(4, -1);
  const keyStarts: { key: string; start: number; valueStart: number }[] = [];
  const keyAt = /[A-Za-z_][A-Za-z0-9_]*:/y;
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charAt(i);
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (i === 0 || inner.charAt(i - 1) === ' ')) {
      keyAt.lastIndex = i;
      const match = keyAt.exec(inner);
      if (match !== null) {
        keyStarts.push({ key: match[0].slice(0, -1), start: i, valueStart: i + match[0].length });
        i += match[0].length - 1;
      }
    }
  }
  const map: Record<string, string> = {};
  keyStarts.forEach((entry, n) => {
    const end = n + 1 < keyStarts.length ? keyStarts[n + 1]!.start : inner.length;
    map[entry.key] = inner.slice(entry.valueStart, end).trim();
  });
  return map;
}

/** A process command line as Go prints exec.Cmd (`exe arg arg …`, unquoted). */
export interface CommandLine {
  /** The value after the first of `names` (`--ctx-size 8192` or `--ctx-size=8192`), or undefined. */
  flag(...names: string[]): string | undefined;
  /** The text after `--model ` up to the next ` -` option (model paths may hold spaces). */
  readonly modelPath: string | null;
}

const SPACE = 32;

/** The end of the word that starts at `start` (the next space or the end). */
function wordEnd(cmd: string, start: number): number {
  const space = cmd.indexOf(' ', start);
  return space === -1 ? cmd.length : space;
}

/** The start of the next word at or after `from`, or the length when none is left. */
function nextWord(cmd: string, from: number): number {
  let i = from;
  while (i < cmd.length && cmd.charCodeAt(i) === SPACE) i++;
  return i;
}

/** Where the first word that is `name` or `name=…` starts, or -1: found by indexOf, not word by word. */
function flagWord(cmd: string, name: string): number {
  if (name === '') return -1; // no flag is nameless, and the search below would not move on
  for (let at = cmd.indexOf(name); at !== -1; at = cmd.indexOf(name, at + 1)) {
    if (at > 0 && cmd.charCodeAt(at - 1) !== SPACE) continue;
    const after = at + name.length;
    if (after === cmd.length || cmd.charCodeAt(after) === SPACE || cmd.charCodeAt(after) === 61 /* = */) return at;
  }
  return -1;
}

/** The flags are looked up in the command line itself when asked for: no array of words per line. */
export function commandLine(cmd: string): CommandLine {
  const model = cmd.indexOf(' --model ');
  let modelPath: string | null = null;
  if (model !== -1) {
    const start = model + ' --model '.length;
    const end = cmd.indexOf(' -', start);
    modelPath = (end === -1 ? cmd.slice(start) : cmd.slice(start, end)).trim() || null;
  }
  return {
    modelPath,
    flag(...names: string[]): string | undefined {
      // The earliest word that any of the names takes (on the same word, the first name).
      let start = -1;
      let name = '';
      for (const candidate of names) {
        const at = flagWord(cmd, candidate);
        if (at !== -1 && (start === -1 || at < start)) {
          start = at;
          name = candidate;
        }
      }
      if (start === -1) return undefined;
      const end = wordEnd(cmd, start);
      if (end - start > name.length) return cmd.slice(start + name.length + 1, end);
      const value = nextWord(cmd, end);
      return value < cmd.length ? cmd.slice(value, wordEnd(cmd, value)) : undefined;
    },
  };
}
