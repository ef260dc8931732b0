// The table of message kinds, in the order the parser tries them, and its lookup index.
// Each group keeps its kinds beside the sample lines (one per Ollama era) that test them.

import { CRASH_KINDS } from './kinds-crash.js';
import { EVICT_KINDS } from './kinds-evict.js';
import { LOAD_KINDS } from './kinds-load.js';
import { LOAD_OUTCOME_KINDS } from './kinds-load-outcome.js';
import { MEMORY_KINDS } from './kinds-memory.js';
import { REQUEST_KINDS } from './kinds-request.js';
import { SERVER_KINDS } from './kinds-server.js';
import { SYSTEMD_KINDS } from './kinds-systemd.js';
import { UNLOAD_KINDS } from './kinds-unload.js';
import type { KindEntry, ParsedOf, UnknownLine } from './types.js';

export const KINDS = [
  ...REQUEST_KINDS,
  ...SERVER_KINDS,
  ...LOAD_KINDS,
  ...LOAD_OUTCOME_KINDS,
  ...MEMORY_KINDS,
  ...UNLOAD_KINDS,
  ...EVICT_KINDS,
  ...CRASH_KINDS,
  ...SYSTEMD_KINDS,
] as const satisfies readonly KindEntry[];

/** One entry of the table, with its kind, fields and timeline use as the compiler knows them. */
export type Kind = (typeof KINDS)[number];
export type KindName = Kind['kind'];

/**
 * What one journal line says (parseMessage's result), discriminated by `kind`: each kind's own
 * fields with their types, every one present (null when the line does not state it), and the level
 * the line states (TRACE, DEBUG, INFO, WARN or ERROR; `DEBUG-8` → `DEBUG`; absent when none).
 */
export type ParsedLine = ParsedOf<Kind> | UnknownLine;

/** The keys of a ParsedLine that say what the line is (`kind`, `level`); every other key is a field. */
export const NOT_FIELD_KEYS: ReadonlySet<string> = new Set(['kind', 'level']);

/** The kinds whose entry declares `timeline.session`: the ones the lifecycle's first pass reacts to. */
export type SessionKind = Extract<Kind, { readonly timeline: { readonly session: true } }>['kind'];

/** One way a message can select an entry: equal to `pattern`, or starting with it. */
export interface Candidate {
  readonly pattern: string;
  readonly exact: boolean;
  /**
   * A message is offered only to the patterns that share its first word, so a prefix without a
   * space must be followed by a space or the end of the message.
   */
  readonly wholeWord: boolean;
  readonly entry: KindEntry;
}

/**
 * Candidates by the first character of their pattern (an ASCII code: an array index, and no string
 * cut from the line to look them up). Longer patterns come first (so `loading model via
 * llama-server` wins over `loading model` in text without quotes), then table order.
 */
export function buildIndex(kinds: readonly KindEntry[]): readonly (readonly Candidate[] | undefined)[] {
  const index: Candidate[][] = [];
  const add = (pattern: string, exact: boolean, entry: KindEntry): void => {
    const first = pattern.charCodeAt(0);
    if (!(first < 128)) throw new Error(`kinds: "${pattern}" does not start with an ASCII character`);
    (index[first] ??= []).push({ pattern, exact, wholeWord: !exact && !pattern.includes(' '), entry });
  };
  for (const entry of kinds) {
    for (const message of entry.messages ?? []) add(message, true, entry);
    for (const prefix of entry.prefixes ?? []) add(prefix, false, entry);
  }
  for (const list of index) list?.sort((a, b) => b.pattern.length - a.pattern.length);
  return index;
}

/** Raw-line prefixes (gin), plain-text prefixes and systemd unit-line prefixes, in table order. */
export function linePrefixes(kinds: readonly KindEntry[], key: 'linePrefixes' | 'plainPrefixes' | 'unitPrefixes' | 'plainContains'): readonly (readonly [string, KindEntry])[] {
  return kinds.flatMap((entry) => (entry[key] ?? []).map((prefix) => [prefix, entry] as const));
}
