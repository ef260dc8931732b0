// Memory of the journal source: a week of a busy Ollama host's journal ending now, read by
// `ollama-influx timeline --journal --start -24h` and `--start -7d`, with peak RSS (VmHWM, polled from
// /proc) and wall time. Two shapes (`npm run bench:journal [-- ENTRIES [mix|sessions]]`):
//   mix       mix.mjs's line mix (60 % [GIN], 30 % llama.cpp, 10 % events) spread evenly: a model load
//             every ~100 lines and no unload line, so many sessions overlap (the reconstruction's worst case)
//   sessions  one server process for the whole week; every 30 minutes the next of three models loads
//             (the previous one's VRAM timeout ends it), then a chat every ENTRIES-derived interval,
//             a llama.cpp line beside each and a GET /api/tags a minute: what a busy host's week looks like

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realisticLine } from './mix.mjs';
import { writeJournal } from '../test/support/journal-export.mjs';

const ENTRIES = Number(process.argv[2] ?? 1_000_000);
const SHAPE = process.argv[3] ?? 'mix';
const WEEK_US = 7n * 86_400_000_000n;
const ROOT = new URL('..', import.meta.url).pathname;
const END_US = BigInt(Date.now()) * 1000n - 60_000_000n;

function* mixWeek(count) {
  const step = WEEK_US / BigInt(count);
  for (let i = 0; i < count; i++) yield { message: realisticLine(), realtimeUs: END_US - WEEK_US + BigInt(i) * step };
}

const SHAS = ['adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3', '325e2d850853215cfa16f6176d032fb0ee471feb621c5f37230eb26e7628523e', '801dcad02f38c48984c325de964ab7c9213d4c51f101cd2f6aeacff576868987'];
const BLOB = (sha) => `/usr/share/ollama/.ollama/models/blobs/sha256-${sha}`;
const slog = (level, msg) => `time=2025-07-23T21:47:10.396+10:00 level=${level} source=sched.go:1 msg=${msg}`;

function* sessionsWeek(count) {
  const slotUs = 1_800_000_000n;
  const slots = Number(WEEK_US / slotUs);
  // Two lines (a chat and a llama.cpp line) per chat: the interval that gives about `count` entries.
  const chatUs = (slotUs * BigInt(slots) * 2n) / BigInt(count);
  let t = END_US - WEEK_US;
  yield { message: slog('INFO', '"server config" env="map[OLLAMA_KEEP_ALIVE:5m0s OLLAMA_MODELS:/usr/share/ollama/.ollama/models]"'), realtimeUs: t };
  yield { message: slog('INFO', '"Listening on 127.0.0.1:11434 (version 0.9.6)"'), realtimeUs: t + 1n };
  for (let slot = 0; slot < slots; slot++) {
    const begin = END_US - WEEK_US + BigInt(slot) * slotUs + 1000n;
    if (slot > 0) yield { message: slog('WARN', `"gpu VRAM usage didn't recover within timeout" seconds=5.0 model=${BLOB(SHAS[(slot - 1) % 3])}`), realtimeUs: begin };
    yield { message: slog('INFO', `"starting llama server" cmd="/usr/local/bin/ollama runner --model ${BLOB(SHAS[slot % 3])} --ctx-size 8192 --n-gpu-layers 49 --parallel 1 --port 40797"`), realtimeUs: begin + 1n };
    yield { message: slog('INFO', '"llama runner started in 3.00 seconds"'), realtimeUs: begin + 3_000_000n };
    let minute = begin;
    for (t = begin + 4_000_000n; t < begin + slotUs - 10_000_000n; t += chatUs) {
      yield { message: '[GIN] 2025/07/23 - 21:47:10 | 200 |  1.503421337s |      172.17.0.3 | POST     "/api/chat"', realtimeUs: t };
      yield { message: 'llama_context:      CUDA0 compute buffer size =   304.00 MiB', realtimeUs: t + 1n };
      if (t - minute >= 60_000_000n) {
        minute = t;
        yield { message: '[GIN] 2025/07/23 - 21:47:10 | 200 |       1.203ms |      172.17.0.3 | GET      "/api/tags"', realtimeUs: t + 2n };
      }
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ollama-influx-week-'));
try {
  const start = process.hrtime.bigint();
  let entries = 0;
  const counted = function* (lines) {
    for (const line of lines) {
      entries++;
      yield line;
    }
  };
  const file = await writeJournal(dir, counted(SHAPE === 'sessions' ? sessionsWeek(ENTRIES) : mixWeek(ENTRIES)));
  console.log(`journal (${SHAPE}): ${entries} entries over 7 days, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, written in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`);
  for (const range of ['-24h', '-7d']) await measure(range);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function measure(range) {
  const start = process.hrtime.bigint();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, OLLAMA_MODELS_DIR: '/nonexistent', HOST_TAG: 'bench-host' };
  const child = spawn(join(ROOT, 'bin/ollama-influx'), ['timeline', '--journal', '--journal-dir', dir, '--start', range, '--out', '/dev/null'], {
    env,
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      /* exited */
    }
  }, 20);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const summary = stderr.trim().split('\n').filter((line) => !line.includes('warning')).join(' ');
  const outcome = code === 0 ? summary : `FAILED (exit ${code}): ${stderr.trim().split('\n').filter((l) => /heap|error/i.test(l))[0] ?? ''}`;
  console.log(`timeline --journal --start ${range}: ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s, peak RSS ${(peakKb / 1024).toFixed(1)} MB; ${outcome}`);
}
