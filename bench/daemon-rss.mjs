// Issue 9, item 3: the daemon's peak RSS with a 24 h window of REQUESTS (default 500,000) inference
// requests around model loads, and a models dir whose config blob is 300 MB. A fresh InfluxDB, a real
// journal; `ollama-influx run` ships the catch-up, scans the inventory and stores the timeline of the
// last 24 h; then new lines are appended and must arrive (it keeps shipping). Peak RSS is VmHWM from
// /proc. Then the daemon is restarted: it restores the lifecycle state from the day InfluxDB holds,
// stores the timeline again and must ship 100 more lines; its peak RSS is printed too. Node runs with
// the flags of bin/ollama-influx's first line; HEAP_FLAGS=1 with the heap caps it used to carry.
// Run: node bench/daemon-rss.mjs [REQUESTS]   (after npm run build)

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { InfluxDB } from '@influxdata/influxdb-client';
import { writeJournal } from '../test/support/journal-export.mjs';
import { shebangFlags } from './node-flags.mjs';

const REQUESTS = Number(process.argv[2] ?? 500_000);
const ROOT = new URL('..', import.meta.url).pathname;
const SHA = 'e8ad13eff07a78d89926e9e8b882317d082ef5bf9768ad7b50fcdbbcd63748de';
const BLOBS = '/usr/share/ollama/.ollama/models/blobs';

function gin(us, latency) {
  const d = new Date(Number(us / 1000n)).toISOString();
  return `[GIN] ${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)} - ${d.slice(11, 19)} | 200 | ${latency.padStart(13)} |      172.17.0.3 | POST     "/api/chat"`;
}

/** A server start, then a model load every 4 h, and REQUESTS chat requests spread over 24 h. */
function* day(count, endUs) {
  const startUs = endUs - 86_400_000_000n;
  yield { message: 'time=2025-07-22T23:20:00.000Z level=INFO source=routes.go:1288 msg="Listening on 127.0.0.1:11434 (version 0.9.6)"', realtimeUs: startUs };
  const step = 86_400_000_000n / BigInt(count + 1);
  for (let i = 0; i < count; i++) {
    const us = startUs + 1000n + BigInt(i) * step;
    if (i % Math.floor(count / 6) === 0) {
      yield { message: `time=2025-07-22T23:26:23.639Z level=INFO source=server.go:438 msg="starting llama server" cmd="/usr/local/bin/ollama runner --model ${BLOBS}/sha256-${SHA} --ctx-size 8192 --batch-size 512 --n-gpu-layers 49 --threads 6 --parallel 1 --port 39609"`, realtimeUs: us - 500n };
      yield { message: 'time=2025-07-22T23:26:29.159Z level=INFO source=server.go:637 msg="llama runner started in 5.52 seconds"', realtimeUs: us - 200n };
    }
    yield { message: gin(us, '120.5ms'), realtimeUs: us };
  }
}

function startInflux() {
  const out = execFileSync('bash', [join(ROOT, 'scripts/influxdb-test-server.sh'), 'start'], { encoding: 'utf8' });
  return Object.fromEntries(out.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ollama-influx-rss-'));
const influx = startInflux();
try {
  const endUs = BigInt(Date.now()) * 1000n - 120_000_000n;
  let t = Date.now();
  await writeJournal(join(dir), day(REQUESTS, endUs));
  console.log(`journal: ${REQUESTS} requests over 24 h written in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  // Models dir: one model whose config blob is 300 MB (sparse: its size is what counts).
  const models = join(dir, 'models');
  mkdirSync(join(models, 'blobs'), { recursive: true });
  mkdirSync(join(models, 'manifests/registry.ollama.ai/library/gemma3'), { recursive: true });
  writeFileSync(join(models, 'blobs', `sha256-${SHA}`), 'weights');
  const configHex = createHash('sha256').update('300 MB config').digest('hex');
  writeFileSync(join(models, 'blobs', `sha256-${configHex}`), '');
  truncateSync(join(models, 'blobs', `sha256-${configHex}`), 300 * 1024 * 1024);
  writeFileSync(
    join(models, 'manifests/registry.ollama.ai/library/gemma3/12b'),
    JSON.stringify({ schemaVersion: 2, config: { digest: `sha256:${configHex}`, size: 300 * 1024 * 1024 }, layers: [{ mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${SHA}`, size: 7 }] }),
  );
  writeFileSync(join(dir, 'empty.env'), '');

  const env = {
    PATH: process.env.PATH, HOME: process.env.HOME, INFLUXDB_URL: influx.INFLUXDB_URL, INFLUXDB_TOKEN: influx.INFLUXDB_TOKEN,
    INFLUXDB_ORG: influx.INFLUXDB_ORG, INFLUXDB_BUCKET: influx.INFLUXDB_BUCKET, JOURNAL_DIR: dir, STATE_DIR: join(dir, 'state'),
    OLLAMA_MODELS_DIR: models, HOST_TAG: 'rss-host', INITIAL_LOOKBACK: '25h', POLL_INTERVAL: '2s', LOG_LEVEL: 'debug',
  };
  // A free port for the daemon's /metrics server (kept on: it is part of what the daemon holds).
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
  env.METRICS_LISTEN = `127.0.0.1:${port}`;
  // What the installed daemon gets: the node flags in bin/ollama-influx's first line (HEAP_FLAGS=1: the
  // heap caps the bin script used to carry).
  const flags = process.env.HEAP_FLAGS === '1' ? ['--max-semi-space-size=2', '--max-old-space-size=128'] : shebangFlags(ROOT);
  const startDaemon = () => {
    const child = spawn(process.execPath, [...flags, join(ROOT, 'bin/ollama-influx'), '--config', join(dir, 'empty.env'), 'run'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const daemon = { child, log: '', peak: 0, exited: null };
    child.stdout.on('data', (c) => (daemon.log += c.toString()));
    child.on('exit', (code, signal) => (daemon.exited = { code, signal }));
    const sample = setInterval(() => {
      const s = status(child.pid);
      if (s !== null) daemon.peak = Math.max(daemon.peak, s.hwm);
    }, 200);
    daemon.waitFor = async (what, fn, ms) => {
      const until = Date.now() + ms;
      while (!fn(daemon.log)) {
        if (daemon.exited !== null) throw new Error(`the daemon exited (${JSON.stringify(daemon.exited)}) while waiting for ${what}\n${daemon.log.slice(-3000)}`);
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${daemon.log.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    daemon.stop = async () => {
      clearInterval(sample);
      const alive = daemon.exited === null;
      if (alive) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      return alive;
    };
    return daemon;
  };
  const api = new InfluxDB({ url: influx.INFLUXDB_URL, token: influx.INFLUXDB_TOKEN, timeout: 120_000 }).getQueryApi(influx.INFLUXDB_ORG);
  /** Appends 100 new lines to the journal; how many of them InfluxDB has within two minutes. */
  const newLinesArrive = async (daemon, file) => {
    const newUs = BigInt(Date.now()) * 1000n;
    await writeJournal(dir, Array.from({ length: 100 }, (_, i) => ({ message: gin(newUs + BigInt(i), '1ms'), realtimeUs: newUs + BigInt(i) })), file);
    const recent = async () => {
      const rows = await api.collectRows(`from(bucket: "${influx.INFLUXDB_BUCKET}") |> range(start: ${new Date(Number(newUs / 1000n) - 1000).toISOString()}) |> filter(fn: (r) => r._measurement == "ollama_logs" and r._field == "message") |> group() |> count()`);
      return rows.length === 0 ? 0 : Number(rows[0]._value);
    };
    let arrived = 0;
    for (let i = 0; i < 120 && arrived < 100 && daemon.exited === null; i++) {
      arrived = await recent().catch(() => 0); // InfluxDB may be busy with the daemon's queries
      if (arrived < 100) await new Promise((r) => setTimeout(r, 1000));
    }
    return arrived;
  };

  t = Date.now();
  const first = startDaemon();
  await first.waitFor('the inventory scan', (log) => log.includes('model inventory scanned'), 120_000);
  await first.waitFor('the timeline of the catch-up', (log) => log.includes('timeline stored') || log.includes('storing the model lifecycle timeline failed'), 900_000);
  console.log(`catch-up + inventory + 24 h timeline: ${((Date.now() - t) / 1000).toFixed(0)} s, peak RSS so far ${first.peak.toFixed(0)} MiB`);
  // Still shipping: 100 new lines must arrive.
  const arrived = await newLinesArrive(first, 'new.journal');
  const alive = await first.stop();
  console.log(`node flags: ${flags.length > 0 ? flags.join(' ') : 'none'}; daemon alive: ${alive}; new lines arrived: ${arrived}/100; peak RSS (VmHWM): ${first.peak.toFixed(0)} MiB; target 120 MiB`);
  const warn = first.log.split('\n').find((l) => l.includes('config blob') && l.includes('bytes, more than'));
  if (warn) console.log(`inventory warning: ${JSON.parse(warn).msg}`);

  // A restart: the daemon restores the lifecycle state from the day InfluxDB now holds (every request
  // of it), then stores the timeline since its start and keeps shipping.
  t = Date.now();
  const second = startDaemon();
  const restored = (log) => log.split('\n').find((l) => l.includes('lifecycle state restored from InfluxDB') || l.includes('could not read the recent lifecycle'));
  await second.waitFor('the lifecycle warm-up', restored, 300_000);
  const warmUp = JSON.parse(restored(second.log));
  await second.waitFor('the timeline after the restart', (log) => log.includes('timeline stored') || log.includes('storing the model lifecycle timeline failed'), 900_000);
  const arrivedAfter = await newLinesArrive(second, 'newer.journal');
  const aliveAfter = await second.stop();
  console.log(
    `restart: ${warmUp.msg} (${warmUp.requests ?? '?'} requests, ${warmUp.events ?? '?'} events); timeline stored; ${((Date.now() - t) / 1000).toFixed(0)} s; ` +
      `daemon alive: ${aliveAfter}; new lines arrived: ${arrivedAfter}/100; peak RSS (VmHWM): ${second.peak.toFixed(0)} MiB`,
  );
} finally {
  execFileSync('bash', [join(ROOT, 'scripts/influxdb-test-server.sh'), 'stop', influx.INFLUXD_PID]);
  rmSync(dir, { recursive: true, force: true });
}
