// parseMessage gives exactly what the parser gave before its rewrite for speed (issue 13): the ground
// truth is test/fixtures/parse-equivalence/expected.json.gz, written ONCE by generate.mjs from the
// build of main at abfb3dc (before the rewrite), never from the code under test. Its ~47k lines are
// every MESSAGE of the real Ollama captures, the real lines users pasted, every kind's samples, the
// bench mix, hostile variants of all the recognised ones and a few huge lines; results are compared
// as text, so key order, absent keys, -0 and NaN count too.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/ollama/parse/index.js';
import { serialize } from '../fixtures/parse-equivalence/serialize.mjs';

const FIXTURE = new URL('../fixtures/parse-equivalence/expected.json.gz', import.meta.url);
const expected = JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')) as [string, string][];
const toText = serialize as (parsed: unknown) => string;

describe('parseMessage against the results of the parser before its rewrite', () => {
  it('has a large corpus with every kind of result in it', () => {
    expect(expected.length).toBeGreaterThan(40_000);
    const kinds = new Set(expected.map(([, parsed]) => (JSON.parse(parsed) as { kind: string }).kind));
    expect(kinds.size).toBeGreaterThan(25);
  });

  it('gives the same result for every line', () => {
    const differing: { line: string; was: string; now: string }[] = [];
    for (const [line, was] of expected) {
      const now = toText(parseMessage(line));
      if (now !== was && differing.length < 10) differing.push({ line: line.slice(0, 400), was, now });
    }
    expect(differing).toEqual([]);
  });
});
