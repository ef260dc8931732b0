// The shapes shared by the parser and its table of message kinds.

/** What one journal line says: a kind, the level the line states, and that kind's fields. */
export interface ParsedLine {
  kind: string;
  /** TRACE, DEBUG, INFO, WARN or ERROR as the line states it (`DEBUG-8` → `DEBUG`); absent when it states none. */
  level?: string;
  [field: string]: unknown;
}

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
}
