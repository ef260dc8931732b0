// A journal shaped like the user's seed host (seeds/gantt-flux-journal.ru.md: an Ollama 0.9 box at
// +10:00, `ollama[35304]`), as journald really stores it:
// - bursts: lines journald read from the stream in one go share one __REALTIME_TIMESTAMP (the start-up
//   block, llama.cpp's loader output, two [GIN] lines, a [GIN] line with a runner warning);
// - stdout and stderr: gin writes to stdout, slog and the runner to stderr; with the unit's default
//   StandardError=inherit both are one stream (one _STREAM_ID), both `_TRANSPORT=stdout`;
// - systemd's own lines about the unit (_PID=1, UNIT=ollama.service), which `journalctl -u` includes.
//
// Line texts: the seed's own lines (23:26–23:29, the VRAM timeouts, the 4.26 s load, the truncated
// prompt); start-up and systemd lines as users pasted them in ollama/ollama#7892 and #8525.
// Times are given for the seed's evening and can be shifted (`shiftUs`) to end near "now".

import type { FixtureEntry } from './journal.js';
import { SHA, isoToUs } from './timeline-scenario.js';

export const SEED_HOST = 'user-MS-7D18';
/** The range the fixed-time tests read, and what the hand-checked expectation covers. */
export const SEED_START = '2025-07-22T23:20:00Z';
export const SEED_STOP = '2025-07-23T00:30:00Z';

const BLOBS = '/usr/share/ollama/.ollama/models/blobs';
const GPU = 'GPU-72c48c23-32a4-2e54-95c9-99bb82483caa';
const ZONE_US = 10n * 3_600_000_000n;
const STREAM_1 = 'a3c1f0e2b4d54c6e8f1029384756abcd';
const STREAM_2 = '0f9e8d7c6b5a49382716a5b4c3d2e1f0';

type Kind = 'stdout' | 'stderr' | 'systemd';
interface Line {
  readonly us: bigint;
  readonly kind: Kind;
  readonly pid: number;
  readonly message: string;
}

function localIso(us: bigint): string {
  return new Date(Number((us + ZONE_US) / 1000n)).toISOString().slice(0, 23);
}

function slog(us: bigint, level: string, source: string, msg: string, attrs = ''): string {
  const quoted = /[\s="]/.test(msg) ? `"${msg.replaceAll('"', '\\"')}"` : msg;
  return `time=${localIso(us)}+10:00 level=${level} source=${source} msg=${quoted}${attrs === '' ? '' : ` ${attrs}`}`;
}

function gin(us: bigint, status: number, latency: string, client: string, method: string, path: string): string {
  const d = localIso(us);
  return `[GIN] ${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)} - ${d.slice(11, 19)} | ${status} | ${latency.padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)} "${path}"`;
}

function serverConfig(us: bigint, keepAlive: string): string {
  return slog(
    us,
    'INFO',
    'routes.go:1235',
    'server config',
    'env="map[CUDA_VISIBLE_DEVICES: GPU_DEVICE_ORDINAL: HIP_VISIBLE_DEVICES: HSA_OVERRIDE_GFX_VERSION: HTTPS_PROXY: HTTP_PROXY: NO_PROXY: ' +
      `OLLAMA_CONTEXT_LENGTH:2048 OLLAMA_DEBUG:INFO OLLAMA_FLASH_ATTENTION:false OLLAMA_GPU_OVERHEAD:0 OLLAMA_HOST:http://127.0.0.1:11434 OLLAMA_KEEP_ALIVE:${keepAlive} ` +
      'OLLAMA_KV_CACHE_TYPE: OLLAMA_LLM_LIBRARY: OLLAMA_LOAD_TIMEOUT:5m0s OLLAMA_MAX_LOADED_MODELS:0 OLLAMA_MAX_QUEUE:512 OLLAMA_MODELS:/usr/share/ollama/.ollama/models ' +
      'OLLAMA_MULTIUSER_CACHE:false OLLAMA_NEW_ENGINE:false OLLAMA_NOHISTORY:false OLLAMA_NOPRUNE:false OLLAMA_NUM_PARALLEL:1 ' +
      'OLLAMA_ORIGINS:[http://localhost https://localhost http://localhost:* https://localhost:* http://127.0.0.1 https://127.0.0.1 http://127.0.0.1:* https://127.0.0.1:* http://0.0.0.0 https://0.0.0.0 http://0.0.0.0:* https://0.0.0.0:* app://* file://* tauri://* vscode-webview://* vscode-file://*] ' +
      'OLLAMA_SCHED_SPREAD:false ROCR_VISIBLE_DEVICES: http_proxy: https_proxy: no_proxy:]"',
  );
}

function llamaServer(us: bigint, sha: string, ctx: number, layers: number, parallel: number, port: number): string {
  return slog(
    us,
    'INFO',
    'server.go:438',
    'starting llama server',
    `cmd="/usr/local/bin/ollama runner --model ${BLOBS}/sha256-${sha} --ctx-size ${ctx} --batch-size 512 --n-gpu-layers ${layers} --threads 6 --parallel ${parallel} --port ${port}"`,
  );
}

/** The lines of one process start: a start-up burst, then the GPU found a second later. */
function startUp(at: string, pid: number, keepAlive: string): [bigint, Kind, number, (us: bigint) => string][] {
  const burst = t(at) + 52_311n;
  return [
    [t(at), 'systemd', 1, () => 'Started ollama.service - Ollama Service.'],
    [burst, 'stderr', pid, (us) => serverConfig(us, keepAlive)],
    [burst, 'stderr', pid, (us) => slog(us, 'INFO', 'images.go:476', 'total blobs: 14')],
    [burst, 'stderr', pid, (us) => slog(us, 'INFO', 'images.go:483', 'total unused blobs removed: 0')],
    [burst, 'stderr', pid, (us) => slog(us, 'INFO', 'routes.go:1288', 'Listening on 127.0.0.1:11434 (version 0.9.6)')],
    [burst, 'stderr', pid, (us) => slog(us, 'INFO', 'gpu.go:217', 'looking for compatible GPUs')],
    [
      t(at) + 1_311_094n,
      'stderr',
      pid,
      (us) => slog(us, 'INFO', 'types.go:130', 'inference compute', `id=${GPU} library=cuda variant=v12 compute=8.6 driver=12.8 name="NVIDIA GeForce RTX 3060" total="11.8 GiB" available="11.1 GiB"`),
    ],
  ];
}

const t = isoToUs;
/** [journal time (µs, UTC), stream, _PID, MESSAGE from that time], in journal order. */
const LINES: [bigint, Kind, number, (us: bigint) => string][] = [
  ...startUp('2025-07-22T23:20:00.000000Z', 35304, '5m0s'),
  // gemma3:12b: loaded for a chat, a prompt truncated, unloaded for gemma3:1b (the seed's 23:26–23:27).
  [t('2025-07-22T23:26:23.612000Z'), 'stderr', 35304, (us) => slog(us, 'INFO', 'server.go:175', 'offload', 'library=cuda layers.requested=-1 layers.model=49 layers.offload=49 layers.split="" memory.available="[11.1 GiB]" memory.gpu_overhead="0 B" memory.required.full="11.0 GiB" memory.required.partial="11.0 GiB" memory.required.kv="768.0 MiB" memory.weights.total="6.8 GiB"')],
  [t('2025-07-22T23:26:23.639000Z'), 'stderr', 35304, (us) => llamaServer(us, SHA.gemma12b, 2048, 49, 1, 40797)],
  [t('2025-07-22T23:26:23.639000Z'), 'stderr', 35304, (us) => slog(us, 'INFO', 'sched.go:483', 'loaded runners', 'count=1')],
  [t('2025-07-22T23:26:23.640000Z'), 'stderr', 35304, (us) => slog(us, 'INFO', 'server.go:598', 'waiting for llama runner to start responding')],
  [t('2025-07-22T23:26:23.791022Z'), 'stderr', 35304, () => `llama_model_loader: loaded meta data with 36 key-value pairs and 1065 tensors from ${BLOBS}/sha256-${SHA.gemma12b} (version GGUF V3 (latest))`],
  [t('2025-07-22T23:26:23.791022Z'), 'stderr', 35304, () => 'llama_model_loader: - kv   0:                       general.architecture str              = gemma3'],
  [t('2025-07-22T23:26:23.791022Z'), 'stderr', 35304, () => 'load_tensors: offloaded 49/49 layers to GPU'],
  [t('2025-07-22T23:26:29.159000Z'), 'stderr', 35304, (us) => slog(us, 'INFO', 'server.go:637', 'llama runner started in 5.52 seconds')],
  [t('2025-07-22T23:26:38.396000Z'), 'stderr', 35304, (us) => slog(us, 'WARN', 'runner.go:131', 'truncating input prompt', 'limit=2048 prompt=2172 keep=4 new=2048')],
  [t('2025-07-22T23:26:41.533557Z'), 'stdout', 35304, (us) => gin(us, 200, '18.133557s', '172.17.0.3', 'POST', '/api/chat')],
  // Two [GIN] lines in one read: one timestamp.
  [t('2025-07-22T23:26:42.564446Z'), 'stdout', 35304, (us) => gin(us, 200, '5.062093353s', '172.17.0.3', 'POST', '/api/chat')],
  [t('2025-07-22T23:26:42.564446Z'), 'stdout', 35304, (us) => gin(us, 200, '1.203ms', '172.17.0.3', 'GET', '/api/tags')],
  [t('2025-07-22T23:27:14.373000Z'), 'stderr', 35304, (us) => slog(us, 'INFO', 'sched.go:509', 'updated VRAM based on existing loaded models', `gpu=${GPU} library=cuda total="11.8 GiB" available="1.5 GiB"`)],
  [t('2025-07-22T23:27:19.419000Z'), 'stderr', 35304, (us) => slog(us, 'WARN', 'sched.go:648', "gpu VRAM usage didn't recover within timeout", `seconds=5.04476581 model=${BLOBS}/sha256-${SHA.gemma12b}`)],
  [t('2025-07-22T23:27:19.669000Z'), 'stderr', 35304, (us) => slog(us, 'WARN', 'sched.go:648', "gpu VRAM usage didn't recover within timeout", `seconds=5.294641127 model=${BLOBS}/sha256-${SHA.gemma12b}`)],
  [t('2025-07-22T23:27:19.689000Z'), 'stderr', 35304, (us) => llamaServer(us, SHA.gemma1b, 8192, 27, 4, 35331)],
  [t('2025-07-22T23:27:19.919000Z'), 'stderr', 35304, (us) => slog(us, 'WARN', 'sched.go:648', "gpu VRAM usage didn't recover within timeout", `seconds=5.544823418 model=${BLOBS}/sha256-${SHA.gemma12b}`)],
  [t('2025-07-22T23:27:20.440000Z'), 'stderr', 35304, (us) => slog(us, 'INFO', 'server.go:637', 'llama runner started in 0.75 seconds')],
  [t('2025-07-22T23:27:25.671126Z'), 'stdout', 35304, (us) => gin(us, 200, '528.425ms', '172.17.0.3', 'POST', '/api/chat')],
  [t('2025-07-22T23:27:34.994052Z'), 'stdout', 35304, (us) => gin(us, 200, '10.390738s', '172.17.0.3', 'POST', '/api/chat')],
  // phi4 loaded beside gemma3:1b (OLLAMA_MAX_LOADED_MODELS:0 lets both stay): its chat could be either's.
  [t('2025-07-22T23:28:15.162000Z'), 'stderr', 35304, (us) => slog(us, 'INFO', 'sched.go:509', 'updated VRAM based on existing loaded models', `gpu=${GPU} library=cuda total="11.8 GiB" available="9.8 GiB"`)],
  [t('2025-07-22T23:28:15.313000Z'), 'stderr', 35304, (us) => llamaServer(us, SHA.phi4, 2048, 41, 1, 40811)],
  [t('2025-07-22T23:28:23.333000Z'), 'stderr', 35304, (us) => slog(us, 'INFO', 'server.go:637', 'llama runner started in 8.02 seconds')],
  [t('2025-07-22T23:29:21.458032Z'), 'stdout', 35304, (us) => gin(us, 200, '33.182823s', '172.17.0.3', 'POST', '/api/chat')],
  [t('2025-07-22T23:29:30.000000Z'), 'stdout', 35304, (us) => gin(us, 404, '802.311µs', '2001:db8::1:42', 'GET', '/api/show?x=1')],
  // `systemctl restart ollama` (ollama/ollama#7892's lines), a new process with keep-alive 10m.
  [t('2025-07-22T23:45:00.000000Z'), 'systemd', 1, () => 'Stopping ollama.service - Ollama Service...'],
  [t('2025-07-22T23:45:00.210000Z'), 'systemd', 1, () => 'ollama.service: Deactivated successfully.'],
  [t('2025-07-22T23:45:00.210000Z'), 'systemd', 1, () => 'Stopped ollama.service - Ollama Service.'],
  [t('2025-07-22T23:45:00.210000Z'), 'systemd', 1, () => 'ollama.service: Consumed 1min 52.417s CPU time.'],
  ...startUp('2025-07-22T23:45:00.300000Z', 36117, '10m0s'),
  // gemma3:12b again with a larger context: the seed's 4.26 s load; a [GIN] line and a runner warning in one read.
  [t('2025-07-22T23:50:00.000000Z'), 'stderr', 36117, (us) => llamaServer(us, SHA.gemma12b, 8192, 49, 4, 41221)],
  [t('2025-07-22T23:50:04.260000Z'), 'stderr', 36117, (us) => slog(us, 'INFO', 'server.go:637', 'llama runner started in 4.26 seconds')],
  [t('2025-07-22T23:50:21.108743Z'), 'stdout', 36117, (us) => gin(us, 200, '16.608743461s', '172.17.0.3', 'POST', '/api/chat')],
  [t('2025-07-22T23:50:21.108743Z'), 'stderr', 36117, (us) => slog(us, 'WARN', 'runner.go:131', 'truncating input prompt', 'limit=8192 prompt=9011 keep=4 new=8192')],
  [t('2025-07-22T23:52:00.000000Z'), 'stdout', 36117, (us) => gin(us, 200, '2.5s', '10.0.0.23', 'POST', '/api/generate')],
  [t('2025-07-22T23:52:00.000000Z'), 'stdout', 36117, (us) => gin(us, 200, '36.1µs', '10.0.0.23', 'GET', '/api/version')],
  // qwen3:8b fails to load; the 500 is its answer.
  [t('2025-07-23T00:10:00.000000Z'), 'stderr', 36117, (us) => llamaServer(us, SHA.qwen3, 8192, 37, 1, 42011)],
  [t('2025-07-23T00:10:03.500000Z'), 'stderr', 36117, (us) => slog(us, 'ERROR', 'sched.go:489', 'error loading llama server', 'error="llama runner process has terminated: exit status 2"')],
  [t('2025-07-23T00:10:03.510000Z'), 'stdout', 36117, (us) => gin(us, 500, '3.6s', '10.0.0.23', 'POST', '/api/chat')],
];

/** The journal entries; `shiftUs` moves every time (and the local times in the texts) by that much. */
export function seedJournalEntries(shiftUs = 0n): FixtureEntry[] {
  const lines: Line[] = LINES.map(([at, kind, pid, text]) => {
    const us = at + shiftUs;
    return { us, kind, pid, message: text(us) };
  });
  return lines.map(({ us, kind, pid, message }): FixtureEntry => {
    if (kind === 'systemd') {
      return {
        message,
        realtimeUs: us,
        pid: 1,
        unit: 'init.scope',
        fields: { UNIT: 'ollama.service', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _COMM: 'systemd', _UID: '0' },
      };
    }
    // One stream per process: StandardError=inherit makes stderr the same socket as stdout.
    return { message, realtimeUs: us, pid, fields: { _STREAM_ID: pid === 35304 ? STREAM_1 : STREAM_2, _COMM: 'ollama', _UID: '998' } };
  });
}

/** How many entries `journalctl -u ollama` returns for the seed journal (systemd's lines included). */
export const SEED_ENTRY_COUNT = LINES.length;
