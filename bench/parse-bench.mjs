// Throughput of parseMessage over a realistic journal mix, against a baseline measured in the same
// run: the seed's approach (gin lines split on `|` with its "contains ms/µs/s" latency rule, every
// other line tried against one regular expression per message kind).
// Needs a build first (dist/): `npx tsc -p tsconfig.json && node bench/parse-bench.mjs [lines]`.

import { parseMessage } from '../dist/ollama/parse/index.js';

const LINES = Number(process.argv[2] ?? 200_000);
const RUNS = 5;
const SHA = 'adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3';

// Deterministic pseudo-random numbers (mulberry32), so every run parses the same lines.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(42);
const pick = (list) => list[Math.floor(rand() * list.length)];
const latency = () => pick([`${(rand() * 900).toFixed(3)}µs`, `${(rand() * 900).toFixed(6)}ms`, `${(rand() * 60).toFixed(9)}s`, '5m0s']);
const stamp = () => `2025-07-23T21:${String(Math.floor(rand() * 60)).padStart(2, '0')}:10.396+10:00`;

const gin = () =>
  `[GIN] 2025/07/23 - 21:47:10 | ${pick([200, 200, 200, 404, 500])} | ${latency().padStart(13)} | ${pick(['127.0.0.1', '172.17.0.3', '::1']).padStart(15)} | ` +
  `${pick(['POST   ', 'GET    ', 'HEAD   '])} "${pick(['/api/chat', '/api/generate', '/api/tags', '/', '/api/show?x=1'])}"`;

const subprocess = () =>
  pick([
    `llama_model_loader: - kv  ${Math.floor(rand() * 40)}:                       general.architecture str              = qwen2`,
    `print_info: n_ctx_train      = ${Math.floor(rand() * 32768)}`,
    'load_tensors: offloaded 29/29 layers to GPU',
    'llama_context:      CUDA0 compute buffer size =   304.00 MiB',
    'ggml_cuda_init: found 1 CUDA devices:',
    'llama_kv_cache:      CUDA0 KV buffer size =   224.00 MiB',
  ]);

const slog = () =>
  pick([
    `time=${stamp()} level=INFO source=server.go:619 msg="llama runner started in ${(rand() * 9).toFixed(2)} seconds"`,
    `time=${stamp()} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=2172 keep=4 new=2048`,
    `time=${stamp()} level=INFO source=sched.go:509 msg="updated VRAM based on existing loaded models" gpu=GPU-72c48c23-32a4-2e54-95c9-99bb82483caa library=cuda total="11.8 GiB" available="1.5 GiB"`,
    `time=${stamp()} level=WARN source=sched.go:648 msg="gpu VRAM usage didn't recover within timeout" seconds=5.04476581 model=/root/.ollama/models/blobs/sha256-${SHA}`,
    `time=${stamp()} level=INFO source=server.go:438 msg="starting llama server" cmd="/usr/local/bin/ollama runner --model /root/.ollama/models/blobs/sha256-${SHA} --ctx-size 8192 --batch-size 512 --n-gpu-layers 29 --threads 6 --parallel 2 --port 39609"`,
    `time=${stamp()} level=INFO source=server.go:175 msg=offload library=cuda layers.requested=-1 layers.model=29 layers.offload=29 layers.split="" memory.available="[3.1 GiB]" memory.gpu_overhead="0 B" memory.required.full="1.9 GiB" memory.required.partial="1.9 GiB" memory.required.kv="224.0 MiB" memory.weights.total="934.7 MiB"`,
    `time=${stamp()} level=INFO source=ggml.go:104 msg=system CPU.0.SSE3=1 CPU.0.SSSE3=1 CPU.0.AVX=1 compiler=cgo(gcc)`,
    `time=${stamp()} level=INFO source=server.go:1352 msg="waiting for llama runner to start responding"`,
    `time=${stamp()} level=DEBUG source=sched.go:383 msg="got lock to unload expired event" runner.name=registry.ollama.ai/library/qwen3:8b runner.model=/root/.ollama/models/blobs/sha256-${SHA}`,
    `time=${stamp()} level=INFO source=sched.go:561 msg="loaded runners" count=1`,
  ]);

// The mix of a busy host: mostly access-log lines, then llama.cpp's own output, then Ollama's events.
const lines = Array.from({ length: LINES }, () => {
  const r = rand();
  return r < 0.6 ? gin() : r < 0.9 ? subprocess() : slog();
});

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
