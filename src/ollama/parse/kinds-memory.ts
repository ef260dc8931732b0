// Kinds about memory: the scheduler's estimate per load, the allocations per device, VRAM updates.

import { defineKind } from './types.js';
import { bytes, bytesSum, int, text } from './values.js';

/**
 * `offload to gpu` (0.1.38 – 0.1.44), `offload to cuda|rocm|metal|cpu` (0.1.45 – 0.5.x) and
 * `msg=offload library=…` (0.6.0 – 0.12.10). `memory.available` is a list with one entry per GPU
 * since 0.1.45 (`[11.1 GiB 5.0 GiB]`): available_bytes is its sum.
 */
const memoryEstimate = defineKind({
  kind: 'memory_estimate',
  fields: [
    'library',
    'layers_requested',
    'layers_model',
    'layers_offload',
    'available_bytes',
    'required_full_bytes',
    'required_partial_bytes',
    'required_kv_bytes',
    'weights_total_bytes',
    'graph_full_bytes',
    'graph_partial_bytes',
  ],
  messages: ['offload'],
  prefixes: ['offload to '],
  extract(line) {
    const target = line.msg.startsWith('offload to ') ? line.msg.slice('offload to '.length) : '';
    return {
      // "offload to gpu" names no library; "offload to cuda" does.
      library: text(line.attr('library')) ?? (target === '' || target === 'gpu' ? null : target),
      layers_requested: int(line.attr('layers.requested')),
      layers_model: int(line.attr('layers.model')),
      layers_offload: int(line.attr('layers.offload') ?? line.attr('layers.real')),
      available_bytes: bytesSum(line.attr('memory.available')),
      required_full_bytes: bytes(line.attr('memory.required.full')),
      required_partial_bytes: bytes(line.attr('memory.required.partial')),
      required_kv_bytes: bytes(line.attr('memory.required.kv')),
      weights_total_bytes: bytes(line.attr('memory.weights.total')),
      graph_full_bytes: bytes(line.attr('memory.graph.full')),
      graph_partial_bytes: bytes(line.attr('memory.graph.partial')),
    };
  },
  samples: [
    {
      era: '0.1.38 – 0.1.44 (offload to gpu, layers.real)',
      line:
        'time=2024-05-20T10:00:00.000Z level=INFO source=memory.go:133 msg="offload to gpu" layers.requested=-1 layers.real=0 ' +
        'memory.available="639.8 MiB" memory.required.full="12.5 GiB" memory.required.partial="0 B" memory.required.kv="1.0 GiB" ' +
        'memory.weights.total="11.6 GiB" memory.weights.repeating="11.0 GiB" memory.weights.nonrepeating="532.3 MiB" ' +
        'memory.graph.full="560.0 MiB" memory.graph.partial="677.5 MiB"',
      expected: {
        level: 'INFO', library: null, layers_requested: -1, layers_model: null, layers_offload: 0, available_bytes: 670878925,
        required_full_bytes: 13421772800, required_partial_bytes: 0, required_kv_bytes: 1073741824, weights_total_bytes: 12455405158,
        graph_full_bytes: 587202560, graph_partial_bytes: 710410240,
      },
    },
    {
      era: '0.1.45 – 0.5.x (offload to <library>, list of available)',
      line:
        'time=2024-11-08T01:39:28.600+05:30 level=INFO source=memory.go:326 msg="offload to cuda" layers.requested=-1 layers.model=33 ' +
        'layers.offload=33 layers.split="" memory.available="[11.1 GiB]" memory.gpu_overhead="0 B" memory.required.full="5.8 GiB" ' +
        'memory.required.partial="5.8 GiB" memory.required.kv="1.0 GiB" memory.required.allocations="[5.8 GiB]" ' +
        'memory.weights.total="4.7 GiB" memory.weights.repeating="4.3 GiB" memory.weights.nonrepeating="411.0 MiB" ' +
        'memory.graph.full="560.0 MiB" memory.graph.partial="677.5 MiB"',
      expected: {
        library: 'cuda', layers_requested: -1, layers_model: 33, layers_offload: 33, available_bytes: 11918534246,
        required_full_bytes: 6227702579, weights_total_bytes: 5046586573,
      },
    },
    {
      era: '0.1.45 – 0.5.x (two GPUs: available is summed)',
      line:
        'time=2024-09-01T12:00:00.000Z level=INFO source=memory.go:309 msg="offload to rocm" layers.requested=-1 layers.model=81 ' +
        'layers.offload=81 layers.split=41,40 memory.available="[15.9 GiB 15.9 GiB]" memory.required.full="29.4 GiB" ' +
        'memory.required.partial="29.4 GiB" memory.required.kv="2.5 GiB" memory.weights.total="26.0 GiB"',
      expected: { library: 'rocm', layers_model: 81, available_bytes: 34144990004, required_full_bytes: 31568009626, graph_full_bytes: null },
    },
    {
      era: '0.6.0 – 0.12.10 (msg=offload library=…)',
      line:
        'time=2025-07-30T10:53:50.069+10:00 level=INFO source=server.go:175 msg=offload library=cuda layers.requested=-1 layers.model=29 ' +
        'layers.offload=29 layers.split="" memory.available="[3.1 GiB]" memory.gpu_overhead="0 B" memory.required.full="1.9 GiB" ' +
        'memory.required.partial="1.9 GiB" memory.required.kv="224.0 MiB" memory.required.allocations="[1.9 GiB]" ' +
        'memory.weights.total="934.7 MiB" memory.weights.repeating="752.1 MiB" memory.weights.nonrepeating="182.6 MiB" ' +
        'memory.graph.full="299.8 MiB" memory.graph.partial="482.3 MiB"',
      expected: {
        library: 'cuda', layers_model: 29, layers_offload: 29, available_bytes: 3328599654, required_full_bytes: 2040109466,
        required_kv_bytes: 234881024, weights_total_bytes: 980103987,
      },
    },
  ],
});

/** 0.6 – 0.11.4 name the device `buffer=` / `backend=`; 0.11.5+ `device=`; `total memory` has none. */
const memoryAllocation = defineKind({
  kind: 'memory_allocation',
  fields: ['part', 'device', 'size_bytes'],
  messages: ['model weights', 'kv cache', 'compute graph', 'total memory'],
  test: (line) => line.attr('size') !== undefined,
  extract(line) {
    return {
      part: line.msg,
      device: text(line.attr('device') ?? line.attr('buffer') ?? line.attr('backend')),
      size_bytes: bytes(line.attr('size')),
    };
  },
  samples: [
    {
      era: '0.11.5+',
      line: 'time=2026-05-05T01:30:33.796+08:00 level=INFO source=device.go:240 msg="model weights" device=CUDA0 size="4.1 GiB"',
      expected: { level: 'INFO', part: 'model weights', device: 'CUDA0', size_bytes: 4402341478 },
    },
    {
      era: '0.11.5+',
      line: 'time=2026-05-05T01:30:33.796+08:00 level=INFO source=device.go:251 msg="kv cache" device=CUDA0 size="1.8 GiB"',
      expected: { part: 'kv cache', device: 'CUDA0', size_bytes: 1932735283 },
    },
    {
      era: '0.11.5+',
      line: 'time=2026-05-05T01:30:33.796+08:00 level=INFO source=device.go:272 msg="total memory" size="7.6 GiB"',
      expected: { part: 'total memory', device: null, size_bytes: 8160437862 },
    },
    {
      era: '0.6 – 0.11.4 (ollama engine, buffer=/backend=)',
      line: 'time=2025-07-30T10:49:00.901+10:00 level=INFO source=ggml.go:377 msg="model weights" buffer=CUDA0 size="6.0 GiB"',
      expected: { part: 'model weights', device: 'CUDA0', size_bytes: 6442450944 },
    },
    {
      era: '0.6 – 0.11.4 (ollama engine, buffer=/backend=)',
      line: 'time=2025-07-30T10:49:14.013+10:00 level=INFO source=ggml.go:666 msg="compute graph" backend=CPU buffer_type=CPU size="2.2 MiB"',
      expected: { part: 'compute graph', device: 'CPU', size_bytes: 2306867 },
    },
  ],
});

const vramUpdate = defineKind({
  kind: 'vram_update',
  fields: ['gpu', 'library', 'total_bytes', 'available_bytes'],
  messages: ['updated VRAM based on existing loaded models'],
  extract(line) {
    return {
      gpu: text(line.attr('gpu')),
      library: text(line.attr('library')),
      total_bytes: bytes(line.attr('total')),
      available_bytes: bytes(line.attr('available')),
    };
  },
  samples: [
    {
      era: '0.1.45+ (unchanged since)',
      line:
        'time=2025-07-23T09:27:14.373+10:00 level=INFO source=sched.go:509 msg="updated VRAM based on existing loaded models" ' +
        'gpu=GPU-72c48c23-32a4-2e54-95c9-99bb82483caa library=cuda total="11.8 GiB" available="1.5 GiB"',
      expected: {
        level: 'INFO', gpu: 'GPU-72c48c23-32a4-2e54-95c9-99bb82483caa', library: 'cuda', total_bytes: 12670153523, available_bytes: 1610612736,
      },
    },
    {
      era: '0.12+ (upper-case library)',
      line:
        'time=2026-05-05T01:31:10.000+08:00 level=INFO source=sched.go:620 msg="updated VRAM based on existing loaded models" ' +
        'gpu=GPU-d37b4bcf-f2dc-8fc0-086a-bffc8dad9715 library=CUDA total="12.0 GiB" available="9.8 GiB"',
      expected: { library: 'CUDA', total_bytes: 12884901888, available_bytes: 10522669875 },
    },
  ],
});

/** 0.11.5+ (new engine, and llama-server 0.30+): one line per GPU a load may use, before the load. */
const gpuMemory = defineKind({
  kind: 'gpu_memory',
  fields: ['gpu', 'library', 'available_bytes', 'free_bytes', 'minimum_bytes', 'overhead_bytes'],
  messages: ['gpu memory'],
  extract(line) {
    return {
      gpu: text(line.attr('id')),
      library: text(line.attr('library')),
      available_bytes: bytes(line.attr('available')),
      free_bytes: bytes(line.attr('free')),
      minimum_bytes: bytes(line.attr('minimum')),
      overhead_bytes: bytes(line.attr('overhead')),
    };
  },
  samples: [
    {
      era: '0.12.6+ (library=)',
      source: 'https://github.com/ollama/ollama/issues/15930 (0.12.x, ROCm)',
      line:
        'time=2025-11-13T10:10:51.925+08:00 level=INFO source=server.go:665 msg="gpu memory" id=0 library=ROCm available="6.1 GiB" free="6.5 GiB" ' +
        'minimum="457.0 MiB" overhead="0 B"',
      expected: {
        level: 'INFO', gpu: '0', library: 'ROCm', available_bytes: 6549825126, free_bytes: 6979321856, minimum_bytes: 479199232, overhead_bytes: 0,
      },
    },
    {
      era: '0.11.5 – 0.12.5 (no library)',
      source: 'Ollama v0.12.0 server/sched.go (format)',
      line: 'time=2025-09-20T10:00:00.000+02:00 level=INFO source=sched.go:497 msg="gpu memory" id=GPU-72c48c23 available="3.1 GiB" free="3.6 GiB" minimum="457.0 MiB" overhead="0 B"',
      expected: { gpu: 'GPU-72c48c23', library: null, available_bytes: 3328599654, free_bytes: 3865470566 },
    },
  ],
});

const OFFLOADED = /offloaded (\d+)\/(\d+) layers to GPU/;

/**
 * How many layers a load put on the GPU: the new engine's `offloaded 29/29 layers to GPU` (0.6+,
 * slog) and llama.cpp's own `load_tensors: offloaded 41/41 layers to GPU` (`llm_load_tensors:` before
 * 2025) on the runner's stderr.
 */
const gpuOffload = defineKind({
  kind: 'gpu_offload',
  fields: ['layers_offloaded', 'layers_total'],
  prefixes: ['offloaded '],
  plainPrefixes: ['load_tensors: offloaded ', 'llm_load_tensors: offloaded '],
  extract(line) {
    const match = OFFLOADED.exec(line.msg);
    return match === null ? null : { layers_offloaded: Number(match[1]), layers_total: Number(match[2]) };
  },
  samples: [
    {
      era: '0.6+ (new engine, ggml.go)',
      source: 'https://github.com/ollama/ollama/issues/13320 (0.13.x)',
      line: 'time=2025-12-03T14:48:11.944-08:00 level=INFO source=ggml.go:494 msg="offloaded 0/25 layers to GPU"',
      expected: { level: 'INFO', layers_offloaded: 0, layers_total: 25 },
    },
    {
      era: 'llama.cpp runner stderr (2025+)',
      source: 'https://github.com/ollama/ollama/issues/13552',
      line: 'load_tensors: offloaded 41/41 layers to GPU',
      expected: { layers_offloaded: 41, layers_total: 41 },
    },
  ],
});

export const MEMORY_KINDS = [memoryEstimate, memoryAllocation, vramUpdate, gpuMemory, gpuOffload] as const;
