// The byte encoder's parse cache (pipeline/parse-cache.ts) gives what parseMessage gives, for every line
// of the parser's equivalence corpus (~47k real, sample, bench and hostile lines, results written once
// from an older build: test/fixtures/parse-equivalence), on first sight, on a repeat, and on a repeat
// whose slog `time=` differs — the one part of a line the cache leaves out of its key.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseMessage, type ParsedLine } from '../../src/ollama/parse/index.js';
import { ParseCache } from '../../src/pipeline/parse-cache.js';
import { serialize } from '../fixtures/parse-equivalence/serialize.mjs';

const FIXTURE = new URL('../fixtures/parse-equivalence/expected.json.gz', import.meta.url);
const expected = JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')) as [string, string][];
const toText = serialize as (parsed: unknown) => string;
const SLOG_TIME = /^time=[0-9TZ:.+-]+ /;
const OTHER_TIME = 'time=1999-12-31T23:59:59.999999999-11:30 ';

describe('ParseCache', () => {
  it('gives the corpus results on first sight and on a repeat, a repeat being the kept object', () => {
    const cache = new ParseCache(parseMessage);
    const differing: string[] = [];
    let kept = 0;
    for (const [line, was] of expected) {
      const first = cache.parse(line);
      const again = cache.parse(line);
      if (toText(first) !== was || toText(again) !== was) differing.push(line.slice(0, 200));
      if (first === again) kept++;
    }
    expect(differing.slice(0, 10)).toEqual([]);
    // Every line up to 1024 characters is kept (the corpus has a few huge ones).
    expect(kept).toBeGreaterThan(expected.length * 0.95);
  });

  it('a slog line with another time gives the same result, parsed or from the cache', () => {
    const cache = new ParseCache(parseMessage);
    let slogLines = 0;
    const differing: string[] = [];
    for (const [line, was] of expected) {
      if (!SLOG_TIME.test(line)) continue;
      slogLines++;
      const variant = line.replace(SLOG_TIME, OTHER_TIME);
      // The invariant itself, without the cache: no kind reads slog's time.
      if (toText(parseMessage(variant)) !== was) differing.push(`parsed: ${variant.slice(0, 200)}`);
      cache.parse(line);
      if (toText(cache.parse(variant)) !== was) differing.push(`cached: ${variant.slice(0, 200)}`);
    }
    expect(slogLines).toBeGreaterThan(5_000);
    expect(differing.slice(0, 10)).toEqual([]);
  });

  it('keys a slog line by its text after the time, other lines by their whole text, without collisions', () => {
    const calls: string[] = [];
    const cache = new ParseCache((message) => {
      calls.push(message);
      return parseMessage(message);
    });
    const slog = 'time=2025-07-23T21:47:10.396+10:00 level=INFO source=sched.go:561 msg="loaded runners" count=1';
    const a = cache.parse(slog);
    const b = cache.parse(slog.replace('21:47:10.396', '22:00:00.000'));
    expect(b).toBe(a);
    expect(a.kind).toBe('runners_loaded');
    // The same tail as a plain line is another line (it does not start with time=).
    const tail = slog.slice(slog.indexOf(' '));
    expect(cache.parse(tail)).not.toBe(a);
    // A time that is not a bare RFC 3339 value is part of the key: another one is another line.
    const quoted = slog.replace(/^time=\S+/, 'time="a b"');
    const otherQuoted = slog.replace(/^time=\S+/, 'time="a c"');
    expect(cache.parse(quoted)).toBe(cache.parse(quoted));
    cache.parse(otherQuoted);
    expect(calls).toEqual([slog, tail, quoted, otherQuoted]);
  });

  it('hands out frozen results, and stays bounded: past 512 lines it starts over', () => {
    let parsed = 0;
    const cache = new ParseCache((message) => {
      parsed++;
      return parseMessage(message);
    });
    const first = cache.parse('load_tensors: offloaded 1/29 layers to GPU');
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      (first as { kind: string }).kind = 'changed';
    }).toThrow(TypeError);
    for (let i = 2; i <= 600; i++) cache.parse(`load_tensors: offloaded ${i}/600 layers to GPU`);
    expect(parsed).toBe(600);
    cache.parse('load_tensors: offloaded 1/29 layers to GPU');
    expect(parsed).toBe(601); // forgotten when the cache started over
    const long = `load_tensors: offloaded 2/29 layers to GPU ${'x'.repeat(2000)}`;
    expect(cache.parse(long)).not.toBe(cache.parse(long)); // not kept
    expect(Object.isFrozen(cache.parse(long) as ParsedLine)).toBe(false);
  });
});
