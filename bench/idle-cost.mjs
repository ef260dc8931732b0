// Issue 13, item 6: what an idle daemon costs. This build and the baseline build (the cached worktree
// `npm run bench` made, default d30c0a5) run `ollama-influx run` side by side at POLL_INTERVAL=10s on
// a fresh InfluxDB and a 300-entry journal they have already shipped; after 20 s of settling, each
// one's own CPU ticks (utime + stime from /proc, children not included) are read over SECONDS.
// Run: node bench/idle-cost.mjs [SECONDS] [--baseline REF]   (after npm run build and one npm run bench)

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { realisticLine } from './mix.mjs';
import { writeJournal } from '../test/support/journal-export.mjs';

const { values: options, positionals } = parseArgs({ options: { baseline: { type: 'string', default: 'd30c0a5' } }, allowPositionals: true });
const SECONDS = Number(positionals[0] ?? 120);
const ROOT = new URL('..', import.meta.url).pathname;
const CACHE = process.env.OLLAMA_INFLUX_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(os.homedir(), '.cache'), 'ollama-influx');
const CLOCK_TICKS = 100;

function ticks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', options.baseline], { encoding: 'utf8' }).trim();
const baselineDir = join(CACHE, `bench-baseline-${commit}`);
if (!existsSync(join(baselineDir, 'dist/cli/main.js'))) throw new Error(`no baseline build in ${baselineDir}: run npm run bench once`);

const out = execFileSync('bash', [join(ROOT, 'scripts/influxdb-test-server.sh'), 'start'], { encoding: 'utf8' });
const server = Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const journal = mkdtempSync(join(tmpdir(), 'idle-journal-'));
const states = [];
try {
  const startUs = BigInt(Date.now() - 3_600_000) * 1000n;
  await writeJournal(journal, Array.from({ length: 300 }, (_, i) => ({ message: realisticLine(), realtimeUs: startUs + BigInt(i) * 1000n })));
  const daemons = [
    { name: 'this build', bin: join(ROOT, 'bin/ollama-influx') },
    { name: `baseline ${commit}`, bin: join(baselineDir, 'bin/ollama-influx') },
  ].map((daemon, i) => {
    const state = mkdtempSync(join(tmpdir(), 'idle-state-'));
    states.push(state);
    const env = {
      PATH: process.env.PATH,
      INFLUXDB_URL: server.INFLUXDB_URL,
      INFLUXDB_TOKEN: server.INFLUXDB_TOKEN,
      INFLUXDB_ORG: server.INFLUXDB_ORG,
      INFLUXDB_BUCKET: server.INFLUXDB_BUCKET,
      JOURNAL_DIR: journal,
      STATE_DIR: state,
      INITIAL_LOOKBACK: 'all',
      HOST_TAG: `idle-${i}`,
      OLLAMA_MODELS_DIR: '/nonexistent',
      LOG_LEVEL: 'error',
      POLL_INTERVAL: '10s',
      METRICS_LISTEN: `127.0.0.1:${29464 + i}`,
    };
    // The bin script itself, so each build runs with the node flags of its own shebang.
    return { ...daemon, child: spawn(daemon.bin, ['--config', '/dev/null', 'run'], { env, stdio: 'ignore' }) };
  });
  await sleep(20_000);
  const before = daemons.map((d) => ticks(d.child.pid));
  await sleep(SECONDS * 1000);
  const after = daemons.map((d) => ticks(d.child.pid));
  console.log(`idle cost at POLL_INTERVAL=10s over ${SECONDS} s (own CPU ticks, journalctl children not included):`);
  daemons.forEach((d, i) => {
    const cpu = (after[i] - before[i]) / CLOCK_TICKS;
    console.log(`  ${d.name.padEnd(18)} ${cpu.toFixed(2)} s = ${((100 * cpu) / SECONDS).toFixed(3)} % of one core (target ≤ 0.2 %)`);
  });
  for (const d of daemons) d.child.kill('SIGTERM');
} finally {
  execFileSync('bash', [join(ROOT, 'scripts/influxdb-test-server.sh'), 'stop', server.INFLUXD_PID]);
  rmSync(journal, { recursive: true, force: true });
  for (const state of states) rmSync(state, { recursive: true, force: true });
}
