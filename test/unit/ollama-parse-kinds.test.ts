import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KINDS, parseMessage } from '../../src/ollama/parse/index.js';
import { fieldsOf } from '../support/parsed-fields.js';

const samples = KINDS.flatMap((entry) => entry.samples.map((sample) => ({ entry, sample })));

describe('the kind table', () => {
  it.each(samples.map(({ entry, sample }) => [entry.kind, sample.era, entry, sample] as const))(
    '%s — %s',
    (_kind, _era, entry, sample) => {
      const parsed = fieldsOf(parseMessage(sample.line));
      const expected = { kind: entry.kind, ...sample.expected };
      for (const [field, value] of Object.entries(expected)) {
        expect(parsed[field], `${field} of ${sample.line}`).toEqual(value);
      }
      // Every field of the kind is present (null when absent), and nothing else.
      const allowed = ['kind', 'level', ...entry.fields];
      expect(Object.keys(parsed).filter((key) => !allowed.includes(key))).toEqual([]);
      for (const field of entry.fields) expect(parsed).toHaveProperty(field);
    },
  );

  it('has unique kinds, each with samples', () => {
    const kinds = KINDS.map((entry) => entry.kind);
    // model_load_start and gpu_discovery share messages but are separate kinds.
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const entry of KINDS) expect(entry.samples.length, entry.kind).toBeGreaterThan(0);
  });

  // ollama_events holds every kind's fields in one measurement: a field name must keep one type.
  it('gives each field name one type across all kinds', () => {
    const types = new Map<string, Set<string>>();
    for (const { sample } of samples) {
      for (const [field, value] of Object.entries(parseMessage(sample.line))) {
        if (value === null) continue;
        const set = types.get(field) ?? new Set<string>();
        set.add(typeof value);
        types.set(field, set);
      }
    }
    const mixed = [...types].filter(([, set]) => set.size > 1).map(([field]) => field);
    expect(mixed).toEqual([]);
    for (const field of ['size_bytes', 'total_bytes', 'ctx_size', 'gpu_layers', 'parallel', 'seconds', 'load_seconds']) {
      expect([...(types.get(field) ?? [])], field).toEqual(['number']);
    }
  });

  // The formats of every era in ollama-log-formats.md, by a marker each era's sample must contain.
  const ERA_MARKERS: Record<string, string[]> = {
    request: ['µs |', 's |', '5m0s', '                 |', '\u001b['],
    server_start: ['msg="Listening on', ' routes.go:793: Listening on', '[::]:11434'],
    server_config: [': INFO server config env="map[', 'msg="server config"'],
    inference_compute: ['variant=', 'description=', 'id=cpu library=cpu'],
    system_memory: ['msg="system memory"'],
    model_load_start: ['ollama_llama_server --model', 'msg="starting llama server" cmd="/usr/local/bin/ollama runner', 'msg="starting runner"', 'msg="starting llama-server"', ' -ngl '],
    gpu_discovery: ['--ollama-engine --port'],
    model_load_request: ['Operation:commit', 'GPULayers:[]', 'GPULayers:[ID:'],
    model_loading: ['"model layers"=', 'loading model via llama-server', 'using llama-server for model'],
    model_loaded: ['msg="llama runner started in', 'msg="llama-server started in', 'llama.go:577: llama runner'],
    waiting_for_runner: ['waiting for llama runner to start responding', 'waiting for server to become available'],
    load_error: ['exit status 2', 'timed out waiting', 'llama-server process has terminated'],
    memory_estimate: ['msg="offload to gpu"', 'msg="offload to cuda"', 'msg=offload library='],
    memory_allocation: ['msg="model weights" device=', 'msg="kv cache"', 'msg="total memory"', 'buffer=CUDA0', 'backend=CPU'],
    vram_update: ['msg="updated VRAM based on existing loaded models"'],
    vram_timeout: [' model=/', 'runner.model=', 'level=DEBUG'],
    vram_recovered: ['converged after'],
    eviction: ['new model will fit', 'evicting a model to make space', 'predicted to exceed'],
    model_unload: ['modelPath=', 'runner.name=', 'shutting down runner', 'sending an unloaded event', 'unload completed', 'timer expired', 'got lock to unload'],
    prompt_truncated: [' keep=', 'numKeep='],
  };

  it.each(Object.entries(ERA_MARKERS))('%s has a sample for every era', (kind, markers) => {
    const lines = KINDS.find((entry) => entry.kind === kind)!.samples.map((sample) => sample.line);
    for (const marker of markers) expect(lines.some((line) => line.includes(marker)), marker).toBe(true);
  });

  it('is documented: the README fragment lists every kind and its fields', () => {
    const fragment = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const entry of KINDS) {
      const row = fragment.split('\n').find((line) => line.startsWith(`| \`${entry.kind}\``));
      expect(row, entry.kind).toBeDefined();
      for (const field of entry.fields) expect(row, `${entry.kind}.${field}`).toContain(`\`${field}\``);
    }
  });
});

describe('parseMessage on other lines', () => {
  it.each([
    ['llama_model_loader: - kv   0:                       general.architecture str              = qwen2', { kind: 'unknown' }],
    ['load_tensors: offloading 40 repeating layers to GPU', { kind: 'unknown' }],
    ['ggml_cuda_init: found 2 CUDA devices:', { kind: 'unknown' }],
    ['panic: runtime error: invalid memory address or nil pointer dereference', { kind: 'unknown' }],
    ['goroutine 1 [running]:', { kind: 'unknown' }],
    ['[GIN-debug] POST   /api/pull                 --> github.com/ollama/ollama/server.(*Server).PullHandler-fm (5 handlers)', { kind: 'unknown' }],
    ['[GIN] 2025/03/02 - 09:14:07 | garbage', { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
    ['time=2025-03-02T09:14:09.118+03:00 level=INFO source=ggml.go:104 msg=system CPU.0.SSE3=1 compiler=cgo(gcc)', { kind: 'unknown', level: 'INFO' }],
    ['time=2025-03-02T09:14:09.118+03:00 level=DEBUG-8 source=sched.go:1 msg="processing incoming request"', { kind: 'unknown', level: 'DEBUG' }],
    ['time=2025-03-02T09:14:09.118+03:00 level=TRACE source=sched.go:1 msg="x"', { kind: 'unknown', level: 'TRACE' }],
    ['time=2025-03-02T09:14:09.118+03:00 level=WARN source=server.go:1 msg="offloading output layer to CPU"', { kind: 'unknown', level: 'WARN' }],
    ['2024/05/27 12:32:31 images.go:737: total blobs: 5', { kind: 'unknown' }],
    ['2024/05/27 12:32:31 routes.go:1074: WARN something odd', { kind: 'unknown', level: 'WARN' }],
    ['time=2025-03-02T09:14:09.118+03:00 level=INFO msg="loaded runner" count=1', { kind: 'unknown', level: 'INFO' }],
    // A message that only shares a first word with a known one.
    ['time=t level=INFO source=x.go:1 msg="system memory pressure"', { kind: 'unknown', level: 'INFO' }],
    ['time=t level=INFO source=x.go:1 msg="model weights"', { kind: 'unknown', level: 'INFO' }],
  ])('%j → %j', (line, expected) => {
    expect(parseMessage(line)).toEqual(expected);
  });

  it('strips ANSI colour codes before anything else', () => {
    const coloured = '\u001b[90mtime=2025-03-02T09:14:09.118+03:00\u001b[0m level=INFO msg="llama runner started in 1.50 seconds"';
    expect(parseMessage(coloured)).toEqual({ kind: 'model_loaded', level: 'INFO', load_seconds: 1.5 });
  });

  it('keeps the kind a log-package line states after its level', () => {
    expect(parseMessage('2024/05/27 12:32:31 sched.go:1: DEBUG-4 timer expired, expiring to unload modelPath=/m/blobs/sha256-' + 'ab'.repeat(32))).toEqual({
      kind: 'model_unload',
      level: 'DEBUG',
      stage: 'timer_expired',
      sha256: 'ab'.repeat(32),
      model_name: null,
      runner_pid: null,
      keep_alive_ms: null,
    });
  });

  it('never throws, whatever it is given', () => {
    const nasty = [
      'time=', 'time=x level= msg=', 'time=x msg="unterminated', 'msg="\\', '[GIN] |||||', '[GIN] | 200 | bad | | ',
      'time=x msg="starting runner" cmd="', 'time=x msg=load request="{GPULayers:[', 'time=x msg="server config" env="map[',
      '2024/05/27 12:32:31 ', '\u001b[', '\uFFFD\uFFFD', 'time=x msg="offload to " memory.available="[',
    ];
    for (const line of nasty) {
      const parsed = parseMessage(line);
      expect(typeof parsed.kind).toBe('string');
    }
    expect(parseMessage(undefined as unknown as string).kind).toBe('unknown');
  });
});
