// End-to-end benchmark: on a generated journal of ≥ 300k entries, in one run, measure
//   (a) journalctl's own read time with the arguments the shipper uses,
//   (b) InfluxDB's own ingest time for the same points as pre-built line protocol,
//   (c) `ollama-influx once` end to end, with its peak RSS,
// and print max(a, b) / c (1.0 = the shipper is as fast as its slowest dependency).
// Also: parser throughput and its share of (c). Run with `npm run bench [-- ENTRIES]`.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_BATCH_LINES, MAX_IN_FLIGHT } from '../dist/daemon/ship.js';
import { createEntryEncoder } from '../dist/influx/points/encode.js';
import { decodeJournalLine } from '../dist/journal/decode.js';
import { journalctlArgs } from '../dist/journal/source.js';
import { parseMessage } from '../dist/ollama/parse/index.js';
import { realisticLine } from './mix.mjs';
import { writeJournal } from '../test/support/journal-export.mjs';

const ENTRIES = Number(process.argv[2] ?? 300_000);
// (b) sends what the shipper sends per request, with as many requests in flight.
const BATCH_LINES = MAX_BATCH_LINES;
const IN_FLIGHT = MAX_IN_FLIGHT;
const ROOT = new URL('..', import.meta.url).pathname;
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

function startInflux() {
  const out = execFileSync('bash', [join(ROOT, 'scripts/influxdb-test-server.sh'), 'start'], { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function stopInflux(server) {
  execFileSync('bash', [join(ROOT, 'scripts/influxdb-test-server.sh'), 'stop', server.INFLUXD_PID]);
}

async function createBucket(server, name) {
  const headers = { Authorization: `Token ${server.INFLUXDB_TOKEN}`, 'Content-Type': 'application/json' };
  const orgs = await (await fetch(`${server.INFLUXDB_URL}/api/v2/orgs?org=${server.INFLUXDB_ORG}`, { headers })).json();
  const res = await fetch(`${server.INFLUXDB_URL}/api/v2/buckets`, { method: 'POST', headers, body: JSON.stringify({ orgID: orgs.orgs[0].id, name }) });
  if (!res.ok) throw new Error(`bucket ${name}: ${res.status}`);
}

function post(server, bucket, body) {
  const url = new URL(`${server.INFLUXDB_URL}/api/v2/write?org=${server.INFLUXDB_ORG}&bucket=${bucket}&precision=ns`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { Authorization: `Token ${server.INFLUXDB_TOKEN}`, 'Content-Type': 'text/plain' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`write: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function journalctl(dir) {
  const [command, ...args] = ['journalctl', ...journalctlArgs({ unit: 'ollama', journalDir: dir, command: ['journalctl'] }, { sinceMs: null })];
  return { command, args };
}

async function timeJournalctl(dir) {
  const { command, args } = journalctl(dir);
  const start = process.hrtime.bigint();
  await new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', () => {});
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`journalctl exited ${code}`))));
  });
  return seconds(start);
}

function buildLines(dir) {
  const { command, args } = journalctl(dir);
  const output = execFileSync(command, args, { maxBuffer: 1 << 30 });
  const encode = createEntryEncoder({ host: 'bench-host', msgHashMode: 'tag', modelFor: () => null });
  const lines = [];
  const messages = [];
  for (const text of output.toString('utf8').split('\n')) {
    if (text === '') continue;
    const entry = decodeJournalLine(text);
    messages.push(entry.message);
    encode(entry, lines);
  }
  return { lines, messages };
}

async function timeIngest(server, bucket, lines) {
  const bodies = [];
  for (let i = 0; i < lines.length; i += BATCH_LINES) bodies.push(lines.slice(i, i + BATCH_LINES).join('\n'));
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) await post(server, bucket, bodies[next++]);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return seconds(start);
}

async function timeOnce(server, bucket, dir) {
  const state = mkdtempSync(join(tmpdir(), 'bench-state-'));
  const env = {
    PATH: process.env.PATH,
    INFLUXDB_URL: server.INFLUXDB_URL,
    INFLUXDB_TOKEN: server.INFLUXDB_TOKEN,
    INFLUXDB_ORG: server.INFLUXDB_ORG,
    INFLUXDB_BUCKET: bucket,
    JOURNAL_DIR: dir,
    STATE_DIR: state,
    INITIAL_LOOKBACK: 'all',
    HOST_TAG: 'bench-host',
    OLLAMA_MODELS_DIR: '/nonexistent',
    LOG_LEVEL: 'fatal',
  };
  const start = process.hrtime.bigint();
  const child = spawn(join(ROOT, 'bin/ollama-influx'), ['--config', '/dev/null', 'once', '--json'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let peakKb = 0;
  let cpu = 0;
  const poll = setInterval(() => {
    cpu = Math.max(cpu, cpuSeconds(child.pid));
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      /* exited */
    }
  }, 20);
  let stdout = '';
  child.stdout.on('data', (c) => (stdout += c));
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const elapsed = seconds(start);
  rmSync(state, { recursive: true, force: true });
  if (code !== 0) throw new Error(`once exited ${code}`);
  return { elapsed, peakMb: peakKb / 1024, cpu, result: JSON.parse(stdout) };
}

function timeParser(messages) {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = process.hrtime.bigint();
    for (const message of messages) parseMessage(message);
    best = Math.min(best, seconds(start));
  }
  return best;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-journal-'));
let server = startInflux();
try {
  const startUs = BigInt(Date.now() - 86_400_000) * 1000n;
  let t = startUs;
  const entries = (function* () {
    for (let i = 0; i < ENTRIES; i++) yield { message: realisticLine(), realtimeUs: (t += 250n) };
  })();
  let start = process.hrtime.bigint();
  await writeJournal(dir, entries);
  console.log(`journal: ${ENTRIES.toLocaleString('en-US')} entries written in ${seconds(start).toFixed(1)} s (${dir})`);

  const { lines, messages } = buildLines(dir);
  const a = await timeJournalctl(dir);
  // (b) and (c) each get a fresh server, so neither pays for compacting the other's data.
  await createBucket(server, 'bench');
  let before = cpuSeconds(server.INFLUXD_PID);
  const b = await timeIngest(server, 'bench', lines);
  const influxCpuB = cpuSeconds(server.INFLUXD_PID) - before;
  stopInflux(server);
  server = startInflux();
  await createBucket(server, 'bench');
  before = cpuSeconds(server.INFLUXD_PID);
  const c = await timeOnce(server, 'bench', dir);
  const influxCpuC = cpuSeconds(server.INFLUXD_PID) - before;
  const parser = timeParser(messages);

  const rate = (n, s) => `${Math.round(n / s).toLocaleString('en-US')}/s`;
  console.log(`(a) journalctl read            ${a.toFixed(2)} s  ${rate(ENTRIES, a)} entries`);
  console.log(`(b) InfluxDB ingest (LP)       ${b.toFixed(2)} s  ${rate(lines.length, b)} points (${lines.length.toLocaleString('en-US')} points, ${BATCH_LINES}/request, ${IN_FLIGHT} in flight)`);
  console.log(`(c) once end to end            ${c.elapsed.toFixed(2)} s  ${rate(ENTRIES, c.elapsed)} entries; read ${c.result.read}, written ${c.result.written}, skipped ${c.result.skipped}`);
  console.log(`CPU seconds: influxd ${influxCpuB.toFixed(1)} in (b), ${influxCpuC.toFixed(1)} in (c); ollama-influx ${c.cpu.toFixed(1)} in (c); ${os.cpus().length} cores`);
  console.log(`peak RSS of once               ${c.peakMb.toFixed(1)} MB   (target ≤ 120 MB)`);
  console.log(`ratio max(a, b) / c            ${(Math.max(a, b) / c.elapsed).toFixed(2)}   (target ≥ 0.8)`);
  console.log(`parser                         ${rate(messages.length, parser)} lines; ${parser.toFixed(2)} s = ${((parser / c.elapsed) * 100).toFixed(1)} % of (c) (target ≤ 10 %)`);
} finally {
  stopInflux(server);
  rmSync(dir, { recursive: true, force: true });
}
