// One realistic day-end of an Ollama host, as journal lines: several models, an eviction with VRAM
// timeouts, keep-alive expiry, two models loaded at once with ambiguous requests, a server restart
// mid-session, a failed load, DEBUG unload lines, an unnamed eviction and prompt truncation.
// The unit tests parse these lines directly; the integration tests ship them through a real journal
// file and `ollama-influx once` into InfluxDB. Both assert the same reconstruction.

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMessage } from '../../src/ollama/parse/index.js';
import type { TimelineEvent, TimelineInput, TimelineRequest } from '../../src/ollama/lifecycle/types.js';
import { runCli } from './cli.js';
import { type BucketTarget, freshBucket } from './influx.js';
import { type FixtureEntry, tempDir, writeJournal } from './journal.js';

export const SCENARIO_HOST = 'gpu-box';
export const SCENARIO_START = '2025-07-22T23:20:00Z';
export const SCENARIO_STOP = '2025-07-23T01:00:00Z';

export const SHA = {
  gemma12b: 'adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3',
  gemma1b: 'd080a98fbf7dcfc62b47a3cd33b8d68534864df070d0638ccd466844fd222bee',
  phi4: '325e2d850853215cfa16f6176d032fb0ee471feb621c5f37230eb26e7628523e',
  qwen3: '801dcad02f38c48984c325de964ab7c9213d4c51f101cd2f6aeacff576868987',
} as const;

/** `ollama list` names per blob; qwen3:8b and qwen3:latest share one. */
export const SCENARIO_MODELS: readonly { name: string; sha256: string }[] = [
  { name: 'gemma3:12b', sha256: SHA.gemma12b },
  { name: 'gemma3:1b', sha256: SHA.gemma1b },
  { name: 'phi4:latest', sha256: SHA.phi4 },
  { name: 'qwen3:8b', sha256: SHA.qwen3 },
  { name: 'qwen3:latest', sha256: SHA.qwen3 },
];

export function scenarioInventory(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { name, sha256 } of SCENARIO_MODELS) map.set(sha256, [...(map.get(sha256) ?? []), name]);
  return map;
}

/**
 * A models dir whose manifests name the scenario's blobs, for the inventory scan `once` runs. The
 * blob files hold a few bytes: the scanner takes the digest from the manifest and only stats blobs.
 */
export async function writeScenarioModelsDir(dir: string): Promise<void> {
  const put = async (relative: string, content: string) => {
    await mkdir(dirname(join(dir, relative)), { recursive: true });
    await writeFile(join(dir, relative), content);
  };
  for (const { name, sha256 } of SCENARIO_MODELS) {
    const [model, tag] = name.split(':') as [string, string];
    const config = JSON.stringify({ model_format: 'gguf', model_family: model.replace(/\d.*$/, ''), model_type: tag, file_type: 'Q4_K_M' });
    const configHex = createHash('sha256').update(config).digest('hex');
    await put(`blobs/sha256-${sha256}`, `weights of ${name}`);
    await put(`blobs/sha256-${configHex}`, config);
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: `sha256:${configHex}`, size: config.length },
      layers: [{ mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${sha256}`, size: 12 + name.length }],
    };
    await put(`manifests/registry.ollama.ai/library/${model}/${tag}`, JSON.stringify(manifest));
  }
}

const BLOBS = '/usr/share/ollama/.ollama/models/blobs';
const GPU = 'GPU-72c48c23-32a4-2e54-95c9-99bb82483caa';
const OFFSET_MS = 10 * 3_600_000; // the host's zone, +10:00, as in the seed's logs

function local(iso: string): Date {
  return new Date(Date.parse(iso) + OFFSET_MS);
}

/** slog text handler line with the host's local time, as Ollama writes it. */
function slog(iso: string, level: string, source: string, msg: string, attrs = ''): string {
  const t = local(iso).toISOString().slice(0, 23);
  const quoted = /[\s="]/.test(msg) ? `"${msg.replaceAll('"', '\\"')}"` : msg;
  return `time=${t}+10:00 level=${level} source=${source} msg=${quoted}${attrs === '' ? '' : ` ${attrs}`}`;
}

/** gin's access line; `iso` is when the request ended (when gin logs it). */
function gin(iso: string, status: number, latency: string, client: string, method: string, path: string): string {
  const d = local(iso).toISOString();
  const when = `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)} - ${d.slice(11, 19)}`;
  return `[GIN] ${when} | ${status} | ${latency.padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)} "${path}"`;
}

function serverConfig(iso: string, keepAlive: string, debug: string): string {
  return slog(
    iso,
    'INFO',
    'routes.go:1297',
    'server config',
    `env="map[CUDA_VISIBLE_DEVICES: HTTPS_PROXY: OLLAMA_CONTEXT_LENGTH:2048 OLLAMA_DEBUG:${debug} OLLAMA_FLASH_ATTENTION:false ` +
      `OLLAMA_HOST:http://0.0.0.0:11434 OLLAMA_KEEP_ALIVE:${keepAlive} OLLAMA_MAX_LOADED_MODELS:2 OLLAMA_MAX_QUEUE:512 ` +
      `OLLAMA_MODELS:/usr/share/ollama/.ollama/models OLLAMA_NUM_PARALLEL:0 OLLAMA_ORIGINS:[http://localhost https://localhost http://127.0.0.1:*] ` +
      'ROCR_VISIBLE_DEVICES: http_proxy: https_proxy: no_proxy:]"',
  );
}

function llamaServer(iso: string, sha: string, ctx: number, gpuLayers: number, parallel: number): string {
  return slog(
    iso,
    'INFO',
    'server.go:438',
    'starting llama server',
    `cmd="/usr/local/bin/ollama runner --model ${BLOBS}/sha256-${sha} --ctx-size ${ctx} --batch-size 512 ` +
      `--n-gpu-layers ${gpuLayers} --threads 6 --parallel ${parallel} --port 39609"`,
  );
}

function runner(iso: string, sha: string): string {
  return slog(iso, 'INFO', 'server.go:432', 'starting runner', `cmd="/usr/local/bin/ollama runner --ollama-engine --model ${BLOBS}/sha256-${sha} --port 42059"`);
}

function loadRequest(iso: string, ctx: number, parallel: number, layers: number): string {
  return slog(
    iso,
    'INFO',
    'runner.go:1171',
    'load',
    `request="{Operation:commit LoraPath:[] Parallel:${parallel} BatchSize:512 FlashAttention:Auto KvSize:${ctx} KvCacheType: ` +
      `NumThreads:6 GPULayers:${layers}[ID:${GPU} Layers:${layers}(0..${layers - 1})] MultiUserCache:false ProjectorPath: MainGPU:0 UseMmap:true}"`,
  );
}

function started(iso: string, seconds: string): string {
  return slog(iso, 'INFO', 'server.go:619', `llama runner started in ${seconds} seconds`);
}

function vramUpdate(iso: string, available: string): string {
  return slog(iso, 'INFO', 'sched.go:509', 'updated VRAM based on existing loaded models', `gpu=${GPU} library=cuda total="11.8 GiB" available="${available}"`);
}

function vramTimeout(iso: string, seconds: string, sha: string): string {
  return slog(iso, 'WARN', 'sched.go:648', "gpu VRAM usage didn't recover within timeout", `seconds=${seconds} model=${BLOBS}/sha256-${sha}`);
}

function truncating(iso: string, limit: number, prompt: number): string {
  return slog(iso, 'WARN', 'runner.go:131', 'truncating input prompt', `limit=${limit} prompt=${prompt} keep=4 new=${limit}`);
}

function debugRunner(iso: string, msg: string, name: string, sha: string): string {
  return slog(
    iso,
    'DEBUG',
    'sched.go:383',
    msg,
    `runner.name=registry.ollama.ai/library/${name} runner.inference="[{ID:${GPU} Library:CUDA}]" runner.size="6.2 GiB" ` +
      `runner.vram="6.2 GiB" runner.parallel=2 runner.pid=51877 runner.model=${BLOBS}/sha256-${sha} runner.num_ctx=8192`,
  );
}

/** [journal time (UTC), MESSAGE, PID] in journal order. */
export const SCENARIO_LINES: readonly (readonly [string, string, number])[] = [
  // Process 1: ollama 0.6.2, keep-alive 5m, two models may be loaded at once.
  ['2025-07-22T23:20:00.000Z', serverConfig('2025-07-22T23:20:00.000Z', '5m0s', 'false'), 35304],
  ['2025-07-22T23:20:00.010Z', slog('2025-07-22T23:20:00.010Z', 'INFO', 'routes.go:1348', 'Listening on [::]:11434 (version 0.6.2)'), 35304],
  ['2025-07-22T23:21:00.000Z', gin('2025-07-22T23:21:00.000Z', 200, '41.07µs', '127.0.0.1', 'HEAD', '/'), 35304],
  ['2025-07-22T23:21:30.000Z', gin('2025-07-22T23:21:30.000Z', 404, '512.1µs', '10.0.0.23', 'POST', '/api/chat'), 35304],
  // A: gemma3:12b, loaded for a request, a prompt truncated, then unloaded for gemma3:1b.
  ['2025-07-22T23:26:23.639Z', llamaServer('2025-07-22T23:26:23.639Z', SHA.gemma12b, 2048, 49, 1), 35304],
  ['2025-07-22T23:26:23.700Z', slog('2025-07-22T23:26:23.700Z', 'INFO', 'server.go:580', 'waiting for llama runner to start responding'), 35304],
  ['2025-07-22T23:26:29.159Z', started('2025-07-22T23:26:29.159Z', '5.52'), 35304],
  ['2025-07-22T23:26:38.396Z', truncating('2025-07-22T23:26:38.396Z', 2048, 2172), 35304],
  ['2025-07-22T23:26:41.533557Z', gin('2025-07-22T23:26:41.533557Z', 200, '18.133557s', '172.17.0.3', 'POST', '/api/chat'), 35304],
  ['2025-07-22T23:26:42.564446Z', gin('2025-07-22T23:26:42.564446Z', 200, '5.062093s', '172.17.0.3', 'POST', '/api/chat'), 35304],
  ['2025-07-22T23:26:50.000Z', gin('2025-07-22T23:26:50.000Z', 200, '1.203ms', '172.17.0.3', 'GET', '/api/tags'), 35304],
  // B: gemma3:1b; A's VRAM does not recover in time (three warnings naming A's blob).
  ['2025-07-22T23:27:14.373Z', vramUpdate('2025-07-22T23:27:14.373Z', '1.5 GiB'), 35304],
  ['2025-07-22T23:27:19.419Z', vramTimeout('2025-07-22T23:27:19.419Z', '5.04476581', SHA.gemma12b), 35304],
  ['2025-07-22T23:27:19.669Z', vramTimeout('2025-07-22T23:27:19.669Z', '5.294641127', SHA.gemma12b), 35304],
  ['2025-07-22T23:27:19.919Z', vramTimeout('2025-07-22T23:27:19.919Z', '5.544823418', SHA.gemma12b), 35304],
  ['2025-07-22T23:27:19.689Z', llamaServer('2025-07-22T23:27:19.689Z', SHA.gemma1b, 8192, 27, 4), 35304],
  ['2025-07-22T23:27:20.440Z', started('2025-07-22T23:27:20.440Z', '0.75'), 35304],
  ['2025-07-22T23:27:25.671126Z', gin('2025-07-22T23:27:25.671126Z', 200, '528.425ms', '172.17.0.3', 'POST', '/api/chat'), 35304],
  ['2025-07-22T23:27:34.994052Z', gin('2025-07-22T23:27:34.994052Z', 200, '20.894052s', '172.17.0.3', 'POST', '/api/chat'), 35304],
  // C: phi4 loaded beside B: requests while both are loaded cannot be attributed.
  ['2025-07-22T23:28:15.162Z', vramUpdate('2025-07-22T23:28:15.162Z', '9.8 GiB'), 35304],
  ['2025-07-22T23:28:15.313Z', llamaServer('2025-07-22T23:28:15.313Z', SHA.phi4, 2048, 41, 1), 35304],
  ['2025-07-22T23:28:23.333Z', started('2025-07-22T23:28:23.333Z', '8.02'), 35304],
  ['2025-07-22T23:28:30.100Z', gin('2025-07-22T23:28:30.100Z', 200, '15.1s', '10.0.0.23', 'POST', '/api/generate'), 35304],
  ['2025-07-22T23:29:00.000Z', truncating('2025-07-22T23:29:00.000Z', 2048, 3100), 35304],
  ['2025-07-22T23:29:21.458032Z', gin('2025-07-22T23:29:21.458032Z', 200, '33.182823s', '172.17.0.3', 'POST', '/api/chat'), 35304],
  // B leaves memory (its VRAM timeout), C expires by keep-alive (nothing logged at INFO).
  ['2025-07-22T23:32:40.000Z', vramTimeout('2025-07-22T23:32:40.000Z', '5.0', SHA.gemma1b), 35304],
  // D: phi4 again; the server restarts under it.
  ['2025-07-23T00:32:04.000Z', llamaServer('2025-07-23T00:32:04.000Z', SHA.phi4, 2048, 41, 1), 35304],
  ['2025-07-23T00:32:05.510Z', started('2025-07-23T00:32:05.510Z', '1.50'), 35304],
  ['2025-07-23T00:32:10.000Z', gin('2025-07-23T00:32:10.000Z', 200, '6.1s', '172.17.0.3', 'POST', '/api/chat'), 35304],
  ['2025-07-23T00:33:00.000Z', gin('2025-07-23T00:33:00.000Z', 200, '2.5s', '172.17.0.3', 'POST', '/api/chat'), 35304],
  // Process 2: ollama 0.12.3 with OLLAMA_DEBUG=1 and keep-alive 10m.
  ['2025-07-23T00:34:59.000Z', serverConfig('2025-07-23T00:34:59.000Z', '10m0s', 'DEBUG'), 51800],
  ['2025-07-23T00:34:59.100Z', slog('2025-07-23T00:34:59.100Z', 'INFO', 'routes.go:1475', 'Listening on [::]:11434 (version 0.12.3)'), 51800],
  // E: qwen3:8b (alias qwen3:latest), 0.11.5+ load lines; `ollama stop` unloads it (DEBUG lines).
  ['2025-07-23T00:40:00.000Z', runner('2025-07-23T00:40:00.000Z', SHA.qwen3), 51800],
  ['2025-07-23T00:40:00.150Z', loadRequest('2025-07-23T00:40:00.150Z', 16384, 2, 37), 51800],
  ['2025-07-23T00:40:03.100Z', started('2025-07-23T00:40:03.100Z', '2.95'), 51800],
  ['2025-07-23T00:40:10.000Z', gin('2025-07-23T00:40:10.000Z', 200, '10.2s', '10.0.0.23', 'POST', '/api/generate'), 51800],
  // G: gemma3:12b fails to load while E is loaded: the 500 could be either's.
  ['2025-07-23T00:45:00.000Z', runner('2025-07-23T00:45:00.000Z', SHA.gemma12b), 51800],
  ['2025-07-23T00:45:00.100Z', loadRequest('2025-07-23T00:45:00.100Z', 4096, 1, 49), 51800],
  [
    '2025-07-23T00:45:04.000Z',
    slog('2025-07-23T00:45:04.000Z', 'ERROR', 'sched.go:455', 'error loading llama server', 'error="llama runner process has terminated: exit status 2"'),
    51800,
  ],
  ['2025-07-23T00:45:04.010Z', gin('2025-07-23T00:45:04.010Z', 500, '4.2s', '10.0.0.23', 'POST', '/api/chat'), 51800],
  ['2025-07-23T00:47:00.000Z', gin('2025-07-23T00:47:00.000Z', 200, '1.2ms', '127.0.0.1', 'POST', '/api/generate'), 51800],
  ['2025-07-23T00:47:00.002Z', debugRunner('2025-07-23T00:47:00.002Z', 'runner with zero duration has gone idle, expiring to unload', 'qwen3:8b', SHA.qwen3), 51800],
  ['2025-07-23T00:47:00.003Z', debugRunner('2025-07-23T00:47:00.003Z', 'got lock to unload expired event', 'qwen3:8b', SHA.qwen3), 51800],
  ['2025-07-23T00:47:00.900Z', debugRunner('2025-07-23T00:47:00.900Z', 'unload completed', 'qwen3:8b', SHA.qwen3), 51800],
  // F: gemma3:1b, evicted (unnamed) when phi4 needs the space.
  ['2025-07-23T00:50:00.000Z', runner('2025-07-23T00:50:00.000Z', SHA.gemma1b), 51800],
  ['2025-07-23T00:50:00.120Z', loadRequest('2025-07-23T00:50:00.120Z', 4096, 1, 27), 51800],
  ['2025-07-23T00:50:01.000Z', started('2025-07-23T00:50:01.000Z', '0.95'), 51800],
  ['2025-07-23T00:50:05.000Z', gin('2025-07-23T00:50:05.000Z', 200, '5.1s', '172.17.0.3', 'POST', '/api/chat'), 51800],
  [
    '2025-07-23T00:52:00.000Z',
    slog('2025-07-23T00:52:00.000Z', 'INFO', 'server.go:1030', 'model requires more gpu memory than is currently available, evicting a model to make space', '"loaded layers"=20'),
    51800,
  ],
  // H: phi4, still loaded when the range ends; a prompt truncated during it.
  ['2025-07-23T00:52:00.500Z', runner('2025-07-23T00:52:00.500Z', SHA.phi4), 51800],
  ['2025-07-23T00:52:00.600Z', loadRequest('2025-07-23T00:52:00.600Z', 8192, 1, 41), 51800],
  ['2025-07-23T00:52:06.000Z', started('2025-07-23T00:52:06.000Z', '5.40'), 51800],
  ['2025-07-23T00:52:10.000Z', truncating('2025-07-23T00:52:10.000Z', 8192, 9000), 51800],
  ['2025-07-23T00:52:20.000Z', gin('2025-07-23T00:52:20.000Z', 200, '20.05s', '172.17.0.3', 'POST', '/api/chat'), 51800],
];

/**
 * [model, ctx, start, end, end reason, exact, ends of the requests it served], worked out by hand from
 * SCENARIO_LINES above with the README's rules.
 */
export const SCENARIO_SESSIONS = [
  // Ends when its VRAM was freed: the last of three timeouts naming its blob, 23:27:19.919 - 5.544823418 s.
  ['gemma3:12b', 2048, '2025-07-22T23:26:23.639Z', '2025-07-22T23:27:14.374177Z', 'vram_timeout', true, ['2025-07-22T23:26:41.533557Z', '2025-07-22T23:26:42.564446Z']],
  // Its VRAM timeout (23:32:40 - 5.0 s) comes before its keep-alive expiry. The swap request began
  // under gemma3:12b but ended after it left: it is 1b's.
  ['gemma3:1b', 8192, '2025-07-22T23:27:19.689Z', '2025-07-22T23:32:35.000Z', 'vram_timeout', true, ['2025-07-22T23:27:34.994052Z', '2025-07-22T23:27:25.671126Z']],
  // Nothing logged: 5m0s keep-alive after the last request it may have served (23:29:21.458032).
  ['phi4:latest', 2048, '2025-07-22T23:28:15.313Z', '2025-07-22T23:34:21.458032Z', 'keep_alive', false, []],
  // The server restarts under it: the new process's `Listening` line.
  ['phi4:latest', 2048, '2025-07-23T00:32:04.000Z', '2025-07-23T00:34:59.100Z', 'server_restart', false, ['2025-07-23T00:32:10.000Z', '2025-07-23T00:33:00.000Z']],
  ['qwen3:8b', 16384, '2025-07-23T00:40:00.000Z', '2025-07-23T00:47:00.002Z', 'unload', true, ['2025-07-23T00:40:10.000Z', '2025-07-23T00:47:00.000Z']],
  ['gemma3:12b', 4096, '2025-07-23T00:45:00.000Z', '2025-07-23T00:45:04.000Z', 'load_error', true, []],
  ['gemma3:1b', 4096, '2025-07-23T00:50:00.000Z', '2025-07-23T00:52:00.000Z', 'eviction', true, ['2025-07-23T00:50:05.000Z']],
  // Still loaded when the range stops.
  ['phi4:latest', 8192, '2025-07-23T00:52:00.500Z', '2025-07-23T01:00:00.000Z', 'open', false, ['2025-07-23T00:52:20.000Z']],
] as const;

/** Journal time → microseconds since the epoch (the ISO strings carry up to 6 fraction digits). */
export function isoToUs(iso: string): bigint {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(iso)!;
  const whole = BigInt(Date.parse(`${match[1]}Z`)) * 1000n;
  return whole + BigInt((match[2] ?? '').padEnd(6, '0'));
}

export function isoToMs(iso: string): number {
  return Number(isoToUs(iso)) / 1000;
}

/** The lines as journal entries for `writeJournal` (journal order = time order). */
export function scenarioJournalEntries(): FixtureEntry[] {
  return [...SCENARIO_LINES]
    .sort((a, b) => isoToMs(a[0]) - isoToMs(b[0]))
    .map(([iso, message, pid]) => ({ message, realtimeUs: isoToUs(iso), pid }));
}

/** What ingest would store for the scenario, read back as timeline input (no database). */
export function scenarioInput(): TimelineInput {
  return inputFromLines(SCENARIO_LINES, scenarioInventory());
}

/**
 * What ingest stores for [journal time, MESSAGE] lines, as timeline input: the parser's kinds, `request`
 * lines as requests (path without query), the rest as events with null fields left out and the model
 * named through the inventory.
 */
export function inputFromLines(lines: readonly (readonly [string, string, ...unknown[]])[], inventory: Map<string, string[]>): TimelineInput {
  const events: TimelineEvent[] = [];
  const requests: TimelineRequest[] = [];
  for (const [iso, message] of lines) {
    const time = isoToMs(iso);
    const { kind, level, ...rest } = parseMessage(message);
    if (kind === 'unknown') continue;
    if (kind === 'request') {
      const request: Readonly<Record<string, unknown>> = rest;
      const path = String(request['path']).split('?')[0]!;
      requests.push({ end: time, latencyMs: Number(request['latency_ms']), method: String(request['method']), path, status: Number(request['status']) });
      continue;
    }
    const fields: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (value === null || value === undefined) continue;
      fields[key] = typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean);
    }
    const sha = typeof fields['sha256'] === 'string' ? fields['sha256'] : undefined;
    const model = sha === undefined ? undefined : inventory.get(sha)?.[0];
    events.push({ time, kind, message, fields, ...(level !== undefined ? { level } : {}), ...(model !== undefined ? { model } : {}) });
  }
  return { events, requests, inventory };
}

/** Ships the scenario into a fresh bucket the way the daemon does; returns the bucket and env. */
/** The CLI's settings for a scenario journal and models dir under `dir`, shipped to `target`. */
export function scenarioEnv(target: BucketTarget, dir: string): Record<string, string> {
  return {
    INFLUXDB_URL: target.url,
    INFLUXDB_TOKEN: target.token,
    INFLUXDB_ORG: target.org,
    INFLUXDB_BUCKET: target.bucket,
    HOST_TAG: SCENARIO_HOST,
    JOURNAL_DIR: dir,
    STATE_DIR: join(dir, 'state'),
    INITIAL_LOOKBACK: 'all',
    OLLAMA_MODELS_DIR: join(dir, 'models'),
  };
}

export async function shipScenario(prefix: string): Promise<{ target: BucketTarget; env: Record<string, string>; dir: string }> {
  const target = await freshBucket(prefix);
  const dir = tempDir(prefix);
  await writeJournal(dir, scenarioJournalEntries());
  await writeScenarioModelsDir(join(dir, 'models'));
  const env = scenarioEnv(target, dir);
  const once = await runCli(['once', '--json'], env, { cwd: dir });
  if (once.code !== 0) throw new Error(`once exited ${once.code}: ${once.stderr}`);
  const { read } = JSON.parse(once.stdout) as { read: number };
  if (read !== SCENARIO_LINES.length) throw new Error(`once read ${read} entries, the scenario has ${SCENARIO_LINES.length}`);
  return { target, env, dir };
}
