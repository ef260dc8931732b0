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
import type { KindEntry } from './types.js';

export const KINDS: readonly KindEntry[] = [
  ...REQUEST_KINDS,
  ...SERVER_KINDS,
  ...LOAD_KINDS,
  ...LOAD_OUTCOME_KINDS,
  ...MEMORY_KINDS,
  ...UNLOAD_KINDS,
  ...EVICT_KINDS,
  ...CRASH_KINDS,
  ...SYSTEMD_KINDS,
];

/** One way a message can select an entry: equal to `pattern`, or starting with it. */
export interface Candidate {
  readonly pattern: string;
  readonly exact: boolean;
  readonly entry: KindEntry;
}

/** The first word of a message: the key that narrows the table to a handful of candidates. */
export function firstWord(text: string): string {
  const space = text.indexOf(' ');
  return space === -1 ? text : text.slice(0, space);
}

/**
 * Candidates by first word. Within a word, longer patterns come first (so `loading model via
 * llama-server` wins over `loading model` in text without quotes), then table order.
 */
export function buildIndex(kinds: readonly KindEntry[]): ReadonlyMap<string, readonly Candidate[]> {
  const index = new Map<string, Candidate[]>();
  const add = (pattern: string, exact: boolean, entry: KindEntry): void => {
    const word = firstWord(pattern);
    const list = index.get(word) ?? [];
    list.push({ pattern, exact, entry });
    index.set(word, list);
  };
  for (const entry of kinds) {
    for (const message of entry.messages ?? []) add(message, true, entry);
    for (const prefix of entry.prefixes ?? []) add(prefix, false, entry);
  }
  for (const list of index.values()) list.sort((a, b) => b.pattern.length - a.pattern.length);
  return index;
}

/** Raw-line prefixes (gin), plain-text prefixes and systemd unit-line prefixes, in table order. */
export function linePrefixes(kinds: readonly KindEntry[], key: 'linePrefixes' | 'plainPrefixes' | 'unitPrefixes' | 'plainContains'): readonly (readonly [string, KindEntry])[] {
  return kinds.flatMap((entry) => (entry[key] ?? []).map((prefix) => [prefix, entry] as const));
}
