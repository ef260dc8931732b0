// Kinds of a model load: the runner's command line, its load request, progress and outcome.

import { defineKind, type LineContext } from './types.js';
import { commandLine, durationMs, int, sha256Of, text } from './values.js';

const BLOB = '/usr/share/ollama/.ollama/models/blobs/sha256-6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa';
const BLOB_SHA = '6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa';

/** Load starts that name no model: the log-package era's runner and 0.1.21 – 0.1.31's in-process server. */
const LOAD_STARTS_WITHOUT_CMD = ['starting llama runner', 'Initializing llama server'];

function hasModel(line: LineContext): boolean {
  return LOAD_STARTS_WITHOUT_CMD.includes(line.msg) || (line.attr('cmd') ?? '').includes(' --model ');
}

/**
 * `starting llama server` (0.1.32 – 0.11.4), `starting runner … --model` (0.11.5+) and
 * `starting llama-server` (0.30+). A runner started without `--model` is GPU discovery.
 */
const modelLoadStart = defineKind({
  kind: 'model_load_start',
  timeline: { session: true },
  fields: ['sha256', 'ctx_size', 'gpu_layers', 'parallel', 'model_path'],
  messages: ['starting llama server', 'starting runner', 'starting llama-server', ...LOAD_STARTS_WITHOUT_CMD],
  test: hasModel,
  extract(line) {
    const cmd = commandLine(line.attr('cmd') ?? '');
    return {
      sha256: sha256Of(cmd.modelPath ?? undefined),
      ctx_size: int(cmd.flag('--ctx-size', '-c')),
      gpu_layers: int(cmd.flag('--n-gpu-layers', '-ngl', '--gpu-layers')),
      parallel: int(cmd.flag('--parallel', '-np')),
      model_path: cmd.modelPath,
    };
  },
  samples: [
    {
      era: '0.1.32 – 0.3 (runners under /tmp)',
      line:
        'time=2024-05-10T08:00:00.000Z level=INFO source=server.go:320 msg="starting llama server" ' +
        `cmd="/tmp/ollama2745461378/runners/cuda_v11/ollama_llama_server --model ${BLOB} --ctx-size 8192 --batch-size 512 ` +
        '--embedding --log-disable --n-gpu-layers 33 --parallel 4 --port 35163"',
      expected: { level: 'INFO', sha256: BLOB_SHA, ctx_size: 8192, gpu_layers: 33, parallel: 4, model_path: BLOB },
    },
    {
      era: '0.4 – 0.11.4 (ollama runner, no --n-gpu-layers on CPU)',
      line:
        'time=2025-07-30T10:53:50.259+10:00 level=INFO source=server.go:438 msg="starting llama server" cmd="/usr/local/bin/ollama runner ' +
        '--model /root/.ollama/models/blobs/sha256-6a77366395772462c84f0c4d226ac404674327cbe78c01e4391cc7e0c698851e --ctx-size 2048 ' +
        '--batch-size 512 --threads 6 --no-mmap --parallel 1 --port 39609"',
      expected: {
        sha256: '6a77366395772462c84f0c4d226ac404674327cbe78c01e4391cc7e0c698851e', ctx_size: 2048, gpu_layers: null, parallel: 1,
        model_path: '/root/.ollama/models/blobs/sha256-6a77366395772462c84f0c4d226ac404674327cbe78c01e4391cc7e0c698851e',
      },
    },
    {
      era: '0.11.5 – 0.2x (starting runner; ctx/GPU/parallel come in the load request)',
      line:
        'time=2026-05-05T01:30:33.795+08:00 level=INFO source=server.go:432 msg="starting runner" cmd="/home/lz/bin/ollama runner ' +
        '--model /home/lz/.ollama/models/blobs/sha256-60e05f2100071479f596b964f89f510f057ce397ea22f2833a0cfe029bfc2463 --port 44344"',
      expected: {
        sha256: '60e05f2100071479f596b964f89f510f057ce397ea22f2833a0cfe029bfc2463', ctx_size: null, gpu_layers: null, parallel: null,
        model_path: '/home/lz/.ollama/models/blobs/sha256-60e05f2100071479f596b964f89f510f057ce397ea22f2833a0cfe029bfc2463',
      },
    },
    {
      era: '0.30+ (llama-server short flags)',
      line:
        'time=2026-10-02T11:28:55.100+09:00 level=INFO source=llama_server.go:512 msg="starting llama-server" ' +
        `cmd="/usr/local/lib/ollama/llama-server --model ${BLOB} --port 40123 --host 127.0.0.1 -c 8192 -np 1 -ngl 99 --no-webui"`,
      expected: { sha256: BLOB_SHA, ctx_size: 8192, gpu_layers: 99, parallel: 1, model_path: BLOB },
    },
  ],
});

/** GPU discovery, by version; `runner_started` is a runner started without `--model`. */
const DISCOVERY_STAGES: readonly (readonly [string, string])[] = [
  ['Detecting GPUs', 'discovering'], // INFO 0.1.33 – 0.1.37 (DEBUG to 0.1.48)
  ['looking for compatible GPUs', 'discovering'], // INFO 0.2.0 – 0.12.0
  ['discovering available GPUs...', 'discovering'], // INFO 0.12.11+, the llama-server era included
  ['running llama-server for discovery', 'runner_started'], // TRACE 0.30+
  ['no compatible GPUs were discovered', 'none_found'], // INFO 0.2.0 – 0.12.0
  ['bootstrap discovery took', 'finished'], // DEBUG 0.12.11 – 0.24
  ['GPU bootstrap discovery took', 'finished'], // DEBUG 0.30+
  ['overall device VRAM discovery took', 'finished'], // DEBUG 0.12.11+, before each load
  ['llama-server device discovery took', 'finished'], // DEBUG 0.30+
  ['llama-server discovery: stopped subprocess after collecting GPU info', 'runner_stopped'], // DEBUG 0.30+
  ['failure during GPU discovery', 'failed'], // INFO 0.12.11 – 0.24
  ['failure during llama-server GPU discovery', 'failed'], // INFO 0.30+
  ['llama-server GPU discovery watchdog timed out', 'failed'], // WARN 0.30+
  ['llama-server discovery: timed out waiting for server startup', 'failed'], // WARN 0.30+
] as const;

const gpuDiscovery = defineKind({
  kind: 'gpu_discovery',
  fields: ['stage', 'duration_ms', 'error'],
  messages: ['starting runner', 'starting llama-server', ...DISCOVERY_STAGES.map(([message]) => message)],
  extract(line) {
    const stage = DISCOVERY_STAGES.find(([message]) => message === line.msg)?.[1] ?? 'runner_started';
    return { stage, duration_ms: durationMs(line.attr('duration')), error: text(line.attr('error')) };
  },
  samples: [
    {
      era: '0.11.5+ (runner without --model)',
      line: 'time=2026-05-05T01:30:32.686+08:00 level=INFO source=server.go:432 msg="starting runner" cmd="/home/lz/bin/ollama runner --ollama-engine --port 45186"',
      expected: { level: 'INFO', stage: 'runner_started', duration_ms: null, error: null },
    },
    {
      era: '0.12.11+ (INFO, also the llama-server era 0.30+)',
      source: 'Ollama v0.32.15 discover/runner.go:60 (format)',
      line: 'time=2026-08-21T18:49:58.001-07:00 level=INFO source=runner.go:60 msg="discovering available GPUs..."',
      expected: { level: 'INFO', stage: 'discovering' },
    },
    {
      era: '0.2.0 – 0.12.0',
      source: 'https://github.com/ollama/ollama/issues/12586',
      line: 'time=2025-10-12T10:43:02.502+02:00 level=INFO source=gpu.go:217 msg="looking for compatible GPUs"',
      expected: { stage: 'discovering' },
    },
    {
      era: '0.30+ (DEBUG)',
      source: 'Ollama v0.32.15 discover/llama_server.go:52 (format)',
      line: 'time=2026-08-21T18:49:58.912-07:00 level=DEBUG source=llama_server.go:52 msg="llama-server device discovery took" duration=910.512ms libDirs=[/usr/local/lib/ollama]',
      expected: { level: 'DEBUG', stage: 'finished', duration_ms: 910.512 },
    },
  ],
});

/** `GPULayers:29[ID:… Layers:29(0..28)]` → 29, `GPULayers:[]` → 0; older prints without the total are summed. */
function gpuLayersOf(request: string): number | null {
  const match = /GPULayers:(\d*)\[([^\]]*)\]/.exec(request);
  if (match === null) return null;
  if (match[1] !== '') return Number(match[1]);
  let total = 0;
  for (const layers of match[2]!.matchAll(/Layers:(\d+)/g)) total += Number(layers[1]);
  return total;
}

/** `Name:value` inside the Go struct print `{Operation:commit … KvSize:8192 …}`. */
const REQUEST_FIELD = {
  operation: /[{ ]Operation:([^\s}]*)/,
  kvSize: /[{ ]KvSize:(\d+)/,
  parallel: /[{ ]Parallel:(\d+)/,
} as const;

const modelLoadRequest = defineKind({
  kind: 'model_load_request',
  timeline: { session: true },
  fields: ['operation', 'ctx_size', 'gpu_layers', 'parallel'],
  messages: ['load'],
  test: (line) => line.attr('request') !== undefined,
  extract(line) {
    const request = line.attr('request')!;
    return {
      operation: text(REQUEST_FIELD.operation.exec(request)?.[1]),
      ctx_size: int(REQUEST_FIELD.kvSize.exec(request)?.[1]),
      gpu_layers: gpuLayersOf(request),
      parallel: int(REQUEST_FIELD.parallel.exec(request)?.[1]),
    };
  },
  samples: [
    {
      era: '0.11.5+ (one GPU)',
      line:
        'time=2026-05-05T01:30:33.958+08:00 level=INFO source=runner.go:895 msg=load request="{Operation:commit LoraPath:[] Parallel:1 ' +
        'BatchSize:512 FlashAttention:Auto KvSize:32768 KvCacheType: NumThreads:6 GPULayers:29[ID:GPU-d37b4bcf-f2dc-8fc0-086a-bffc8dad9715 ' +
        'Layers:29(0..28)] MultiUserCache:false ProjectorPath: MainGPU:0 UseMmap:true}"',
      expected: { level: 'INFO', operation: 'commit', ctx_size: 32768, gpu_layers: 29, parallel: 1 },
    },
    {
      era: '0.11.5+ (CPU only, fit/alloc before commit)',
      line:
        'time=2026-02-21T14:14:45.954-06:00 level=INFO source=runner.go:1284 msg=load request="{Operation:alloc LoraPath:[] Parallel:1 ' +
        'BatchSize:512 FlashAttention:Enabled KvSize:4096 KvCacheType: NumThreads:4 GPULayers:[] MultiUserCache:false ProjectorPath: MainGPU:0 UseMmap:false}"',
      expected: { operation: 'alloc', ctx_size: 4096, gpu_layers: 0, parallel: 1 },
    },
    {
      era: '0.11.5+ (two GPUs)',
      line:
        'time=2025-11-02T08:00:01.000Z level=INFO source=runner.go:1171 msg=load request="{Operation:commit LoraPath:[] Parallel:4 ' +
        'BatchSize:512 FlashAttention:true KvSize:16384 KvCacheType:q8_0 NumThreads:8 GPULayers:[ID:GPU-a Layers:20(0..19) ' +
        'ID:GPU-b Layers:21(20..40)] MultiUserCache:false ProjectorPath: MainGPU:0 UseMmap:true}"',
      expected: { operation: 'commit', ctx_size: 16384, gpu_layers: 41, parallel: 4 },
    },
  ],
});

/**
 * llama.cpp's runner names the file it opens on its stderr (every era of the llama.cpp engine):
 * `llama_model_loader: loaded meta data with 26 key-value pairs and 995 tensors from <path> (version GGUF V3 (latest))`.
 * Before 0.1.32 this is the only line of a load that names the model.
 */
const GGUF_OPENED = 'llama_model_loader: loaded meta data with ';
const GGUF_PATH = / tensors from (.+?)(?: \(version [^)]*\)?\))?$/;

const modelLoading = defineKind({
  kind: 'model_loading',
  fields: ['stage', 'sha256', 'model_path', 'layers_model', 'layers_requested'],
  messages: ['loading model', 'using llama-server for model', 'loading model via llama-server'],
  plainPrefixes: [GGUF_OPENED],
  extract(line) {
    if (line.msg.startsWith(GGUF_OPENED)) {
      const path = GGUF_PATH.exec(line.msg)?.[1] ?? null;
      return { stage: 'gguf_opened', sha256: sha256Of(path ?? undefined), model_path: path };
    }
    const stage =
      line.msg === 'loading model' ? 'loading' : line.msg === 'using llama-server for model' ? 'backend_selected' : 'loading_via_llama_server';
    const model = text(line.attr('model'));
    return {
      stage,
      sha256: sha256Of(model ?? undefined),
      model_path: model,
      layers_model: int(line.attr('model layers')),
      layers_requested: int(line.attr('requested')),
    };
  },
  samples: [
    {
      era: '0.11.5+',
      line: 'time=2026-05-05T01:30:33.796+08:00 level=INFO source=server.go:499 msg="loading model" "model layers"=29 requested=-1',
      expected: { level: 'INFO', stage: 'loading', sha256: null, model_path: null, layers_model: 29, layers_requested: -1 },
    },
    {
      era: '0.30+',
      line: `time=2026-10-02T11:28:56.600+09:00 level=INFO source=llama_server.go:1046 msg="loading model via llama-server" model=${BLOB}`,
      expected: { stage: 'loading_via_llama_server', sha256: BLOB_SHA, model_path: BLOB, layers_model: null },
    },
    {
      era: '0.30+',
      line: `time=2026-10-02T11:28:55.010+09:00 level=INFO source=sched.go:540 msg="using llama-server for model" model=${BLOB}`,
      expected: { stage: 'backend_selected', sha256: BLOB_SHA },
    },
  ],
});

export const LOAD_KINDS = [
  modelLoadStart,
  gpuDiscovery,
  modelLoadRequest,
  modelLoading,
] as const;
