import type { ParsedLine } from '../../src/ollama/parse/kinds.js';

/** A parsed line's keys by name, for tests that walk a kind's fields from a table (samples, captures). */
export function fieldsOf(parsed: ParsedLine): Readonly<Record<string, unknown>> {
  return parsed as unknown as Readonly<Record<string, unknown>>;
}
