import { describe, expect, it } from 'vitest';
import { decodeJournalLine, decodeMessage, JournalDecodeError } from '../../src/journal/decode.js';
import { entryTimeMs } from '../../src/journal/entry.js';

const CURSOR = 's=7f3c1a9e2b7d4e0f8a6b5c4d3e2f1a0b;i=2a41;b=5f0e5c9b7c1f4c0c9d2b0a4e8f6a1b2c;m=9a3b1c;t=62f1d2c3b4a59;x=4be1a7c9d0e2f3a1';
const REALTIME = '1740906849118123';

function line(fields: Record<string, unknown>): string {
  return JSON.stringify({ __CURSOR: CURSOR, __REALTIME_TIMESTAMP: REALTIME, _PID: '1187', ...fields });
}

describe('decodeJournalLine', () => {
  it('takes a string MESSAGE as it is', () => {
    const message = 'time=2025-03-02T09:14:09.118+03:00 level=INFO source=server.go:600 msg="llama runner started in 4.26 seconds"';
    expect(decodeJournalLine(line({ MESSAGE: message }))).toEqual({
      cursor: CURSOR,
      realtimeUs: REALTIME,
      message,
      pid: '1187',
    });
  });

  it('decodes a byte-array MESSAGE as UTF-8, invalid bytes becoming U+FFFD and nothing dropped', () => {
    // "[GIN] é" + 0xff + lone continuation byte 0x80 + "ok" + truncated 3-byte sequence at the end.
    const bytes = [...Buffer.from('[GIN] é'), 0xff, 0x80, ...Buffer.from('ok'), 0xe2, 0x82];
    const entry = decodeJournalLine(line({ MESSAGE: bytes }));
    expect(entry.message).toBe('[GIN] é\uFFFD\uFFFDok\uFFFD');
    expect(entry.message.startsWith('[GIN] é')).toBe(true);
  });

  it('decodes a valid byte-array MESSAGE (control characters) exactly', () => {
    const text = 'load_tensors:\u001b[0m offloaded 33/33 layers to GPU\ttab';
    expect(decodeJournalLine(line({ MESSAGE: [...Buffer.from(text)] })).message).toBe(text);
  });

  it('turns a null or absent MESSAGE into an empty message, keeping the entry', () => {
    const fromNull = decodeJournalLine(line({ MESSAGE: null }));
    expect(fromNull.message).toBe('');
    expect(fromNull.cursor).toBe(CURSOR);
    expect(decodeJournalLine(JSON.stringify({ __CURSOR: CURSOR, __REALTIME_TIMESTAMP: REALTIME })).message).toBe('');
  });

  it('gives an empty pid when _PID is absent', () => {
    const entry = decodeJournalLine(JSON.stringify({ __CURSOR: CURSOR, __REALTIME_TIMESTAMP: REALTIME, MESSAGE: 'x' }));
    expect(entry.pid).toBe('');
  });

  it('refuses an entry without a cursor', () => {
    const text = JSON.stringify({ __REALTIME_TIMESTAMP: REALTIME, MESSAGE: 'x' });
    expect(() => decodeJournalLine(text)).toThrow(JournalDecodeError);
    expect(() => decodeJournalLine(text)).toThrow(/__CURSOR/);
  });

  it('refuses an entry without a numeric realtime timestamp', () => {
    expect(() => decodeJournalLine(JSON.stringify({ __CURSOR: CURSOR, MESSAGE: 'x' }))).toThrow(JournalDecodeError);
    expect(() => decodeJournalLine(line({ __REALTIME_TIMESTAMP: '17409e5' }))).toThrow(JournalDecodeError);
    expect(() => decodeJournalLine(line({ __REALTIME_TIMESTAMP: 1740906849118123 }))).toThrow(JournalDecodeError);
  });

  it('refuses a line that is not JSON, quoting its start', () => {
    const text = '-- No entries --';
    expect(() => decodeJournalLine(text)).toThrow(JournalDecodeError);
    expect(() => decodeJournalLine(text)).toThrow(/not JSON: -- No entries --/);
  });

  it('gives the entry time in milliseconds', () => {
    expect(entryTimeMs(decodeJournalLine(line({ MESSAGE: 'x' })))).toBeCloseTo(1740906849118.123, 3);
  });
});

describe('decodeMessage', () => {
  it('handles every shape journalctl prints', () => {
    expect(decodeMessage('plain')).toBe('plain');
    expect(decodeMessage([104, 105])).toBe('hi');
    expect(decodeMessage([])).toBe('');
    expect(decodeMessage(null)).toBe('');
    expect(decodeMessage(undefined)).toBe('');
  });
});

describe('decodeJournalLine on JSON that is not an entry', () => {
  it('throws JournalDecodeError for null, numbers and arrays', () => {
    for (const line of ['null', '42', '[1,2]']) expect(() => decodeJournalLine(line)).toThrow(JournalDecodeError);
  });
});

describe('a MESSAGE field given twice in one entry (real journalctl output)', () => {
  it('keeps both values, one per line, instead of turning them into NUL bytes', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'twice-'));
    // Journal export format: the native protocol lets a client send a field more than once.
    const entry =
      '__REALTIME_TIMESTAMP=1763000000000000\n__MONOTONIC_TIMESTAMP=1\n_BOOT_ID=5f0e5c9b7c1f4c0c9d2b0a4e8f6a1b2c\n' +
      '_SYSTEMD_UNIT=ollama.service\nMESSAGE=first value\nMESSAGE=second value\n_PID=7\n\n';
    execFileSync('/lib/systemd/systemd-journal-remote', [`--output=${join(dir, 'system.journal')}`, '-'], { input: entry });
    const line = execFileSync('journalctl', ['-D', dir, '-u', 'ollama', '-o', 'json', '--all', '--output-fields=MESSAGE,_PID'], { encoding: 'utf8' }).trim();
    expect(JSON.parse(line).MESSAGE).toEqual(['first value', 'second value']);
    expect(decodeJournalLine(line).message).toBe('first value\nsecond value');
  });
});
