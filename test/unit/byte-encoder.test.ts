// The byte-level encoder against its oracle, the string encoder: for every entry of a large mixed
// journal (a busy host's mix, journald bursts, every parser sample, hostile bytes, real Ollama captures
// when present), read back by the real journalctl, both must write byte-identical line protocol.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createEntryEncoder, type EncoderSettings, type LineObserver } from '../../src/pipeline/encode.js';
import { LineBatch } from '../../src/influx/line-batch.js';
import { decodeJournalLine } from '../../src/journal/decode.js';
import { journalctlArgs } from '../../src/journal/source.js';
import { KINDS } from '../../src/ollama/parse/index.js';
import { createByteEncoder } from '../../src/pipeline/byte-encoder.js';
import { realisticLine } from '../../bench/mix.mjs';
import { tempDir, writeJournal, type FixtureEntry } from '../support/journal.js';

const START_US = 1_763_300_000_000_000n;
const SHA = '6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa';
const REAL_CAPTURES = new URL('../fixtures/real-ollama/', import.meta.url).pathname;

function hostile(): (string | Buffer)[] {
  return [
    '',
    'say "hi" and C:\\models\\ and a trailing backslash\\',
    '[GIN] 2025/03/02 - 09:14:09 | 200 |  3.4s |       10.0.0.23 | POST     "/api/chat\\\\"',
    '[GIN] 2025/03/02 - 09:14:09 | 404 |  3.4s |       10.0.0.23 | GET      "/api/x,y=z w?q=\\"1\\""',
    '\u001b[32mtime=2025-03-02T09:14:05.118+03:00 level=INFO source=server.go:1 msg="coloured"\u001b[0m',
    'tab\there, newline\nthere, NUL \u0000 and escape \u001b',
    'emoji 😀 and accents éàü and CJK 模型',
    Buffer.from([0x6c, 0x6f, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x41]),
    Buffer.from('valid prefix then bad: \xc3\x28', 'latin1'),
    'x'.repeat(100_000),
    `time=2025-03-02T09:14:05.118+03:00 level=INFO source=server.go:376 msg="starting llama server" cmd="/usr/bin/ollama runner --model /m/blobs/sha256-${SHA} --ctx-size 8192 --port 1"`,
    'time=2025-03-02T09:14:05.118+03:00 level=WARN\\ source=x msg="level with backslash"',
    'time=2025-03-02T09:14:05.118+03:00 level=INFO\\ msg="llama runner started in 1.5 seconds"',
  ];
}

/**
 * gin lines around the edges of the byte-level gin path (gin-bytes.ts): each either takes it and must
 * give what parseMessage + requestLine give, or must be left to them.
 */
function ginVariants(): string[] {
  const head = '[GIN] 2025/03/02 - 09:14:09 |';
  const requests = [
    'POST     "/api/chat"', 'GET "/api/show?x=1&y=a,b=c"', 'GET      "/api/x,y"', 'GET      "/a b"', 'get      "/api/tags"',
    'POST     "/api/chat" trailing', 'POST     "/api/chat"   ', 'POST     /api/chat', 'POST', 'POST     ""', 'GET      "?x=1"',
    `GET      "/${'p'.repeat(79)}"`, `GET      "/${'p'.repeat(80)}"`, `GET      "/${'p'.repeat(200)}"`, 'GET      "/api/é"',
    'GET      "/api/chat\\"', 'OPTIONS  "/api/tags"', 'HEAD     "/"', `${'X'.repeat(17)} "/"`, 'GET\t"/api/tags"',
  ];
  const middles = [
    ' 200 |      41.07µs |       127.0.0.1 |', ' 200 |  16.608743461s |      172.17.0.3 |', ' 500 |          5m0s |             ::1 |',
    ' 404 |     802.311µs |  2001:db8::1:42 |', ' 200 | 1h2m3.123456789s |                 |', ' 200 |        36.1us |       127.0.0.1 |',
    ' 200 |        36.1μs |       127.0.0.1 |', ' 2000 |  1ms |  127.0.0.1 |', ' 20 0 |  1ms |  127.0.0.1 |', ' 200 |  fast |  127.0.0.1 |',
    ' 200 |  1ms |  a b |', ' 200 |  1ms |  a,b=c |', ' 200 |  -1.5ms |  127.0.0.1 |', ' 200 |  0s |  127.0.0.1 |', ' 200 | 1.23456789012s | x |',
  ];
  const lines: string[] = [];
  for (const middle of middles) for (const request of requests) lines.push(`${head}${middle} ${request}`);
  return lines;
}

function mixedEntries(): FixtureEntry[] {
  const messages: (string | Buffer)[] = [];
  for (let i = 0; i < 6000; i++) messages.push(realisticLine());
  for (const kind of KINDS) for (const sample of kind.samples) messages.push(sample.line);
  messages.push(...hostile(), ...ginVariants());
  const entries: FixtureEntry[] = [];
  let us = START_US;
  messages.forEach((message, i) => {
    // Bursts: journald stamps a read pass with one microsecond; every 7th entry starts a new one.
    if (i % 7 === 0) us += 1000n;
    // A field of its own per entry: journalctl merges journal files and shows entries that are the
    // same in every field (time, boot, message) once, and this mix repeats messages within a burst.
    entries.push({ message, realtimeUs: us, pid: i % 50 === 0 ? null : 1000 + (i % 3), fields: { TEST_ENTRY: String(i) } });
  });
  // A _PID any native-protocol client can write: copied into the `pid` field, so it must be escaped.
  entries.push({ message: 'pid with quotes', realtimeUs: us + 1n, fields: { _PID: '4"2\\', TEST_ENTRY: 'pid' } });
  return entries;
}

/** Journal directories of real Ollama captures (test/fixtures/real-ollama), as export files or journals. */
function realCaptureEntries(): string[] {
  if (!existsSync(REAL_CAPTURES)) return [];
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (/\.export(\.gz)?$/.test(name.name)) files.push(path);
    }
  };
  walk(REAL_CAPTURES);
  return files;
}

function journalJson(dir: string): Buffer {
  const [command, ...args] = ['journalctl', ...journalctlArgs({ unit: 'ollama', journalDir: dir, command: ['journalctl'] }, { sinceMs: null })];
  return execFileSync(command, args, { maxBuffer: 1 << 30 });
}

/**
 * The `model` tag of a request, as the lifecycle tracker would give it: here a fixed function of the
 * path, with a name that needs escaping. Counts the requests from the byte-level gin path.
 */
function modelObserver(): { observer: LineObserver; ginPath: () => number } {
  let ginPath = 0;
  const modelOf = (path: unknown): string => (typeof path === 'string' && path.startsWith('/api/chat') ? 'my model,v=1' : '');
  return {
    observer: {
      line: (parsed) => (parsed.kind === 'request' ? modelOf(parsed['path']) : ''),
      request: (request) => {
        ginPath++;
        return modelOf(request.path);
      },
    },
    ginPath: () => ginPath,
  };
}

function compareEncoders(output: Buffer, settings: EncoderSettings): { entries: number; fallbacks: number; lines: number; ginPath: number } {
  const reference = createEntryEncoder({ ...settings, observer: modelObserver().observer });
  const observer = modelObserver();
  const bytes = createByteEncoder({ ...settings, observer: observer.observer });
  const batch = new LineBatch();
  let entries = 0;
  let lines = 0;
  let start = 0;
  for (let end = output.indexOf(10); end !== -1; start = end + 1, end = output.indexOf(10, start)) {
    const text = output.toString('utf8', start, end);
    const expected: string[] = [];
    reference(decodeJournalLine(text), expected);
    batch.reset();
    bytes.encode(output, start, end, batch);
    const actual = batch.body(0, batch.lines).toString('utf8');
    if (actual !== expected.map((line) => `${line}\n`).join('')) {
      expect(actual, `entry ${entries}: ${text.slice(0, 300)}`).toBe(expected.map((line) => `${line}\n`).join(''));
    }
    expect(batch.lastCursor()).toBe(decodeJournalLine(text).cursor);
    entries++;
    lines += batch.lines;
  }
  return { entries, fallbacks: bytes.fallbacks, lines, ginPath: observer.ginPath() };
}

describe('byte encoder == string encoder (the oracle), on real journalctl output', () => {
  const settings = (msgHashMode: 'tag' | 'field'): EncoderSettings => ({
    host: 'gpu box,1',
    msgHashMode,
    // A name that needs escaping as a tag, as the event's `model` tag.
    modelFor: (sha) => (sha === SHA ? 'gemma3 12b,v=1' : null),
  });

  for (const mode of ['tag', 'field'] as const) {
    it(`a mixed journal of ~6,300 entries, MSG_HASH_MODE=${mode}`, async () => {
      const dir = tempDir('byte-encoder');
      const entries = mixedEntries();
      // Two journal files, so journalctl interleaves entries of two seqnum IDs (the encoder keeps
      // per-ID state: the ID's string and the hash of its prefix).
      await writeJournal(dir, entries.filter((_, i) => i % 5 !== 0));
      await writeJournal(dir, entries.filter((_, i) => i % 5 === 0), 'other.journal');
      const output = journalJson(dir);
      expect(new Set(output.toString('latin1').match(/"__CURSOR":"s=[0-9a-f]+/g)).size).toBe(2);
      const result = compareEncoders(output, settings(mode));
      expect(result.entries).toBe(entries.length);
      expect(result.lines).toBeGreaterThan(entries.length);
      // The fast path must carry nearly everything; the few fallbacks are the hostile entries.
      expect(result.fallbacks).toBeGreaterThan(0);
      expect(result.fallbacks).toBeLessThan(entries.length * 0.03);
      // The byte-level gin path carried the mix's gin lines (60 % of 6,000) and plain variants.
      expect(result.ginPath).toBeGreaterThan(3600);
    });
  }

  it('real Ollama captures (test/fixtures/real-ollama), both modes', async () => {
    const captures = realCaptureEntries();
    for (const file of captures) {
      const dir = tempDir('byte-encoder-real');
      const exportBytes = file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file);
      execFileSync('/lib/systemd/systemd-journal-remote', [`--output=${join(dir, 'system.journal')}`, '-'], { input: exportBytes });
      const output = journalJson(dir);
      for (const mode of ['tag', 'field'] as const) {
        const result = compareEncoders(output, settings(mode));
        expect(result.entries, file).toBeGreaterThan(0);
      }
    }
  });
});

describe('byte encoder == string encoder on fields journald stores more than once or as bytes', () => {
  it('a repeated MESSAGE (kept one per line), a repeated _PID and a binary _PID', async () => {
    const { exportEntry } = await import('../support/journal-export.mjs');
    const withExtra = (entry: FixtureEntry, extra: Buffer): Buffer => {
      const bytes = exportEntry(entry) as Buffer;
      return Buffer.concat([bytes.subarray(0, bytes.length - 1), extra, Buffer.from('\n')]);
    };
    const binaryPid = Buffer.concat([Buffer.from('_PID\n'), Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0x31, 0x01]), Buffer.from('\n')]);
    const input = Buffer.concat([
      withExtra({ message: '[GIN] 2025/03/02 - 09:14:09 | 200 |  1ms |  127.0.0.1 | POST     "/api/chat"', realtimeUs: START_US }, Buffer.from('MESSAGE=second "line"\n')),
      withExtra({ message: 'two pids', realtimeUs: START_US + 1n }, Buffer.from('_PID=77\n')),
      withExtra({ message: 'binary pid', realtimeUs: START_US + 2n, pid: null }, binaryPid),
      exportEntry({ message: 'plain after them', realtimeUs: START_US + 3n }) as Buffer,
    ]);
    const dir = tempDir('byte-encoder-repeated');
    execFileSync('/lib/systemd/systemd-journal-remote', [`--output=${join(dir, 'system.journal')}`, '-'], { input });
    const output = journalJson(dir);
    // journalctl itself shows the repeats and the bytes as JSON arrays.
    expect(output.toString()).toContain('"MESSAGE":["[GIN]');
    expect(output.toString()).toContain('"_PID":["4242","77"]');
    expect(output.toString()).toContain('"_PID":[49,1]');
    for (const mode of ['tag', 'field'] as const) {
      const result = compareEncoders(output, { host: 'h', msgHashMode: mode, modelFor: () => null });
      expect(result.entries).toBe(4);
      // The three odd entries take the string path; the last one does not.
      expect(result.fallbacks).toBe(3);
    }
  });
});

describe('couldBeKnown (the byte-level prefilter before parseMessage)', () => {
  it('lets through every sample line of every kind in the table', async () => {
    const { couldBeKnown } = await import('../../src/ollama/parse/line-starts.js');
    for (const kind of KINDS) {
      for (const sample of kind.samples) {
        const bytes = Buffer.from(sample.line, 'utf8');
        expect(couldBeKnown(bytes, 0, bytes.length), `${kind.kind}: ${sample.line}`).toBe(true);
      }
    }
  });

  it('filters out subprocess output and empty lines', async () => {
    const { couldBeKnown } = await import('../../src/ollama/parse/line-starts.js');
    for (const line of ['llama_model_loader: - type  f32:   65 tensors', '', 'goroutine 1 [running]:', 'load_tensors: offloading 28 repeating layers to GPU']) {
      const bytes = Buffer.from(line);
      expect(couldBeKnown(bytes, 0, bytes.length), line).toBe(false);
    }
  });
});
