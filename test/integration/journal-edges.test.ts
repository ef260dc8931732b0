// Journal-side trouble on real journal files: rotation, vacuum (a lost cursor), and how the
// process behaves on signals and bad config.

import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, collect, runCli, startCli } from '../support/cli.js';
import { countPoints, freshBucket, waitFor } from '../support/influx.js';
import { entriesFrom, tempDir, writeJournal } from '../support/journal.js';

const START_US = 1_763_100_000_000_000n;
const lines = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} line ${i}`);

describe('journal rotation and vacuum', () => {
  it('follows the cursor into an archived file after rotation: no loss, no duplicates', async () => {
    const target = await freshBucket('rotation');
    const dir = tempDir('journal');
    const state = tempDir('state');
    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state });
    await writeJournal(dir, entriesFrom(lines('before', 200), START_US));
    expect((await runCli(['once'], env)).code).toBe(0);
    renameSync(join(dir, 'system.journal'), join(dir, 'system@0000000000000000000000000000000a-0000000000000001-0000000000000001.journal'));
    await writeJournal(dir, entriesFrom(lines('after', 150), START_US + 5_000_000n));
    const result = await runCli(['once', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ read: 150 });
    expect(result.stderr).not.toContain('cursor_lost');
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(350);
  });

  it('detects a vacuumed cursor, reports it, and resumes at the oldest entry', async () => {
    const target = await freshBucket('vacuum');
    const dir = tempDir('journal');
    const state = tempDir('state');
    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state });
    await writeJournal(dir, entriesFrom(lines('old', 100), START_US));
    expect((await runCli(['once'], env)).code).toBe(0);
    rmSync(join(dir, 'system.journal')); // the vacuum: every entry up to and including the cursor is gone
    await writeJournal(dir, entriesFrom(lines('new', 80), START_US + 9_000_000n), 'system2.journal');
    const result = await runCli(['once', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ read: 80 });
    expect(result.stderr).toContain('"error_type":"cursor_lost"');
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(180);
  });
});

describe('process behaviour', () => {
  it('run stops on SIGTERM with exit 0 within 10 s and commits what was written', async () => {
    const target = await freshBucket('sigterm');
    const dir = tempDir('journal');
    const state = tempDir('state');
    await writeJournal(dir, entriesFrom(lines('daemon', 500), START_US));
    const daemon = startCli(['run'], cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state, POLL_INTERVAL: '1s' }));
    const exited = collect(daemon, 30_000);
    await waitFor(async () => (await countPoints(target, 'ollama_logs', 'message')) === 500, 30_000, 'the daemon to ship');
    const stopAt = Date.now();
    daemon.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    expect(result.stdout).toContain('"msg":"started"');
    expect(result.stdout).toContain('"msg":"stopped"');
    expect(result.stdout).not.toContain(target.token);
    const after = await runCli(['once', '--json'], cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state }));
    expect(JSON.parse(after.stdout)).toMatchObject({ read: 0 });
  });

  it('a config error is one line on stderr and exit 78', async () => {
    const target = await freshBucket('config');
    const result = await runCli(['run'], cliEnv(target, { POLL_INTERVAL: 'often' }));
    expect(result.code).toBe(78);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('POLL_INTERVAL');
    const missing = await runCli(['once'], { ...cliEnv(target, {}), INFLUXDB_TOKEN: '' });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('INFLUXDB_TOKEN is missing');
  });

  it('check reports ✓ for a good setup and ✗ with the fix for a bad token', async () => {
    const target = await freshBucket('check');
    const dir = tempDir('journal');
    await writeJournal(dir, entriesFrom(lines('check', 3), BigInt(Date.now()) * 1000n - 60_000_000n));
    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: tempDir('state') });
    const good = await runCli(['check'], env);
    expect(good.stdout).toMatch(/✓ config/);
    expect(good.stdout).toMatch(/✓ journal: .*has entries since/);
    expect(good.stdout).toMatch(/✓ write: the token can write/);
    const bad = await runCli(['check'], { ...env, INFLUXDB_TOKEN: 'nope' });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/✗ write: HTTP 401/);
    expect(bad.stdout).toContain('fix: INFLUXDB_TOKEN is rejected');
    const noBucket = await runCli(['check'], { ...env, INFLUXDB_BUCKET: 'missing-bucket' });
    expect(noBucket.stdout).toMatch(/✗ write: HTTP 404/);
  });
});
