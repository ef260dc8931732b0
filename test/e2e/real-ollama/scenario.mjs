// The scripted scenario against a real `ollama serve` running as ollama.service, with ground truth
// taken from outside Ollama's logs: the runner processes seen in /proc (start from their stat, exit
// between the last poll that saw them and the first that did not), /api/ps polled, and this client's
// own request times and statuses. Runs inside the e2e container as root (it also drives systemctl).
//
//   node scenario.mjs URL OUT.json     (models tiny-a, tiny-b, tiny-c must exist)
//
// Plain JavaScript: the container has only the host's node binary.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

const [url, out] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: scenario.mjs URL OUT.json');
  process.exit(2);
}
// The server's OLLAMA_KEEP_ALIVE (the unit's drop-in sets it): how long an idle model stays.
const KEEP_ALIVE_MS = Number(process.env.SCENARIO_KEEP_ALIVE_MS ?? 5000);
const CLK_TCK = 100;

const truth = { url, keep_alive_ms: KEEP_ALIVE_MS, started: Date.now(), runners: [], requests: [], ps: [], actions: [], tags: null };
let step = 'setup';

// ---- runner processes in /proc --------------------------------------------------------------------
const runners = new Map(); // pid+starttime → record
/** Field 22 of /proc/PID/stat: the process's start, in clock ticks since boot. */
function startTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}
function ticksToMs(ticks) {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - (uptime - ticks / CLK_TCK) * 1000;
}
function pollProc() {
  const now = Date.now();
  const seen = new Set();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv;
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone between readdir and read
    }
    if (argv[1] !== 'runner') continue;
    let ticks;
    try {
      ticks = startTicks(name);
    } catch {
      continue;
    }
    const key = `${name}:${ticks}`;
    seen.add(key);
    let record = runners.get(key);
    if (record === undefined) {
      const modelIndex = argv.indexOf('--model');
      const model = modelIndex >= 0 ? argv[modelIndex + 1] : null;
      const start = ticksToMs(ticks);
      record = {
        pid: Number(name),
        // The GPU-discovery runner has no --model: it is not a model session.
        sha256: model === null ? null : (/sha256[-:]([0-9a-f]{64})/.exec(model)?.[1] ?? null),
        args: argv.slice(1).filter((a) => a !== ''),
        step,
        start,
        seen_first: now,
        seen_last: now,
        gone: null,
      };
      runners.set(key, record);
      truth.runners.push(record);
    }
    record.seen_last = now;
  }
  for (const [key, record] of runners) {
    if (!seen.has(key) && record.gone === null) record.gone = now;
  }
}

// ---- /api/ps ---------------------------------------------------------------------------------------
let lastPs = '';
async function pollPs() {
  try {
    const res = await fetch(`${url}/api/ps`, { signal: AbortSignal.timeout(2000) });
    const body = await res.json();
    const models = (body.models ?? []).map((m) => ({ name: m.name, digest: m.digest, expires_at: m.expires_at, context_length: m.context_length ?? null }));
    const key = JSON.stringify(models.map((m) => [m.name, m.digest, m.context_length]));
    if (key !== lastPs) {
      truth.ps.push({ time: Date.now(), step, models });
      lastPs = key;
    }
  } catch {
    if (lastPs !== 'down') truth.ps.push({ time: Date.now(), step, models: null });
    lastPs = 'down';
  }
}

// Every 10 ms: a runner asked for with keep_alive 0 can load, answer and exit within 100 ms (seen in
// CI: a poll every 100 ms missed it), and a scan of the container's /proc takes about a millisecond.
const procTimer = setInterval(pollProc, 10);
let psBusy = false;
const psTimer = setInterval(() => {
  if (psBusy) return;
  psBusy = true;
  pollPs().finally(() => (psBusy = false));
}, 250);

// ---- the client ------------------------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function generate(body) {
  const record = { step, method: 'POST', path: '/api/generate', model: body.model, options: body.options ?? null, keep_alive: body.keep_alive ?? null, start: Date.now(), end: null, status: null, error: null };
  truth.requests.push(record);
  try {
    const res = await fetch(`${url}/api/generate`, { method: 'POST', body: JSON.stringify({ stream: false, ...body }), signal: AbortSignal.timeout(120_000) });
    record.status = res.status;
    const text = await res.text();
    if (res.status !== 200) record.error = text.slice(0, 300);
  } catch (e) {
    record.error = String(e);
  }
  record.end = Date.now();
  return record;
}

function systemctl(verb) {
  const action = { step, what: `systemctl ${verb} ollama`, start: Date.now(), end: null };
  execFileSync('systemctl', [verb, 'ollama.service']);
  action.end = Date.now();
  truth.actions.push(action);
}

async function until(what, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what} (step ${step})`);
}
async function serverUp() {
  try {
    return (await fetch(`${url}/api/version`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}
const liveRunners = () => truth.runners.filter((r) => r.sha256 !== null && r.gone === null);
async function nothingLoaded() {
  pollProc();
  return liveRunners().length === 0;
}

const gen = { num_predict: 4 };
const longPrompt = Array.from({ length: 400 }, (_, i) => `hello world model test ${i}`).join(' ');

async function scenario() {
  await until('the server', serverUp, 30_000);
  step = 'preload tiny-a';
  await generate({ model: 'tiny-a' });
  step = 'first request tiny-a';
  await generate({ model: 'tiny-a', prompt: 'hello', options: gen });
  step = 'second request tiny-a';
  await generate({ model: 'tiny-a', prompt: 'the model', options: gen });
  step = 'load tiny-b (evicts tiny-a: OLLAMA_MAX_LOADED_MODELS=1)';
  await generate({ model: 'tiny-b', prompt: 'hello', options: gen });
  step = 'keep-alive expiry of tiny-b';
  await until('tiny-b to expire', nothingLoaded, KEEP_ALIVE_MS + 15_000);
  await sleep(1000);
  step = 'tiny-a with num_ctx 1024';
  await generate({ model: 'tiny-a', prompt: 'hello', options: { ...gen, num_ctx: 1024 } });
  step = 'tiny-a with num_ctx 512 (reload)';
  await generate({ model: 'tiny-a', prompt: 'hello', options: { ...gen, num_ctx: 512 } });
  step = 'prompt longer than the context (truncation)';
  await generate({ model: 'tiny-a', prompt: longPrompt, options: { ...gen, num_ctx: 512 } });
  step = 'missing model (404)';
  await generate({ model: 'no-such-model', prompt: 'hello' });
  step = 'tiny-b with keep_alive 0';
  await generate({ model: 'tiny-b', prompt: 'hello', options: gen, keep_alive: 0 });
  await until('tiny-b to unload', nothingLoaded, 15_000);
  await sleep(1000);
  step = 'preload tiny-c';
  await generate({ model: 'tiny-c' });
  await sleep(1000);
  step = 'stop while tiny-c is loaded';
  systemctl('stop');
  await sleep(1500);
  step = 'start';
  systemctl('start');
  await until('the server', serverUp, 30_000);
  step = 'tiny-a after the start';
  await generate({ model: 'tiny-a', prompt: 'hello', options: gen });
  step = 'restart while tiny-a is loaded';
  systemctl('restart');
  await until('the server', serverUp, 30_000);
  step = 'tiny-c after the restart';
  await generate({ model: 'tiny-c', prompt: 'hello', options: gen });
  step = 'keep-alive expiry of tiny-c';
  await until('tiny-c to expire', nothingLoaded, KEEP_ALIVE_MS + 15_000);
  await sleep(1000);
  step = 'tags';
  truth.tags = await (await fetch(`${url}/api/tags`)).json();
  step = 'final stop';
  systemctl('stop');
  await sleep(500);
}

try {
  await scenario();
  truth.error = null;
} catch (e) {
  truth.error = String(e?.stack ?? e);
}
clearInterval(procTimer);
clearInterval(psTimer);
pollProc();
truth.finished = Date.now();
writeFileSync(out, `${JSON.stringify(truth, null, 1)}\n`);
if (truth.error) {
  console.error(truth.error);
  process.exit(1);
}
