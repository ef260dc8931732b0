// Which parsed kinds the lifecycle timeline reads, derived from what each kind declares on its entry in
// the parser's table (`timeline`): no list here names a kind.

import { KINDS, type ParsedLine, type SessionKind } from '../parse/kinds.js';
import type { TimelineUse } from '../parse/types.js';
import type { TimelineEvent } from './types.js';

const kindsWhere = (declares: (use: TimelineUse) => boolean): ReadonlySet<string> =>
  new Set(KINDS.flatMap((entry) => (entry.timeline !== undefined && declares(entry.timeline) ? [entry.kind] : [])));

/**
 * The kinds the first pass reacts to (reactions.ts); every other kind leaves sessions as they are, so
 * the daemon's incremental tracker need not keep or replay it. A unit test checks the declarations
 * against the pass itself with every parser kind.
 */
export const SESSION_KINDS = kindsWhere((use) => use.session === true);

/** Event kinds shown as warnings whatever their level; any other event logged at WARN or ERROR is one too. */
export const WARNING_KINDS = kindsWhere((use) => use.warning !== undefined);

/** Warnings the scheduler logs just before starting the runner of the load they are about. */
export const NEXT_LOAD_WARNINGS = kindsWhere((use) => use.warning === 'next_load');

/** The event kinds the reconstruction reads (events logged at WARN or ERROR come too). */
export const TIMELINE_KINDS: readonly string[] = KINDS.flatMap((entry) => (entry.timeline !== undefined ? [entry.kind] : []));

export function isSessionKind(kind: string): kind is SessionKind {
  return SESSION_KINDS.has(kind);
}

/** A stored event of kind K: only that kind's fields can be named (each may be absent: nulls are not stored). */
export type KindEvent<K extends SessionKind> = Omit<TimelineEvent, 'kind' | 'fields'> & {
  readonly kind: K;
  readonly fields: { readonly [F in Exclude<keyof Extract<ParsedLine, { kind: K }>, 'kind' | 'level'>]?: string | number | boolean };
};
