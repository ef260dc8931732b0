import { describe, expect, it } from 'vitest';
import { forEachLine, wholeLineChunks } from '../../src/journal/lines.js';

async function* chunks(parts: readonly (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
}

async function collect(parts: readonly (string | Buffer)[]): Promise<{ lines: string[]; yields: number }> {
  const lines: string[] = [];
  let yields = 0;
  for await (const chunk of wholeLineChunks(chunks(parts))) {
    expect(chunk.length).toBeGreaterThan(0);
    expect(chunk[chunk.length - 1]).toBe(10);
    yields++;
    forEachLine(chunk, (start, end) => lines.push(chunk.toString('utf8', start, end)));
  }
  return { lines, yields };
}

describe('wholeLineChunks + forEachLine', () => {
  it('yields the complete lines of one chunk together', async () => {
    expect(await collect(['{"a":1}\n{"b":2}\n{"c":3}\n'])).toEqual({ lines: ['{"a":1}', '{"b":2}', '{"c":3}'], yields: 1 });
  });

  it('joins a line split across chunks', async () => {
    const { lines } = await collect(['{"MESSAGE":"first"}\n{"MESS', 'AGE":"sec', 'ond"}\n{"MESSAGE":"third"}\n']);
    expect(lines).toEqual(['{"MESSAGE":"first"}', '{"MESSAGE":"second"}', '{"MESSAGE":"third"}']);
  });

  it('keeps a multi-byte UTF-8 character split across chunks intact', async () => {
    const text = '[GIN] 41.07µs — ok 🦙\n';
    const bytes = Buffer.from(text, 'utf8');
    const micro = bytes.indexOf(Buffer.from('µ'));
    const llama = bytes.indexOf(Buffer.from('🦙'));
    // Cut inside µ (2 bytes) and twice inside the 4-byte llama.
    const cuts = [micro + 1, llama + 1, llama + 3];
    const parts = [bytes.subarray(0, cuts[0]), bytes.subarray(cuts[0], cuts[1]), bytes.subarray(cuts[1], cuts[2]), bytes.subarray(cuts[2])];
    expect((await collect(parts)).lines).toEqual([text.slice(0, -1)]);
  });

  it('splits correctly at every possible chunk boundary', async () => {
    const text = 'ä\nb€\n\nµs🦙\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { lines } = await collect([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(lines, `cut at ${cut}`).toEqual(['ä', 'b€', 'µs🦙']);
    }
    const { lines } = await collect([...bytes].map((byte) => Buffer.from([byte])));
    expect(lines).toEqual(['ä', 'b€', 'µs🦙']);
  });

  it('drops a last line without its newline (journalctl stopped mid-entry; the next pass reads it again)', async () => {
    expect((await collect(['one\ntw', 'o'])).lines).toEqual(['one']);
    expect((await collect(['only'])).lines).toEqual([]);
  });

  it('skips empty lines', async () => {
    expect((await collect(['\n\na\n\n', '\nb\n', '\n'])).lines).toEqual(['a', 'b']);
  });

  it('yields nothing for an empty stream or newlines only', async () => {
    expect(await collect([])).toEqual({ lines: [], yields: 0 });
    expect((await collect(['', '\n\n', ''])).lines).toEqual([]);
  });

  it('drops a line longer than the limit, hands over its two ends, and keeps the lines around it', async () => {
    const huge = `{"MESSAGE":[${'1,'.repeat(600)}2],"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"17"}`;
    const bytes = Buffer.from(`before\n${huge}\nafter\n`);
    const parts = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const lines: string[] = [];
    const dropped: [string, number][] = [];
    for await (const chunk of wholeLineChunks(chunks(parts), (ends, length) => dropped.push([ends, length]), 256)) {
      forEachLine(chunk, (start, end) => lines.push(chunk.toString('utf8', start, end)));
    }
    expect(lines).toEqual(['before', 'after']);
    expect(dropped).toHaveLength(1);
    const [ends, length] = dropped[0]!;
    expect(length).toBe(huge.length);
    expect(ends.startsWith('{"MESSAGE":[1,1,')).toBe(true);
    expect(ends.endsWith('"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"17"}')).toBe(true);
  });
});
