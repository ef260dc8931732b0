// Every tag and field that can carry text from a log line (or a file someone else wrote), written with
// thousands of adversarial strings through our encoder and write client into the real InfluxDB: not one
// line may be rejected, and each value must read back as README's "How tag values are encoded" says.

import { describe, expect, it } from 'vitest';
import { inventoryLines } from '../../src/models-dir/points.js';
import { logLine } from '../../src/pipeline/logs.js';
import { eventLine, requestLine } from '../../src/pipeline/structured.js';
import { createWriteClient } from '../../src/influx/write-client.js';
import type { ParsedLine } from '../../src/ollama/parse/index.js';
import { cliEnv, runCli } from '../support/cli.js';
import { countPoints, freshBucket, queryRows, type BucketTarget } from '../support/influx.js';
import { entriesFrom, tempDir, writeJournal } from '../support/journal.js';

const COUNT = 3000;
const BASE_NS = 1_763_200_000_000_000_000n;

// Pieces that break line protocol or its readers: escapes, separators, quotes, controls, multi-byte
// characters, a lone surrogate (what JSON's \ud800 decodes to), URL-ish text.
const PIECES = ['\\', '\\\\', ',', '=', ' ', '"', "'", '\n', '\r', '\t', '\u0000', '\u001b', '\u007f', 'é', '😀', '\ud800', '%5C', '#', 'a', 'Z9', '/api/chat', '?q=1'];
const EDGES = ['\\', 'a\\', '\\\\', '\\,', '\\ ', '\\=', '=', ',', ' ', '"', '\\"', 'x\\\n', '/api/chat\\', 'é'.repeat(300), 'a'.repeat(300) + '\\', '😀'.repeat(90)];

/** A seeded generator: the same strings on every run, so a failure can be reproduced. */
function adversarialStrings(count: number): string[] {
  let seed = 0x2545f491;
  const next = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const out = [...EDGES];
  while (out.length < count) {
    const length = next(4) === 0 ? 60 + next(200) : 1 + next(12);
    let text = '';
    for (let i = 0; i < length; i++) text += PIECES[next(PIECES.length)];
    out.push(text);
  }
  return out;
}

/**
 * What JavaScript → UTF-8 does to a lone surrogate (the replacement character), with CR and LF spelled
 * out as the query below spells them: Flux's CSV output would turn a newline inside a value into CRLF.
 */
const asStored = (text: string) => Buffer.from(text, 'utf8').toString('utf8').replace(/\r/g, '<CR>').replace(/\n/g, '<LF>');

/** The README's tag encoding, written out from the documentation. */
function documentedTag(text: string): string {
  let value = Buffer.from(text, 'utf8').toString('utf8').replace(/[\u0000-\u001f\u007f]/g, ' ');
  if (Buffer.byteLength(value) > 256) {
    let cut = '';
    for (const char of value) {
      if (Buffer.byteLength(cut + char) > 253) break;
      cut += char;
    }
    value = `${cut}…`;
  }
  // A backslash right before a comma, equals sign, space or the end is written as %5C.
  return value.replace(/\\(?=[,= ]|$)/g, '%5C');
}

async function writeAll(target: BucketTarget, lines: string[]): Promise<void> {
  const client = createWriteClient(target);
  for (let i = 0; i < lines.length; i += 2000) {
    const outcome = await client.write(lines.slice(i, i + 2000).join('\n'));
    expect(outcome, JSON.stringify(outcome).slice(0, 600)).toEqual({ kind: 'ok' });
  }
}

/** Rows of one field keyed by their time in ns. */
async function byTime(target: BucketTarget, measurement: string, field: string): Promise<Map<bigint, Record<string, unknown>>> {
  const rows = await queryRows(
    target,
    `import "strings"
     from(bucket: "${target.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "${measurement}" and r._field == "${field}")
     |> map(fn: (r) => ({r with ns: string(v: uint(v: r._time)),
          _value: strings.replaceAll(v: strings.replaceAll(v: r._value, t: "\\r", u: "<CR>"), t: "\\n", u: "<LF>")}))
     |> group()`,
  );
  return new Map(rows.map((row) => [BigInt(String(row['ns'])), row]));
}

describe('adversarial values through the real InfluxDB', () => {
  const strings = adversarialStrings(COUNT);
  const at = (i: number) => String(BASE_NS + BigInt(i) * 1000n);

  it(`ollama_requests: ${COUNT} hostile methods, paths and clients, none rejected, each read back as documented`, async () => {
    const target = await freshBucket('adv-req');
    const lines = strings.map((text, i) => {
      const parsed: ParsedLine = { kind: 'request', method: text, path: text, status: 200, latency_ms: i, client: text };
      return requestLine(parsed, 'h', at(i))!;
    });
    await writeAll(target, lines);
    const rows = await byTime(target, 'ollama_requests', 'url');
    expect(rows.size).toBe(COUNT);
    strings.forEach((text, i) => {
      const row = rows.get(BigInt(at(i)))!;
      const bare = text.includes('?') ? text.slice(0, text.indexOf('?')) : text;
      expect(row['_value'], JSON.stringify(text)).toBe(asStored(text));
      expect(row['method'], JSON.stringify(text)).toBe(documentedTag(text));
      expect(row['path'], JSON.stringify(text)).toBe(bare === '' ? '/' : documentedTag(bare));
    });
  });

  it(`ollama_events: ${COUNT} hostile levels, model names and messages`, async () => {
    const target = await freshBucket('adv-evt');
    const lines = strings.map((text, i) => eventLine({ kind: 'load_error', level: text, error: text, sha256: null, exit_status: null, signal: null }, 'h', text, text, at(i)));
    await writeAll(target, lines);
    const rows = await byTime(target, 'ollama_events', 'message');
    const errors = await byTime(target, 'ollama_events', 'error');
    expect(rows.size).toBe(COUNT);
    strings.forEach((text, i) => {
      const row = rows.get(BigInt(at(i)))!;
      expect(row['_value'], JSON.stringify(text)).toBe(asStored(text));
      expect(errors.get(BigInt(at(i)))!['_value']).toBe(asStored(text));
      expect(row['level'], JSON.stringify(text)).toBe(documentedTag(text));
      expect(row['model'], JSON.stringify(text)).toBe(documentedTag(text));
    });
  });

  it(`ollama_logs and ollama_model_inventory: ${COUNT} hostile messages, pids and model names`, async () => {
    const target = await freshBucket('adv-logs');
    const logs = strings.map((text, i) => logLine({ cursor: 'c', realtimeUs: '1', message: text, pid: text }, 'h', 'abc', 'field', at(i)));
    const inventory = strings.flatMap((text, i) =>
      inventoryLines([{ model_name: text, sha256: text, size: i, model_size: i, family: text, parameter_size: text, quantization: text }], 'h', at(i)),
    );
    await writeAll(target, [...logs, ...inventory]);
    const messages = await byTime(target, 'ollama_logs', 'message');
    const pids = await byTime(target, 'ollama_logs', 'pid');
    const families = await byTime(target, 'ollama_model_inventory', 'family');
    expect(messages.size).toBe(COUNT);
    expect(families.size).toBe(COUNT);
    strings.forEach((text, i) => {
      expect(messages.get(BigInt(at(i)))!['_value']).toBe(asStored(text));
      expect(pids.get(BigInt(at(i)))!['_value']).toBe(asStored(text));
      const family = families.get(BigInt(at(i)))!;
      expect(family['_value']).toBe(asStored(text));
      expect(family['model_name'], JSON.stringify(text)).toBe(documentedTag(text));
    });
  });

  it('the shipper end to end: 2,000 requests to `/api/chat%5C` (gin logs "/api/chat\\\\") are written in one pass, none skipped', async () => {
    const target = await freshBucket('adv-cli');
    const dir = tempDir('journal');
    // What gin prints for `curl 'http://host:11434/api/chat%5C'` (and a slog line whose level ends in a backslash).
    const gin = '[GIN] 2025/11/14 - 06:00:00 | 404 |       2.1µs |       10.0.0.9 | POST     "/api/chat\\\\"';
    const slog = 'time=2025-11-14T06:00:00.000Z level=WARN\\ source=sched.go:1 msg="gpu VRAM usage didn\'t recover within timeout" seconds=5.1';
    const messages = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? gin : slog));
    await writeJournal(dir, entriesFrom(messages, 1_763_200_000_000_000n));
    const result = await runCli(['once', '--json'], cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: tempDir('state') }));
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ read: 2000, skipped: 0 });
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(2000);
    expect(await countPoints(target, 'ollama_requests', 'latency_ms')).toBe(1000);
    const paths = await queryRows(
      target,
      `from(bucket: "${target.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "ollama_requests" and r._field == "url")
       |> group(columns: ["path"]) |> count()`,
    );
    expect(paths.map((row) => [row['path'], row['_value']])).toEqual([['/api/chat%5C', 1000]]);
  });
});
