// The shapes shared by the parser and its table of message kinds.

/** One recognised line, as the table's `test` and `extract` see it. */
export interface LineContext {
  /**
   * The message: slog's `msg` value; for `log`-package and plain lines, the text after the
   * date/file/level prefix (which may run on into attributes).
   */
  readonly msg: string;
  /** The whole line as the parser saw it (ANSI codes stripped, trailing space trimmed). */
  readonly text: string;
  /** The line's key=value attributes after the message (tokenised on first use). */
  readonly attrs: ReadonlyMap<string, string>;
  /** One attribute's value, or undefined when absent. */
  attr(key: string): string | undefined;
}

export interface KindSample {
  /** The journal MESSAGE. */
  readonly line: string;
  /** The fields that must come out (deep-equal); `kind` is the entry's unless stated. */
  readonly expected: Readonly<Record<string, unknown>>;
  /** Which Ollama era the line is from, as ollama-log-formats.md names them. */
  readonly era: string;
  /** Where the line was seen, for lines taken from real logs (issue thread, Ollama version). */
  readonly source?: string;
}

/**
 * One message kind. A line is offered to an entry when its message equals one of `messages`, starts
 * with one of `prefixes`, or (for the few kinds that predate slog) the raw line starts with one of
 * `plainPrefixes`; `linePrefixes` match the raw line before anything else (gin's `[GIN]`);
 * `unitPrefixes` match systemd's lines about a unit after their `<name>.service: ` (the `msg` is
 * then that text after the unit's name).
 * `test` may still decline it; the first entry that accepts wins.
 */
export interface KindEntry {
  readonly kind: string;
  /** Every field the kind has, in output order; the parser sets absent ones to null. */
  readonly fields: readonly string[];
  readonly messages?: readonly string[];
  readonly prefixes?: readonly string[];
  readonly plainPrefixes?: readonly string[];
  readonly linePrefixes?: readonly string[];
  readonly unitPrefixes?: readonly string[];
  /** Text anywhere in a line that is neither slog, `log`-package nor matched by a prefix (crash output). */
  readonly plainContains?: readonly string[];
  test?(line: LineContext): boolean;
  /** The kind's fields (absent ones may be left out), or null to decline the line after all. */
  extract(line: LineContext): Readonly<Record<string, unknown>> | null;
  readonly samples: readonly KindSample[];
  /** How the lifecycle timeline uses the kind; absent: it does not. */
  readonly timeline?: TimelineUse;
}

/**
 * What the lifecycle timeline does with a kind, declared on the kind. `session`: the reconstruction's
 * first pass reacts to it, and src/ollama/lifecycle/reactions.ts must hold its reaction (a mapped type
 * over the kinds that say so: the compiler finds a missing or a stray one). `warning`: shown as a
 * warning whatever its level (`next_load`: about the load that starts just after it).
 */
export interface TimelineUse {
  readonly session?: true;
  readonly warning?: 'any_level' | 'next_load';
}

/** Phantom key carrying a kind's field types: no runtime property, only what `defineKind` inferred. */
declare const fieldTypes: unique symbol;

/** Field `P` as `extract` returns it (any of its return shapes), undefined turned into null. */
type FieldValue<R, P extends string> = R extends unknown ? (P extends keyof R ? Exclude<R[P], undefined> : never) : never;

/** A table entry with its kind, field names and field types known to the compiler. */
export interface TypedKind<K extends string, V, T extends TimelineUse | undefined> extends KindEntry {
  readonly kind: K;
  /** Undefined (absent) for kinds the timeline ignores. */
  readonly timeline: T;
  readonly [fieldTypes]?: V;
}

/**
 * Declares a kind: returns the entry as written (no wrapper, nothing added at run time) typed with
 * its literal kind, its fields and their value types as `extract` produces them, and its timeline use.
 */
export function defineKind<const K extends string, const F extends string, R extends object, const T extends TimelineUse | undefined = undefined>(
  entry: Omit<KindEntry, 'kind' | 'fields' | 'extract' | 'timeline'> & {
    readonly kind: K;
    readonly fields: readonly F[];
    extract(line: LineContext): R | null;
    readonly timeline?: T;
  },
): TypedKind<K, { readonly [P in F]: FieldValue<R, P> | null }, T> {
  return entry as TypedKind<K, { readonly [P in F]: FieldValue<R, P> | null }, T>;
}

/** What one journal line says as the parser returns it: a kind's fields (null when unstated) and the line's level. */
export type ParsedOf<E> = E extends { readonly kind: infer K extends string; readonly [fieldTypes]?: infer V }
  ? { readonly kind: K; readonly level?: string } & V
  : never;

/** A line the table does not recognise (subprocess output, panics), with the level when slog states one. */
export interface UnknownLine {
  readonly kind: 'unknown';
  readonly level?: string;
}

