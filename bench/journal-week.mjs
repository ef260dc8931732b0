// Memory of the journal source: a week of a busy Ollama host's journal (the realistic mix of mix.mjs,
// default 1,000,000 entries ending now), read by `ollama-influx timeline --journal --start -7d`, with
// its peak RSS (VmHWM, polled from /proc) and wall time. Run with `npm run bench:journal [-- ENTRIES]`.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realisticLine } from './mix.mjs';
import { writeJournal } from '../test/support/journal-export.mjs';

const ENTRIES = Number(process.argv[2] ?? 1_000_000);
const WEEK_US = 7n * 86_400_000_000n;
const ROOT = new URL('..', import.meta.url).pathname;

function* week(count) {
  const end = BigInt(Date.now()) * 1000n - 60_000_000n;
  const step = WEEK_US / BigInt(count);
  for (let i = 0; i < count; i++) yield { message: realisticLine(), realtimeUs: end - WEEK_US + BigInt(i) * step };
}

const dir = mkdtempSync(join(tmpdir(), 'ollama-influx-week-'));
try {
  let start = process.hrtime.bigint();
  const file = await writeJournal(dir, week(ENTRIES));
  console.log(`journal: ${ENTRIES} entries over 7 days, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, written in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`);

  start = process.hrtime.bigint();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, OLLAMA_MODELS_DIR: '/nonexistent', HOST_TAG: 'bench-host' };
  const child = spawn(join(ROOT, 'bin/ollama-influx'), ['timeline', '--journal', '--journal-dir', dir, '--start', '-7d', '--out', '/dev/null'], {
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
  if (code !== 0) throw new Error(`timeline --journal exited ${code}: ${stderr}`);
  console.log(stderr.trim());
  console.log(`timeline --journal --start -7d: ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s, peak RSS ${(peakKb / 1024).toFixed(1)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
