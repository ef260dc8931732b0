// The parser on real lines: journal lines users pasted in public issue threads, lines captured from
// real systemd, and lines built from Ollama's own slog calls, each with where it was seen
// (test/fixtures/real-lines/*.json). Every expectation is written by hand from the line itself.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KINDS, parseMessage } from '../../src/ollama/parse/index.js';
import { fieldsOf } from '../support/parsed-fields.js';

interface RealLine {
  source: string;
  line: string;
  expect: Record<string, unknown> & { kind: string };
}

const DIR = new URL('../fixtures/real-lines/', import.meta.url);
const files = readdirSync(DIR).filter((name) => name.endsWith('.json'));
const cases = files.flatMap((file) =>
  (JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as RealLine[]).map((entry, n) => ({ file, n, ...entry })),
);

describe('real lines', () => {
  it('are there, each with a source and an expected kind the table knows', () => {
    expect(cases.length).toBeGreaterThan(40);
    const kinds = new Set(['unknown', ...KINDS.map((entry) => entry.kind)]);
    for (const c of cases) {
      expect(c.source.trim(), `${c.file}#${c.n}`).not.toBe('');
      expect(kinds.has(c.expect.kind), `${c.file}#${c.n}: ${c.expect.kind}`).toBe(true);
    }
  });

  it.each(cases.map((c) => [`${c.file}#${c.n} ${c.expect.kind}`, c] as const))('%s', (_name, c) => {
    const parsed = fieldsOf(parseMessage(c.line));
    for (const [field, value] of Object.entries(c.expect)) {
      expect(parsed[field], `${field} of ${c.line} (${c.source})`).toEqual(value);
    }
  });
});
