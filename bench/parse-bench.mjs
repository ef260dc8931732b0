// Throughput of parseMessage over a realistic journal mix, against a baseline measured in the same
// run: the seed's approach (gin lines split on `|` with its "contains ms/µs/s" latency rule, every
// other line tried against one regular expression per message kind).
// Needs a build first (dist/): `npx tsc -p tsconfig.json && node bench/parse-bench.mjs [lines]`.

import { parseMessage } from '../dist/ollama/parse/index.js';
import { realisticMix } from './mix.mjs';

const LINES = Number(process.argv[2] ?? 200_000);
const RUNS = 5;
const lines = realisticMix(LINES);

// Baseline: one regex per kind, tried in turn on every line (what a first parser tends to look like).
const NAIVE = [
  /^\[GIN\] [^|]*\|\s*(\d{3})\s*\|\s*(\S+)\s*\|\s*(\S*)\s*\|\s*(\w+)\s+"([^"]*)"/,
  /msg="Listening on (\S+)(?: \(version ([^)]+)\))?"/,
  /msg="server config" env="([^"]*)"/,
  /msg="inference compute" id=(\S+) library=(\S+)/,
  /msg="system memory" total="([^"]+)" free="([^"]+)"/,
  /msg="starting llama server" cmd=".*sha256-([0-9a-f]{64}).*--ctx-size (\d+)/,
  /msg="starting runner" cmd=".*--model .*sha256-([0-9a-f]{64})/,
  /msg=load request="\{Operation:(\w+).*KvSize:(\d+)/,
  /msg="llama runner started in ([\d.]+) seconds"/,
  /msg="waiting for (?:llama runner|server)/,
  /msg="error loading llama server" error="([^"]*)"/,
  /msg="offload to (\w+)".*memory\.required\.full="([^"]+)"/,
  /msg=offload library=(\w+).*memory\.required\.full="([^"]+)"/,
  /msg="(model weights|kv cache|compute graph|total memory)".*size="([^"]+)"/,
  /msg="updated VRAM based on existing loaded models" gpu=(\S+) library=(\S+) total="([^"]+)" available="([^"]+)"/,
  /msg="gpu VRAM usage didn't recover within timeout" seconds=([\d.]+).*sha256-([0-9a-f]{64})/,
  /msg="gpu VRAM free memory converged after ([\d.]+) seconds"/,
  /msg="(?:new model will fit|model requires more gpu memory)/,
  /msg="(timer expired|runner expired event received|got lock to unload|unload completed|shutting down runner)/,
  /msg="truncating input prompt" limit=(\d+) prompt=(\d+)/,
];

const NUMBER = /[0-9.]+/;

// The gin columns the way the seed's Flux reads them (step 6), kept as the peer to beat.
function seedGin(line) {
  const parts = line.split('|');
  const latency = parts[2].trim();
  const value = Number(NUMBER.exec(latency)?.[0] ?? 0);
  const multiplier = latency.includes('ms') ? 1 : latency.includes('µs') ? 0.001 : latency.includes('s') ? 1000 : 0;
  return { kind: 'request', status: Number(parts[1].trim()), latency_ms: value * multiplier, path: parts[4].trim().split('"')[1] };
}

function naive(line) {
  if (line.includes('[GIN]')) return seedGin(line);
  for (let i = 1; i < NAIVE.length; i++) {
    const match = NAIVE[i].exec(line);
    if (match !== null) return { kind: String(i), fields: match.slice(1).map((text) => (text !== undefined && /^[\d.-]+$/.test(text) ? Number(text) : text)) };
  }
  return { kind: 'unknown' };
}

function measure(name, fn) {
  let sink = 0;
  for (let i = 0; i < Math.min(lines.length, 20_000); i++) sink += fn(lines[i]).kind.length; // warm-up
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < lines.length; i++) sink += fn(lines[i]).kind.length;
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  const perSecond = lines.length / best;
  const figure = Math.round(perSecond).toLocaleString('en-US').padStart(12);
  console.log(`${name.padEnd(40)} ${figure} lines/s  (best of ${RUNS} × ${lines.length.toLocaleString('en-US')} lines; ${sink > 0 ? 'ok' : '?'})`);
  return perSecond;
}

const kinds = new Map();
for (const line of lines) {
  const { kind } = parseMessage(line);
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
}
console.log(`mix: ${[...kinds].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);

const baseline = measure('baseline: seed split + regex per kind', naive);
const ours = measure('parseMessage', parseMessage);
console.log(`parseMessage / baseline: ${(ours / baseline).toFixed(2)}x`);
