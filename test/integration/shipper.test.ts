// The core promise, on a real InfluxDB and real journal files: every entry lands exactly once,
// whatever happens to the process, the network or individual lines.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, collect, runCli, startCli } from '../support/cli.js';
import { countPoints, freshBucket, queryRows, readOnlyToken, waitFor } from '../support/influx.js';
import { entriesFrom, tempDir, writeJournal, type FixtureEntry } from '../support/journal.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const START_US = 1_763_000_000_000_000n; // 2025-11-13, inside InfluxDB's infinite-retention shard range

function ginLines(count: number, offset = 0): string[] {
  return Array.from(
    { length: count },
    (_, i) => `[GIN] 2025/11/13 - 02:13:${String((i + offset) % 60).padStart(2, '0')} | 200 |  ${(i % 900) + 1}.5ms |       10.0.0.${i % 250} | POST     "/api/chat"`,
  );
}

async function onceJson(env: NodeJS.ProcessEnv): Promise<{ read: number; written: number; skipped: number; cursor: string | null }> {
  const result = await runCli(['once', '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim()) as { read: number; written: number; skipped: number; cursor: string | null };
}

describe('ollama_logs shipping', () => {
  it('writes one row per entry, and replays (again, and with the state deleted) add none', async () => {
    const target = await freshBucket('rows');
    const dir = tempDir('journal');
    const state = tempDir('state');
    const big = `time=2025-11-13T02:13:00.000Z level=INFO source=routes.go:1 msg="server config" env="map[${'OLLAMA_X:y '.repeat(600)}]"`;
    const nonUtf8 = Buffer.concat([Buffer.from('llama_model_loader: name = '), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(' end')]);
    const messages: (string | Buffer)[] = [...ginLines(1200), big, nonUtf8, 'panic: runtime error\n\tgoroutine 1 [running]:', 'quote " and \\ backslash, comma=equals'];
    await writeJournal(dir, entriesFrom(messages, START_US));
    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state });

    const first = await onceJson(env);
    expect(first.read).toBe(messages.length);
    expect(first.skipped).toBe(0);
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(messages.length);
    expect(await countPoints(target, 'ollama_requests', 'latency_ms')).toBe(1200);

    const again = await onceJson(env);
    expect(again.read).toBe(0);
    // Without a checkpoint reading starts at the second of the newest stored point (see
    // migration.test.ts): 1204 entries 1 ms apart from a whole second leave 204 in that second,
    // passed over or (the newest microsecond) overwritten ...
    rmSync(join(state, 'cursor.json'));
    const fresh = await onceJson(env);
    expect(fresh.read).toBe(204);
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(messages.length);
    // ... and a checkpoint rewound to the first entry replays all the others.
    const firstLine = execFileSync('journalctl', ['-D', dir, '-o', 'json', '--output-fields=_PID', '--no-pager'], { encoding: 'utf8' }).split('\n')[0]!;
    const firstEntry = JSON.parse(firstLine) as { __CURSOR: string; __REALTIME_TIMESTAMP: string };
    writeFileSync(join(state, 'cursor.json'), JSON.stringify({ cursor: firstEntry.__CURSOR, realtimeUs: firstEntry.__REALTIME_TIMESTAMP, unit: 'ollama' }));
    const replay = await onceJson(env);
    expect(replay.read).toBe(messages.length - 1);
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(messages.length);
    expect(await countPoints(target, 'ollama_requests', 'latency_ms')).toBe(1200);

    const stored = await queryRows(
      target,
      `from(bucket: "${target.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "ollama_logs" and r._field == "message")
       |> filter(fn: (r) => r._value !~ /^\\[GIN\\]/) |> keep(columns: ["_value", "host", "source", "msg_hash"])`,
    );
    const values = stored.map((row) => row['_value']);
    expect(values).toContain(big);
    expect(big.length).toBeGreaterThan(4096);
    expect(values).toContain('llama_model_loader: name = \uFFFD\uFFFDA end');
    // Flux's CSV output turns a newline inside a value into CRLF, so compare inside the database.
    const multiLine = await queryRows(
      target,
      `from(bucket: "${target.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "ollama_logs" and r._field == "message")
       |> filter(fn: (r) => r._value == "panic: runtime error\\n\\tgoroutine 1 [running]:") |> group() |> count()`,
    );
    expect(multiLine[0]?.['_value']).toBe(1);
    expect(values).toContain('quote " and \\ backslash, comma=equals');
    expect(stored.every((row) => row['host'] === 'test-host' && row['source'] === 'systemd' && /^[0-9a-f]{16}$/.test(String(row['msg_hash'])))).toBe(true);
  });

  it('ships new entries after the checkpoint and only those', async () => {
    const target = await freshBucket('incremental');
    const dir = tempDir('journal');
    const state = tempDir('state');
    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state });
    await writeJournal(dir, entriesFrom(ginLines(300), START_US));
    expect((await onceJson(env)).read).toBe(300);
    await writeJournal(dir, entriesFrom(ginLines(200, 300), START_US + 10_000_000n));
    const second = await onceJson(env);
    expect(second.read).toBe(200);
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(500);
  });

  it('stores msg_hash as a field when MSG_HASH_MODE=field, still without duplicates', async () => {
    const target = await freshBucket('field-mode');
    const dir = tempDir('journal');
    const state = tempDir('state');
    // Two different lines in the same microsecond must not collide without the msg_hash tag.
    const entries: FixtureEntry[] = [
      { message: 'same microsecond A', realtimeUs: START_US },
      { message: 'same microsecond B', realtimeUs: START_US },
      ...entriesFrom(ginLines(100), START_US + 1000n),
    ];
    await writeJournal(dir, entries);
    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state, MSG_HASH_MODE: 'field' });
    await onceJson(env);
    rmSync(join(state, 'cursor.json'));
    await onceJson(env);
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(102);
    expect(await countPoints(target, 'ollama_logs', 'msg_hash')).toBe(102);
  });

  it('survives repeated kill -9 during a 50k-entry catch-up: rows == entries', async () => {
    const target = await freshBucket('kill9');
    const dir = tempDir('journal');
    const state = tempDir('state');
    const total = 50_000;
    await writeJournal(dir, entriesFrom(ginLines(total), START_US, 100n));
    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state });
    const cursorFile = join(state, 'cursor.json');
    let kills = 0;
    for (let round = 0; round < 4; round++) {
      const before = existsSync(cursorFile) ? readFileSync(cursorFile, 'utf8') : '';
      const child = startCli(['once'], env);
      const done = collect(child);
      // Kill as soon as this run has committed progress, i.e. mid-catch-up.
      await waitFor(() => existsSync(cursorFile) && readFileSync(cursorFile, 'utf8') !== before || child.exitCode !== null, 60_000, 'progress');
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills++;
      }
      const result = await done;
      if (result.signal !== 'SIGKILL') break;
    }
    expect(kills).toBeGreaterThanOrEqual(2);
    const last = await runCli(['once', '--json'], env);
    expect(last.code, last.stderr).toBe(0);
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(total);
    expect(await countPoints(target, 'ollama_requests', 'latency_ms')).toBe(total);
  });

  it('rides out an InfluxDB outage mid-run: rows == entries after it returns', async () => {
    const target = await freshBucket('outage');
    const server = new URL(target.url);
    const proxy = new TcpProxy(server.hostname, Number(server.port));
    await proxy.up();
    const dir = tempDir('journal');
    const state = tempDir('state');
    await writeJournal(dir, entriesFrom(ginLines(1000), START_US));
    const daemon = startCli(['run'], cliEnv({ ...target, url: proxy.url }, { JOURNAL_DIR: dir, STATE_DIR: state, POLL_INTERVAL: '500ms' }));
    let log = '';
    daemon.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = collect(daemon);
    const failedWrites = () => log.split('InfluxDB write failed; will retry').length - 1;
    try {
      await waitFor(async () => (await countPoints(target, 'ollama_logs', 'message')) === 1000, 30_000, 'first part');
      await proxy.down();
      await writeJournal(dir, entriesFrom(ginLines(2000, 1000), START_US + 10_000_000n));
      // The daemon has read the new entries and retried them several times (with backoff) while the
      // database was unreachable: its log says so.
      await waitFor(() => failedWrites() >= 3, 30_000, 'three failed writes during the outage');
      expect(await countPoints(target, 'ollama_logs', 'message')).toBe(1000);
      await proxy.up();
      await waitFor(async () => (await countPoints(target, 'ollama_logs', 'message')) === 3000, 90_000, 'catch-up after the outage');
    } finally {
      daemon.kill('SIGTERM');
      await proxy.down();
    }
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('InfluxDB write failed; will retry');
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(3000);
  });

  it('skips a line InfluxDB rejects, alone, and counts it', async () => {
    const target = await freshBucket('reject');
    // A field type conflict InfluxDB will refuse: load_seconds already exists as a string.
    const conflict = `ollama_events,host=test-host,event=model_loaded load_seconds="not a number" ${START_US}000`;
    const write = await fetch(`${target.url}/api/v2/write?org=${target.org}&bucket=${target.bucket}&precision=ns`, {
      method: 'POST',
      headers: { Authorization: `Token ${target.token}` },
      body: conflict,
    });
    expect(write.status).toBe(204);
    const dir = tempDir('journal');
    const state = tempDir('state');
    const messages = [
      ...ginLines(50),
      'time=2025-11-13T02:13:09.118Z level=INFO source=server.go:619 msg="llama runner started in 4.26 seconds"',
      ...ginLines(50, 50),
    ];
    await writeJournal(dir, entriesFrom(messages, START_US + 1000n));
    const result = await runCli(['once', '--json'], cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state }));
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { read: number; skipped: number };
    expect(summary).toMatchObject({ read: 101, skipped: 1 });
    expect(result.stderr).toContain('InfluxDB rejected a line; skipped it');
    expect(result.stderr).toContain('"cursor":"s=');
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(101);
    expect(await countPoints(target, 'ollama_requests', 'latency_ms')).toBe(100);
  });

  it('keeps the cursor on 401 and on a token without write permission, then ships everything', async () => {
    const target = await freshBucket('auth');
    const dir = tempDir('journal');
    const state = tempDir('state');
    await writeJournal(dir, entriesFrom(ginLines(100), START_US));
    const bad = await runCli(['once'], cliEnv({ ...target, token: 'wrong-token' }, { JOURNAL_DIR: dir, STATE_DIR: state }));
    expect(bad.code).toBe(78);
    expect(bad.stderr).toContain('OI_ERR_INFLUX_AUTH');
    expect(bad.stderr).not.toContain('wrong-token');
    expect(existsSync(join(state, 'cursor.json'))).toBe(false);

    const readOnly = await runCli(['once'], cliEnv({ ...target, token: await readOnlyToken(target.bucket) }, { JOURNAL_DIR: dir, STATE_DIR: state }));
    expect(readOnly.code).toBe(78);
    expect(existsSync(join(state, 'cursor.json'))).toBe(false);

    const good = await runCli(['once', '--json'], cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state }));
    expect(good.code, good.stderr).toBe(0);
    expect(await countPoints(target, 'ollama_logs', 'message')).toBe(100);
  });
});
