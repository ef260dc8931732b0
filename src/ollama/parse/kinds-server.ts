// Kinds logged once per server start: address and version, configuration, GPUs, system memory.

import { defineKind } from './types.js';
import { bytes, parseGoMap, text } from './values.js';

const LISTENING = /^Listening on (\S+)(?: \(version ([^)\s]+)\))?/;

const serverStart = defineKind({
  kind: 'server_start',
  timeline: { session: true },
  fields: ['listen', 'version'],
  prefixes: ['Listening on '],
  extract(line) {
    const match = LISTENING.exec(line.msg);
    return { listen: match?.[1], version: match?.[2] };
  },
  samples: [
    {
      era: 'slog (0.1.21+), version suffix',
      line: 'time=2025-03-02T09:14:05.001+03:00 level=INFO source=routes.go:1231 msg="Listening on 127.0.0.1:11434 (version 0.12.7)"',
      expected: { level: 'INFO', listen: '127.0.0.1:11434', version: '0.12.7' },
    },
    {
      era: 'slog, IPv6 listener',
      line: 'time=2025-03-02T09:14:05.001+03:00 level=INFO source=routes.go:1339 msg="Listening on [::]:11434 (version 0.6.2)"',
      expected: { level: 'INFO', listen: '[::]:11434', version: '0.6.2' },
    },
    {
      era: 'log package (before 0.1.21), version suffix since late 2023',
      line: '2023/11/20 10:02:11 routes.go:793: Listening on 127.0.0.1:11434 (version 0.1.11)',
      expected: { listen: '127.0.0.1:11434', version: '0.1.11' },
    },
    {
      era: 'log package, before the version suffix',
      line: '2023/09/25 18:40:02 routes.go:560: Listening on 127.0.0.1:11434',
      expected: { listen: '127.0.0.1:11434', version: null },
    },
  ],
});

const serverConfig = defineKind({
  kind: 'server_config',
  timeline: { session: true },
  fields: ['env', 'models_dir', 'keep_alive'],
  messages: ['server config'],
  extract(line) {
    const raw = line.attr('env');
    const map = raw === undefined ? null : parseGoMap(raw);
    if (map === null) return { env: null, models_dir: null, keep_alive: null };
    // An empty value means "unset, Ollama's default": null, in the map as in the fields taken from it.
    const env: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(map)) env[key] = value === '' ? null : value;
    return { env, models_dir: text(map['OLLAMA_MODELS']), keep_alive: text(map['OLLAMA_KEEP_ALIVE']) };
  },
  samples: [
    {
      era: 'log package with slog default handler (0.1.3x – 0.6.x)',
      line:
        '2024/05/27 12:32:31 routes.go:1028: INFO server config env="map[OLLAMA_DEBUG:false OLLAMA_HOST: ' +
        'OLLAMA_KEEP_ALIVE: OLLAMA_LLM_LIBRARY: OLLAMA_MAX_LOADED_MODELS:1 OLLAMA_MAX_QUEUE:512 OLLAMA_MAX_VRAM:0 ' +
        'OLLAMA_MODELS: OLLAMA_NOHISTORY:false OLLAMA_NOPRUNE:false OLLAMA_NUM_PARALLEL:1 OLLAMA_ORIGINS:[http://localhost ' +
        'https://localhost http://127.0.0.1:* app://* file://*] OLLAMA_RUNNERS_DIR: OLLAMA_TMPDIR:]"',
      expected: {
        level: 'INFO',
        env: {
          OLLAMA_DEBUG: 'false',
          OLLAMA_HOST: null,
          OLLAMA_KEEP_ALIVE: null,
          OLLAMA_LLM_LIBRARY: null,
          OLLAMA_MAX_LOADED_MODELS: '1',
          OLLAMA_MAX_QUEUE: '512',
          OLLAMA_MAX_VRAM: '0',
          OLLAMA_MODELS: null,
          OLLAMA_NOHISTORY: 'false',
          OLLAMA_NOPRUNE: 'false',
          OLLAMA_NUM_PARALLEL: '1',
          OLLAMA_ORIGINS: '[http://localhost https://localhost http://127.0.0.1:* app://* file://*]',
          OLLAMA_RUNNERS_DIR: null,
          OLLAMA_TMPDIR: null,
        },
        models_dir: null,
        keep_alive: null,
      },
    },
    {
      era: 'slog (0.7+), lower-case proxy keys at the end',
      line:
        'time=2025-07-23T21:40:01.554+10:00 level=INFO source=routes.go:1297 msg="server config" env="map[CUDA_VISIBLE_DEVICES: ' +
        'HTTPS_PROXY: OLLAMA_CONTEXT_LENGTH:4096 OLLAMA_DEBUG:INFO OLLAMA_HOST:http://0.0.0.0:11434 OLLAMA_KEEP_ALIVE:5m0s ' +
        'OLLAMA_MODELS:/data/ollama models OLLAMA_NUM_PARALLEL:1 OLLAMA_ORIGINS:[http://localhost https://localhost:*] ' +
        'ROCR_VISIBLE_DEVICES: http_proxy: https_proxy: no_proxy:]"',
      expected: {
        level: 'INFO',
        env: {
          CUDA_VISIBLE_DEVICES: null,
          HTTPS_PROXY: null,
          OLLAMA_CONTEXT_LENGTH: '4096',
          OLLAMA_DEBUG: 'INFO',
          OLLAMA_HOST: 'http://0.0.0.0:11434',
          OLLAMA_KEEP_ALIVE: '5m0s',
          OLLAMA_MODELS: '/data/ollama models',
          OLLAMA_NUM_PARALLEL: '1',
          OLLAMA_ORIGINS: '[http://localhost https://localhost:*]',
          ROCR_VISIBLE_DEVICES: null,
          http_proxy: null,
          https_proxy: null,
          no_proxy: null,
        },
        models_dir: '/data/ollama models',
        keep_alive: '5m0s',
      },
    },
  ],
});

const inferenceCompute = defineKind({
  kind: 'inference_compute',
  fields: ['id', 'library', 'variant', 'compute', 'driver', 'name', 'description', 'total_bytes', 'available_bytes'],
  messages: ['inference compute'],
  extract(line) {
    return {
      id: text(line.attr('id')),
      library: text(line.attr('library')),
      variant: text(line.attr('variant')),
      compute: text(line.attr('compute')),
      driver: text(line.attr('driver')),
      name: text(line.attr('name')),
      description: text(line.attr('description')),
      total_bytes: bytes(line.attr('total')),
      available_bytes: bytes(line.attr('available')),
    };
  },
  samples: [
    {
      era: '0.1.3x – 0.4',
      line:
        'time=2024-06-01T10:00:00.123Z level=INFO source=types.go:71 msg="inference compute" id=GPU-452cac9f-6960-839c-4fb3-0cec83699196 ' +
        'library=cuda compute=8.6 driver=12.2 name="NVIDIA GeForce RTX 3060" total="11.8 GiB" available="11.6 GiB"',
      expected: {
        level: 'INFO', id: 'GPU-452cac9f-6960-839c-4fb3-0cec83699196', library: 'cuda', variant: null, compute: '8.6',
        driver: '12.2', name: 'NVIDIA GeForce RTX 3060', description: null, total_bytes: 12670153523, available_bytes: 12455405158,
      },
    },
    {
      era: '0.5 – 0.11 (variant)',
      line:
        'time=2025-07-30T10:36:51.789+10:00 level=INFO source=types.go:130 msg="inference compute" id=GPU-72c48c23-32a4-2e54-95c9-99bb82483caa ' +
        'library=cuda variant=v12 compute=8.6 driver=12.4 name="NVIDIA GeForce RTX 3060" total="11.8 GiB" available="11.6 GiB"',
      expected: { id: 'GPU-72c48c23-32a4-2e54-95c9-99bb82483caa', library: 'cuda', variant: 'v12', driver: '12.4' },
    },
    {
      era: '0.12+ (description, libdirs, pci_id, type, filter_id)',
      line:
        'time=2026-05-05T01:29:58.412+08:00 level=INFO source=types.go:42 msg="inference compute" id=GPU-d37b4bcf-f2dc-8fc0-086a-bffc8dad9715 ' +
        'filter_id="" library=CUDA compute=8.6 name=CUDA0 description="NVIDIA GeForce RTX 3060" libdirs=ollama,cuda_v13 driver=13.0 ' +
        'pci_id=0000:01:00.0 type=discrete total="12.0 GiB" available="10.7 GiB"',
      expected: {
        id: 'GPU-d37b4bcf-f2dc-8fc0-086a-bffc8dad9715', library: 'CUDA', name: 'CUDA0', description: 'NVIDIA GeForce RTX 3060',
        driver: '13.0', total_bytes: 12884901888, available_bytes: 11489037517,
      },
    },
    {
      era: 'CPU only',
      line:
        'time=2025-03-02T09:14:05.201+03:00 level=INFO source=types.go:60 msg="inference compute" id=cpu library=cpu compute="" ' +
        'name=cpu description=cpu libdirs=ollama driver="" pci_id="" type="" total="62.7 GiB" available="56.0 GiB"',
      expected: { id: 'cpu', library: 'cpu', compute: null, driver: null, total_bytes: 67323612365, available_bytes: 60129542144 },
    },
  ],
});

const systemMemory = defineKind({
  kind: 'system_memory',
  fields: ['total_bytes', 'free_bytes', 'free_swap_bytes'],
  messages: ['system memory'],
  extract(line) {
    return {
      total_bytes: bytes(line.attr('total')),
      free_bytes: bytes(line.attr('free')),
      free_swap_bytes: bytes(line.attr('free_swap')),
    };
  },
  samples: [
    {
      era: '0.3 – 0.11 (server.go)',
      line: 'time=2025-07-30T10:49:00.715+10:00 level=INFO source=server.go:135 msg="system memory" total="31.2 GiB" free="24.0 GiB" free_swap="16.0 GiB"',
      expected: { level: 'INFO', total_bytes: 33500744909, free_bytes: 25769803776, free_swap_bytes: 17179869184 },
    },
    {
      era: '0.12+ (sched.go)',
      line: 'time=2026-05-05T01:30:33.796+08:00 level=INFO source=sched.go:484 msg="system memory" total="15.6 GiB" free="13.9 GiB" free_swap="0 B"',
      expected: { total_bytes: 16750372454, free_bytes: 14925011354, free_swap_bytes: 0 },
    },
  ],
});

export const SERVER_KINDS = [serverStart, serverConfig, inferenceCompute, systemMemory] as const;
