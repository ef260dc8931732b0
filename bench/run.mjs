// End-to-end benchmark. On generated journals (300k and 1M entries by default, journald-like bursts
// sharing one microsecond), in one run, measure
//   (a) journalctl's own read time with the arguments the shipper uses,
//   (b) InfluxDB's own ingest time for the same points as pre-built line protocol,
//   (c) `ollama-influx once` end to end, for this build and for a baseline build of an older commit
//       (default: the last commit with the string pipeline), in both MSG_HASH_MODEs,
// and print max(a, b) / c (1.0 = the shipper is as fast as its slowest dependency), the shipper's CPU
// µs per entry, its GC share and its peak RSS (from the process itself, bench/gc-probe.mjs).
// (a), (b) and each build's (c) run --repeat times (builds alternating); the rows give the medians.
// Run with `npm run bench [-- --entries 300000,1000000] [--baseline REF] [--modes tag,field] [--repeat 3]`.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_BATCH_LINES } from '../dist/influx/line-batch.js';
import { MAX_IN_FLIGHT } from '../dist/daemon/ship.js';
import { createEntryEncoder } from '../dist/pipeline/encode.js';
import { decodeJournalLine } from '../dist/journal/decode.js';
import { journalctlArgs } from '../dist/journal/source.js';
import { realisticLine } from './mix.mjs';
import { shebangFlags } from './node-flags.mjs';
import { writeJournal } from '../test/support/journal-export.mjs';

const { values: options } = parseArgs({
  options: {
    entries: { type: 'string', default: '300000,1000000' },
    // The last commit whose pipeline built every line as a JS string (before the byte-level pipeline).
    baseline: { type: 'string', default: 'd30c0a5' },
    modes: { type: 'string', default: 'tag,field' },
    // Each build's (c) runs this many times, alternating with the other build: on a noisy VM one run's
    // CPU can differ from the next by a third, so the figures compared are the medians.
    repeat: { type: 'string', default: '3' },
  },
});
const REPEAT = Number(options.repeat);
if (!Number.isInteger(REPEAT) || REPEAT < 1) throw new Error(`--repeat must be a whole number ≥ 1, not ${options.repeat}`);
const SIZES = options.entries.split(',').map(Number);
const MODES = options.modes.split(',');
// (b) sends what the shipper sends per request, with as many requests in flight.
const BATCH_LINES = MAX_BATCH_LINES;
const IN_FLIGHT = MAX_IN_FLIGHT;
const ROOT = new URL('..', import.meta.url).pathname;
const CACHE = process.env.OLLAMA_INFLUX_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(os.homedir(), '.cache'), 'ollama-influx');
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

/** The baseline commit built into its own worktree (cached by commit), sharing this checkout's node_modules. */
function baselineBuild(ref) {
  const commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', ref], { encoding: 'utf8' }).trim();
  const dir = join(CACHE, `bench-baseline-${commit}`);
  if (!existsSync(join(dir, 'dist/cli/main.js'))) {
    mkdirSync(CACHE, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    execFileSync('git', ['-C', ROOT, 'worktree', 'prune']);
    execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', dir, commit], { stdio: 'ignore' });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
  }
  return { commit, dir };
}

/** The middle value (the lower of the two middle ones for an even count: a value that was measured). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
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

/** A fresh server with an empty bucket for each measured phase, so none pays for another's compaction. */
async function withFreshServer(fn) {
  const server = startInflux();
  try {
    await createBucket(server, 'bench');
    const before = cpuSeconds(server.INFLUXD_PID);
    const result = await fn(server);
    return { ...result, influxCpu: cpuSeconds(server.INFLUXD_PID) - before };
  } finally {
    stopInflux(server);
  }
}

function post(server, body) {
  const url = new URL(`${server.INFLUXDB_URL}/api/v2/write?org=${server.INFLUXDB_ORG}&bucket=bench&precision=ns`);
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

/** The request bodies the shipper sends (the string encoder is the byte encoder's oracle: same bytes). */
function buildBodies(dir, mode) {
  const { command, args } = journalctl(dir);
  const output = execFileSync(command, args, { maxBuffer: 2 ** 30 });
  const encode = createEntryEncoder({ host: 'bench-host', msgHashMode: mode, modelFor: () => null });
  const bodies = [];
  let lines = [];
  let points = 0;
  let start = 0;
  for (let end = output.indexOf(10); end !== -1; start = end + 1, end = output.indexOf(10, start)) {
    encode(decodeJournalLine(output.toString('utf8', start, end)), lines);
    if (lines.length >= BATCH_LINES) {
      points += lines.length;
      bodies.push(lines.join('\n'));
      lines = [];
    }
  }
  if (lines.length > 0) bodies.push(lines.join('\n'));
  return { bodies, points: points + lines.length };
}

async function timeIngest(server, bodies) {
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) await post(server, bodies[next++]);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { elapsed: seconds(start) };
}

async function timeOnce(server, build, dir, mode) {
  const state = mkdtempSync(join(tmpdir(), 'bench-state-'));
  const probeOut = join(state, 'probe.json');
  const env = {
    PATH: process.env.PATH,
    INFLUXDB_URL: server.INFLUXDB_URL,
    INFLUXDB_TOKEN: server.INFLUXDB_TOKEN,
    INFLUXDB_ORG: server.INFLUXDB_ORG,
    INFLUXDB_BUCKET: 'bench',
    JOURNAL_DIR: dir,
    STATE_DIR: state,
    INITIAL_LOOKBACK: 'all',
    HOST_TAG: 'bench-host',
    MSG_HASH_MODE: mode,
    OLLAMA_MODELS_DIR: '/nonexistent',
    LOG_LEVEL: 'fatal',
    GC_PROBE_OUT: probeOut,
  };
  const args = [...shebangFlags(build.dir), '--import', join(ROOT, 'bench/gc-probe.mjs'), join(build.dir, 'bin/ollama-influx'), '--config', '/dev/null', 'once', '--json'];
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (c) => (stdout += c));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const elapsed = seconds(start);
  const probe = JSON.parse(readFileSync(probeOut, 'utf8'));
  rmSync(state, { recursive: true, force: true });
  if (code !== 0) throw new Error(`once (${build.commit}) exited ${code}`);
  return { elapsed, probe, result: JSON.parse(stdout) };
}

/** journald-like: bursts of 1–40 lines share one microsecond, a few ms apart. */
function* benchEntries(count, startUs) {
  let t = startUs;
  let left = 0;
  for (let i = 0; i < count; i++) {
    if (left === 0) {
      t += 3000n;
      left = 1 + (i % 40);
    }
    left--;
    yield { message: realisticLine(), realtimeUs: t };
  }
}

const current = { commit: execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(), dir: ROOT };
const baseline = baselineBuild(options.baseline);
const fmt = (n, digits = 2) => n.toFixed(digits);
console.log(`ollama-influx bench: this build ${current.commit} (node flags: ${shebangFlags(ROOT).join(' ') || 'none'}) vs baseline ${baseline.commit} (node flags: ${shebangFlags(baseline.dir).join(' ') || 'none'}); ${os.cpus().length} cores`);

// Process CPU (s) per size, mode and build, for the marginal cost printed at the end.
const cpuOfRun = new Map();
const cpuKey = (size, mode, build) => `${size} ${mode} ${build.commit}`;

for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-journal-'));
  try {
    let start = process.hrtime.bigint();
    await writeJournal(dir, benchEntries(size, BigInt(Date.now() - 86_400_000) * 1000n));
    console.log(`\n== ${size.toLocaleString('en-US')} entries (journal written in ${fmt(seconds(start), 1)} s)`);
    const aRuns = [];
    for (let rep = 0; rep < REPEAT; rep++) aRuns.push(await timeJournalctl(dir));
    const a = median(aRuns);
    console.log(`(a) journalctl read                  ${fmt(a)} s${REPEAT > 1 ? `  (median of ${aRuns.map((t) => fmt(t)).join(', ')})` : ''}`);
    for (const mode of MODES) {
      const { bodies, points } = buildBodies(dir, mode);
      const bRuns = [];
      for (let rep = 0; rep < REPEAT; rep++) bRuns.push(await withFreshServer((server) => timeIngest(server, bodies)));
      const bMedian = median(bRuns.map((r) => r.elapsed));
      const b = bRuns.find((run) => run.elapsed === bMedian);
      const slowest = Math.max(a, b.elapsed);
      console.log(`-- MSG_HASH_MODE=${mode}: ${points.toLocaleString('en-US')} points`);
      console.log(
        `(b) InfluxDB ingest of the same LP   ${fmt(b.elapsed)} s  (influxd CPU ${fmt(b.influxCpu, 1)} s; ${BATCH_LINES}/request, ${IN_FLIGHT} in flight)` +
          (REPEAT > 1 ? `  (median of ${bRuns.map((r) => fmt(r.elapsed)).join(', ')})` : ''),
      );
      const runs = new Map([[baseline, []], [current, []]]);
      for (let rep = 0; rep < REPEAT; rep++) {
        // Alternate which build goes first, so a slow phase of the machine does not always hit the same one.
        const order = rep % 2 === 0 ? [baseline, current] : [current, baseline];
        for (const build of order) runs.get(build).push(await withFreshServer((server) => timeOnce(server, build, dir, mode)));
      }
      const rows = [];
      for (const build of [baseline, current]) {
        const all = runs.get(build);
        const cpuMedian = median(all.map((r) => r.probe.cpuUs));
        const c = all.find((run) => run.probe.cpuUs === cpuMedian);
        const elapsed = median(all.map((r) => r.elapsed));
        const { cpuUs, gcMs } = c.probe;
        const maxRssKb = Math.max(...all.map((r) => r.probe.maxRssKb));
        rows.push({ build, cpuPerEntry: cpuUs / size });
        cpuOfRun.set(cpuKey(size, mode, build), cpuUs / 1e6);
        console.log(
          `(c) once ${build === current ? 'this build' : 'baseline  '} ${build.commit}   ${fmt(elapsed)} s  ratio max(a,b)/c ${fmt(slowest / elapsed)}  ` +
            `CPU ${fmt(cpuUs / size, 1)} µs/entry  GC ${fmt((gcMs * 1000 * 100) / cpuUs, 1)} % of CPU  peak RSS ${fmt(maxRssKb / 1024, 1)} MB  ` +
            `(read ${c.result.read}, written ${c.result.written}, skipped ${c.result.skipped}; influxd CPU ${fmt(c.influxCpu, 1)} s)`,
        );
        if (REPEAT > 1) {
          console.log(
            `      ${REPEAT} runs: ${all.map((r) => `${fmt(r.elapsed)} s / ${fmt(r.probe.cpuUs / size, 1)} µs`).join(', ')}  (median shown; peak RSS the largest)`,
          );
        }
      }
      console.log(`   CPU per entry, this build / baseline: ${fmt(rows[1].cpuPerEntry / rows[0].cpuPerEntry)}  (target ≤ 0.33); ratio target ≥ 0.8; peak RSS target ≤ 120 MB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Two sizes split each build's CPU into a fixed part (process start, V8 compiling the hot paths and
// running them unoptimized at first) and a part per entry: the slope between the two sizes.
if (SIZES.length >= 2) {
  const [small, large] = [SIZES[0], SIZES[SIZES.length - 1]];
  console.log(`\n== CPU split from the ${small.toLocaleString('en-US')} and ${large.toLocaleString('en-US')} runs: fixed + per entry`);
  for (const mode of MODES) {
    const split = (build) => {
      const perEntryUs = ((cpuOfRun.get(cpuKey(large, mode, build)) - cpuOfRun.get(cpuKey(small, mode, build))) * 1e6) / (large - small);
      return { perEntryUs, fixedS: cpuOfRun.get(cpuKey(small, mode, build)) - (perEntryUs * small) / 1e6 };
    };
    const [b, c] = [split(baseline), split(current)];
    console.log(
      `-- ${mode}: per entry baseline ${fmt(b.perEntryUs, 1)} µs, this build ${fmt(c.perEntryUs, 1)} µs (${fmt(c.perEntryUs / b.perEntryUs)}); ` +
        `fixed baseline ${fmt(b.fixedS)} s, this build ${fmt(c.fixedS)} s` +
        // A negative fixed part means the machine was slower during the large runs than the small ones.
        (b.fixedS < 0 || c.fixedS < 0 ? '  (a negative fixed part: the machine changed speed between the sizes; this split means nothing)' : ''),
    );
  }
}
