// A realistic journal mix of a busy Ollama host, deterministic so every run sees the same lines:
// 60 % gin access-log lines, 30 % llama.cpp subprocess output, 10 % Ollama slog events.

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
export function realisticLine() {
  const r = rand();
  return r < 0.6 ? gin() : r < 0.9 ? subprocess() : slog();
}

export function realisticMix(count) {
  return Array.from({ length: count }, realisticLine);
}

