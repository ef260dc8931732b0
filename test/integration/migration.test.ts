// Issue 9, item 5: a first run (no cursor) starts after the newest `ollama_logs` point the host
// already has, so switching from the original Python translator, or reinstalling after --purge,
// writes no line twice. The original's points are written here exactly as ollama_translator.py
// writes them (github.com/siv237/Ollama_Influx_Translator: tags source, host, msg_hash =
// sha256("<µs>:<cleaned text>"), field message = the text without non-printable characters,
// precision µs).

import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../support/cli.js';
import { type BucketTarget, countPoints, freshBucket } from '../support/influx.js';
import { type FixtureEntry, tempDir, writeJournal } from '../support/journal.js';
import { EVENING_LINES } from '../support/seed-evening.js';

const HOST = 'test-host';
/** Python's string.printable: what the original's clean_message keeps. */
const PRINTABLE = new Set([...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c']);

/** Real Ollama lines 20 s apart (300 span the 100 minutes after firstUs); entries 175–179 are one journald burst (one µs). */
function journalEntries(count: number, firstUs: bigint): FixtureEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    message: `${EVENING_LINES[i % EVENING_LINES.length]![1]}`,
    realtimeUs: firstUs + BigInt(i >= 175 && i <= 179 ? 175 : i) * 20_000_000n,
    pid: 35304,
  }));
}

async function writeAsOriginalTranslator(target: BucketTarget, entries: readonly FixtureEntry[]): Promise<void> {
  const lines = entries.map(({ message, realtimeUs }) => {
    const clean = [...String(message)].filter((c) => PRINTABLE.has(c)).join('');
    const hash = createHash('sha256').update(`${realtimeUs}:${clean}`).digest('hex');
    const field = clean.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    return `ollama_logs,host=${HOST},msg_hash=${hash},source=systemd message="${field}" ${realtimeUs}`;
  });
  const url = `${target.url}/api/v2/write?org=${encodeURIComponent(target.org)}&bucket=${encodeURIComponent(target.bucket)}&precision=us`;
  const response = await fetch(url, { method: 'POST', headers: { Authorization: `Token ${target.token}` }, body: lines.join('\n') });
  expect(response.status, await response.text()).toBe(204);
}

describe('first run after another tool', () => {
  it('starts after the original translator\'s newest point: every journal entry is one row', async () => {
    const target = await freshBucket('migrate-original');
    const dir = tempDir('migrate-original');
    const entries = journalEntries(300, BigInt(Date.now() - 2 * 3_600_000) * 1000n);
    await writeJournal(dir, entries);
    // The original shipped the first 180 entries (through the burst), then was replaced by us.
    await writeAsOriginalTranslator(target, entries.slice(0, 180));
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(180);

    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: tempDir('state'), INITIAL_LOOKBACK: '24h' });
    const result = await runCli(['once', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('starting after its newest point');
    // Hand count: 180 rows by the original + the 120 entries after its newest point = 300.
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(300);
  });

  it('reinstalling after --purge (no cursor) with the other MSG_HASH_MODE adds only the new entries', async () => {
    const target = await freshBucket('migrate-purge');
    const dir = tempDir('migrate-purge');
    const state = tempDir('state');
    const firstUs = BigInt(Date.now() - 2 * 3_600_000) * 1000n;
    await writeJournal(dir, journalEntries(300, firstUs));
    const first = await runCli(['once'], cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state, INITIAL_LOOKBACK: '24h' }));
    expect(first.code, first.stderr).toBe(0);
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(300);

    rmSync(state, { recursive: true, force: true }); // uninstall.sh --purge removes the state dir
    await writeJournal(dir, journalEntries(50, firstUs + 6_000_000_000n));
    // With MSG_HASH_MODE=field every key differs from the tag-mode rows: a re-read would double them.
    const second = await runCli(['once', '--json'], cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state, INITIAL_LOOKBACK: '24h', MSG_HASH_MODE: 'field' }));
    expect(second.code, second.stderr).toBe(0);
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(350);
  });
});
