// Issue 9, item 4: one entry that cannot be decoded (or whose parsing throws) is skipped, counted and
// logged with its cursor; the pass goes on and the checkpoint moves past it. Real journal files,
// real journalctl, real InfluxDB.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ship } from '../support/ship-direct.js';
import { cliEnv, runCli } from '../support/cli.js';
import { countPoints, freshBucket, queryRows } from '../support/influx.js';
import { type FixtureEntry, entriesFrom, tempDir, writeJournal } from '../support/journal.js';

const START_US = 1_763_200_000_000_000n;

/** Every entry's cursor in journal order, as journalctl itself reports them (no MESSAGE printed). */
function cursors(dir: string): string[] {
  const out = execFileSync('journalctl', ['-D', dir, '-o', 'json', '--output-fields=_PID', '--no-pager'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.trim().split('\n').map((line) => (JSON.parse(line) as { __CURSOR: string }).__CURSOR);
}

/** A MESSAGE of random bytes (not UTF-8): journalctl prints it as a JSON array of ~4 characters per byte. */
function hugeBinaryEntry(realtimeUs: bigint, bytes: number): FixtureEntry {
  return { message: randomBytes(bytes), realtimeUs };
}

describe('poison pills in the journal', () => {
  it('skips a 24 MiB binary entry (counted, logged with its cursor), ships the rest and moves the checkpoint past it', async () => {
    const target = await freshBucket('poison-huge');
    const dir = tempDir('poison-huge');
    const state = tempDir('state');
    // A real non-UTF-8 line (byte-array MESSAGE) that must still be shipped, decoded with U+FFFD.
    const latin1 = Buffer.concat([Buffer.from('time=2025-07-22T23:20:00.000+10:00 level=INFO msg="caf'), Buffer.from([0xe9]), Buffer.from('"')]);
    await writeJournal(dir, [
      ...entriesFrom(Array.from({ length: 100 }, (_, i) => `before ${i}`), START_US),
      { message: latin1, realtimeUs: START_US + 200_000n },
      hugeBinaryEntry(START_US + 300_000n, 24 << 20),
      ...entriesFrom(Array.from({ length: 100 }, (_, i) => `after ${i}`), START_US + 400_000n),
      hugeBinaryEntry(START_US + 900_000n, 3 << 20),
    ]);
    const journalCursors = cursors(dir);
    expect(journalCursors).toHaveLength(203);
    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state });

    const first = await runCli(['once', '--json'], env);
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ read: 203, skipped: 0, cursor: journalCursors[202] });
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(201);
    const warnings = first.stderr.split('\n').filter((line) => line.includes('"error_type":"decode_failed"'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`"cursor":"${journalCursors[101]}"`);
    expect(warnings[1]).toContain(`"cursor":"${journalCursors[202]}"`);
    const cafe = await queryRows(
      target,
      `from(bucket: "${target.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "ollama_logs" and r._field == "message" and r._value =~ /caf/)`,
    );
    expect(cafe.map((r) => r['_value'])).toEqual(['time=2025-07-22T23:20:00.000+10:00 level=INFO msg="caf\uFFFD"']);

    // The checkpoint is past both: the next pass reads nothing and warns about nothing.
    const second = await runCli(['once', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ read: 0 });
    expect(second.stderr).not.toContain('decode_failed');
  }, 240_000);

  it('skips an entry whose parsing throws, logs its cursor and ships every other entry', async () => {
    const target = await freshBucket('poison-parse');
    const dir = tempDir('poison-parse');
    await writeJournal(dir, entriesFrom(Array.from({ length: 50 }, (_, i) => `line ${i}`), START_US));
    const journalCursors = cursors(dir);
    const logged: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (text: string) => logged.push(JSON.parse(text) as Record<string, unknown>) });
    // Fault injection: the encoder throws on one entry, as a parser bug would.
    const result = await ship(target, dir, tempDir('state'), logger, (line) => {
      if (line.includes('"MESSAGE":"line 17"')) throw new TypeError('parser bug');
    });
    expect(result).toMatchObject({ read: 50, cursor: journalCursors[49] });
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(49);
    const warning = logged.find((line) => line['error_type'] === 'parse_failed');
    expect(warning).toMatchObject({ cursor: journalCursors[17], reason: 'parser bug' });
  });
});
