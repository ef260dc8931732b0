// The export-format chunker (journal/export-entries.ts) on real `journalctl -o export` output of a real
// journal file: however the pipe cuts the stream, every entry comes out whole, exactly once, in order;
// binary values that hold blank lines do not end an entry early; an oversized entry is dropped with its
// cursor and time. The expected entries come from journalctl's JSON output of the same journal.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryEnd, exportEntryPlace, forEachEntry, wholeEntryChunks } from '../../src/journal/export-entries.js';
import { decodeExportEntry } from '../../src/journal/export-fields.js';
import { decodeJournalLine } from '../../src/journal/decode.js';
import type { JournalEntry } from '../../src/journal/entry.js';
import { tempDir, writeJournal } from '../support/journal.js';

const START_US = 1_763_300_000_000_000n;

async function* pieces(parts: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield part;
}

/** The entries of a stream cut into `parts`, decoded, plus the oversized ones reported. */
async function collect(parts: readonly Buffer[], maxEntryBytes?: number): Promise<{ entries: JournalEntry[]; dropped: [string, number][] }> {
  const entries: JournalEntry[] = [];
  const dropped: [string, number][] = [];
  for await (const chunk of wholeEntryChunks(pieces(parts), (head, bytes) => dropped.push([head, bytes]), maxEntryBytes)) {
    expect(chunk.length).toBeGreaterThan(0);
    forEachEntry(chunk, (start, end) => entries.push(decodeExportEntry(chunk, start, end)));
  }
  return { entries, dropped };
}

/** A real journal with text and binary messages (blank lines and NULs inside), read back both ways. */
async function journal(): Promise<{ exported: Buffer; expected: JournalEntry[] }> {
  const dir = tempDir('export-entries');
  const messages: (string | Buffer)[] = [
    'plain text',
    'two\n\nblank lines\n\n',
    Buffer.from([0x00, 0x0a, 0x0a, 0xff, 0x0a]),
    'µs and 🦙',
    'say "hi" C:\\x',
    '',
    'x'.repeat(5000),
    '[GIN] 2025/03/02 - 09:14:09 | 200 |  1ms |  127.0.0.1 | POST     "/api/chat"',
  ];
  await writeJournal(dir, messages.map((message, i) => ({ message, realtimeUs: START_US + BigInt(i) })));
  const args = ['-D', dir, '-u', 'ollama', '--all', '--no-pager', '--output-fields=MESSAGE,_PID'];
  const exported = execFileSync('journalctl', [...args, '-o', 'export']);
  const json = execFileSync('journalctl', [...args, '-o', 'json']).toString('utf8').split('\n').filter((line) => line !== '');
  return { exported, expected: json.map(decodeJournalLine) };
}

describe('wholeEntryChunks + forEachEntry on real journalctl -o export output', () => {
  it('reads every entry as journalctl\'s JSON shows it, in one piece', async () => {
    const { exported, expected } = await journal();
    expect(expected).toHaveLength(8);
    expect(expected[2]!.message).toBe('\u0000\n\n\ufffd\n');
    expect((await collect([exported])).entries).toEqual(expected);
  });

  it('gives the same entries however the stream is cut (every cut point, and byte by byte)', async () => {
    const { exported, expected } = await journal();
    for (let cut = 0; cut <= exported.length; cut += 1 + (cut % 13)) {
      const { entries } = await collect([exported.subarray(0, cut), exported.subarray(cut)]);
      expect(entries, `cut at ${cut}`).toEqual(expected);
    }
    const single = (await collect([...exported].map((byte) => Buffer.from([byte])))).entries;
    expect(single).toEqual(expected);
  });

  it('does not yield a last entry without its end (journalctl stopped mid-entry; the next pass reads it again)', async () => {
    const { exported, expected } = await journal();
    const { entries } = await collect([exported.subarray(0, exported.length - 1)]);
    expect(entries).toEqual(expected.slice(0, -1));
  });

  it('drops an entry longer than the limit, reports its cursor and time, and keeps the entries around it', async () => {
    const { exported, expected } = await journal();
    const parts = Array.from({ length: Math.ceil(exported.length / 700) }, (_, i) => exported.subarray(i * 700, i * 700 + 700));
    const { entries, dropped } = await collect(parts, 4096);
    // The 5,000-byte message is the only entry over 4 KiB.
    expect(entries).toEqual(expected.filter((entry) => entry.message.length !== 5000));
    expect(dropped).toHaveLength(1);
    const [head, bytes] = dropped[0]!;
    const big = expected.find((entry) => entry.message.length === 5000)!;
    expect(exportEntryPlace(head)).toEqual({ cursor: big.cursor, realtimeUs: big.realtimeUs });
    expect(bytes).toBeGreaterThan(5000);
  });

  it('reports a dropped entry in its place: after the entries before it, even within one read', async () => {
    const { exported, expected } = await journal();
    const order: string[] = [];
    const stream = wholeEntryChunks(pieces([exported]), (head) => order.push(`dropped ${exportEntryPlace(head).cursor}`), 4096);
    for await (const chunk of stream) forEachEntry(chunk, (start, end) => order.push(decodeExportEntry(chunk, start, end).cursor));
    // The shipper checkpoints in this order: a dropped entry reported early could move the checkpoint past entries not yet shipped.
    expect(order).toEqual(expected.map((entry) => (entry.message.length === 5000 ? `dropped ${entry.cursor}` : entry.cursor)));
  });

  it('finds the end of the first entry alone (the saved cursor check)', async () => {
    const { exported, expected } = await journal();
    const end = entryEnd(exported, 0, exported.length);
    expect(decodeExportEntry(exported, 0, end)).toEqual(expected[0]);
    expect(entryEnd(exported, 0, end - 1)).toBe(-1);
  });
});

describe('exportEntryPlace', () => {
  it('reads the cursor and the time only from the first two lines', () => {
    expect(exportEntryPlace('__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=17\nMESSAGE=x\n')).toEqual({ cursor: 's=1;i=2', realtimeUs: '17' });
    expect(exportEntryPlace('MESSAGE=x\n__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=17\n')).toEqual({ cursor: null, realtimeUs: null });
    expect(exportEntryPlace('__CURSOR=s=1\n__REALTIME_TIMESTAMP=1x\n')).toEqual({ cursor: 's=1', realtimeUs: null });
  });
});
