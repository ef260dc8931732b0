// What the parser understood arrives as plain fields (ollama_requests, ollama_events, with model
// names from the inventory), in the same batches as the raw lines; and the user's own step-10
// Flux query runs unchanged on what this tool writes.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../support/cli.js';
import { type BucketTarget, freshOrgWithBucket, queryRows } from '../support/influx.js';
import { tempDir, writeJournal, type FixtureEntry } from '../support/journal.js';
import { SHA, writeScenarioModelsDir } from '../support/timeline-scenario.js';

const HOST = 'user-MS-7D18';
const BLOBS = '/usr/share/ollama/.ollama/models/blobs';
const STEP10 = fileURLToPath(new URL('../fixtures/seed-step10.flux', import.meta.url));

// [UTC time, MESSAGE]: one evening of an Ollama 0.9 host, as the seed journal shows it.
const LINES: [string, string][] = [
  ['2025-07-22T23:20:00.100Z', 'time=2025-07-23T09:20:00.100+10:00 level=INFO source=routes.go:1235 msg="server config" env="map[OLLAMA_KEEP_ALIVE:5m0s OLLAMA_MODELS:/usr/share/ollama/.ollama/models OLLAMA_NUM_PARALLEL:1]"'],
  ['2025-07-22T23:20:00.200Z', 'time=2025-07-23T09:20:00.200+10:00 level=INFO source=routes.go:1288 msg="Listening on 127.0.0.1:11434 (version 0.9.6)"'],
  ['2025-07-22T23:26:23.639Z', `time=2025-07-23T09:26:23.639+10:00 level=INFO source=server.go:438 msg="starting llama server" cmd="/usr/local/bin/ollama runner --model ${BLOBS}/sha256-${SHA.gemma12b} --ctx-size 2048 --batch-size 512 --n-gpu-layers 49 --threads 6 --parallel 1 --port 40797"`],
  ['2025-07-22T23:26:23.700Z', 'time=2025-07-23T09:26:23.700+10:00 level=INFO source=server.go:175 msg=offload library=cuda layers.requested=-1 layers.model=49 layers.offload=49 layers.split="" memory.available="[11.1 GiB]" memory.gpu_overhead="0 B" memory.required.full="11.0 GiB" memory.required.partial="11.0 GiB" memory.required.kv="768.0 MiB" memory.weights.total="6.8 GiB"'],
  ['2025-07-22T23:26:29.159Z', 'time=2025-07-23T09:26:29.159+10:00 level=INFO source=server.go:637 msg="llama runner started in 5.52 seconds"'],
  ['2025-07-22T23:26:38.396Z', 'time=2025-07-23T09:26:38.396+10:00 level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=2172 keep=4 new=2048'],
  ['2025-07-22T23:26:41.533Z', '[GIN] 2025/07/23 - 09:26:41 | 200 |  9.104044169s |      172.17.0.3 | POST     "/api/chat"'],
  ['2025-07-22T23:26:42.564Z', '[GIN] 2025/07/23 - 09:26:42 | 200 |  5.062093353s |      172.17.0.3 | POST     "/api/chat"'],
  ['2025-07-22T23:27:14.374Z', 'time=2025-07-23T09:27:14.374+10:00 level=INFO source=sched.go:509 msg="updated VRAM based on existing loaded models" gpu=GPU-72c48c23 library=cuda total="11.8 GiB" available="1.5 GiB"'],
  ['2025-07-22T23:27:19.419Z', `time=2025-07-23T09:27:19.419+10:00 level=WARN source=sched.go:648 msg="gpu VRAM usage didn't recover within timeout" seconds=5.04476581 model=${BLOBS}/sha256-${SHA.gemma12b}`],
  ['2025-07-22T23:28:15.313Z', `time=2025-07-23T09:28:15.313+10:00 level=INFO source=server.go:438 msg="starting llama server" cmd="/usr/local/bin/ollama runner --model ${BLOBS}/sha256-${SHA.phi4} --ctx-size 8192 --batch-size 512 --n-gpu-layers 41 --threads 6 --parallel 4 --port 40811"`],
  ['2025-07-22T23:28:23.330Z', 'time=2025-07-23T09:28:23.330+10:00 level=INFO source=server.go:637 msg="llama runner started in 8.02 seconds"'],
  ['2025-07-22T23:29:21.458Z', '[GIN] 2025/07/23 - 09:29:21 | 200 | 33.183032672s |      172.17.0.3 | POST     "/api/chat"'],
  ['2025-07-22T23:29:30.000Z', '[GIN] 2025/07/23 - 09:29:30 | 404 |     802.311µs |  2001:db8::1:42 | GET      "/api/show?x=1"'],
  ['2025-07-22T23:40:00.000Z', 'time=2025-07-23T09:40:00.000+10:00 level=ERROR source=sched.go:489 msg="error loading llama server" error="llama runner process has terminated: exit status 2"'],
  ['2025-07-22T23:40:01.000Z', 'llama_model_loader: loaded meta data with 36 key-value pairs and 579 tensors'],
];

function entries(): FixtureEntry[] {
  return LINES.map(([iso, message]) => ({ message, realtimeUs: BigInt(Date.parse(iso)) * 1000n }));
}

describe('structured measurements and the seed step-10 query', () => {
  let target: BucketTarget;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // The seed's query names its bucket, so this test gets an organisation of its own.
    target = await freshOrgWithBucket('ollama-logs');
    const dir = tempDir('structured');
    await writeJournal(dir, entries());
    await writeScenarioModelsDir(join(dir, 'models'));
    env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: join(dir, 'state'), HOST_TAG: HOST, OLLAMA_MODELS_DIR: join(dir, 'models') });
    const once = await runCli(['once', '--json'], env);
    expect(once.code, once.stderr).toBe(0);
    expect(JSON.parse(once.stdout)).toMatchObject({ read: LINES.length, skipped: 0 });
  });

  it('writes one ollama_requests point per [GIN] line with tags and typed fields', async () => {
    const rows = await queryRows(
      target,
      `from(bucket: "ollama-logs") |> range(start: 0) |> filter(fn: (r) => r._measurement == "ollama_requests")
       |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value") |> group() |> sort(columns: ["_time"])`,
    );
    expect(rows.map((r) => [r['method'], r['path'], r['status'], r['latency_ms'], r['client'], r['url']])).toEqual([
      ['POST', '/api/chat', '200', 9104.044169, '172.17.0.3', '/api/chat'],
      ['POST', '/api/chat', '200', 5062.093353, '172.17.0.3', '/api/chat'],
      ['POST', '/api/chat', '200', 33183.032672, '172.17.0.3', '/api/chat'],
      ['GET', '/api/show', '404', 0.802311, '2001:db8::1:42', '/api/show?x=1'],
    ]);
    expect(rows.every((r) => r['host'] === HOST)).toBe(true);
  });

  it('writes ollama_events with the kind, the level and the model named through the inventory', async () => {
    const rows = await queryRows(
      target,
      `from(bucket: "ollama-logs") |> range(start: 0) |> filter(fn: (r) => r._measurement == "ollama_events" and r._field != "message")
       |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value") |> group() |> sort(columns: ["_time"])`,
    );
    const byEvent = (event: string) => rows.find((r) => r['event'] === event) ?? {};
    expect([...new Set(rows.map((r) => r['event']))].sort()).toEqual(
      ['load_error', 'memory_estimate', 'model_load_start', 'model_loaded', 'prompt_truncated', 'server_config', 'server_start', 'vram_timeout', 'vram_update'],
    );
    const loads = rows.filter((r) => r['event'] === 'model_load_start');
    expect(loads.map((r) => [r['model'], r['ctx_size'], r['gpu_layers'], r['sha256']])).toEqual([
      ['gemma3:12b', 2048, 49, SHA.gemma12b],
      ['phi4:latest', 8192, 41, SHA.phi4],
    ]);
    expect(byEvent('vram_timeout')).toMatchObject({ model: 'gemma3:12b', sha256: SHA.gemma12b, seconds: 5.04476581, level: 'WARN' });
    expect(byEvent('prompt_truncated')).toMatchObject({ limit: 2048, prompt: 2172, keep: 4, new: 2048, level: 'WARN' });
    expect(byEvent('memory_estimate')).toMatchObject({ required_full_bytes: 11 * 2 ** 30, weights_total_bytes: Math.round(6.8 * 2 ** 30) });
    expect(byEvent('server_start')).toMatchObject({ listen: '127.0.0.1:11434', version: '0.9.6' });
    expect(byEvent('server_config')).toMatchObject({ keep_alive: '5m0s', models_dir: '/usr/share/ollama/.ollama/models' });
    expect(JSON.parse(String(byEvent('server_config')['env']))).toMatchObject({ OLLAMA_NUM_PARALLEL: '1' });
    expect(byEvent('load_error')).toMatchObject({ error: 'llama runner process has terminated: exit status 2', level: 'ERROR' });
    const loaded = rows.filter((r) => r['event'] === 'model_loaded').map((r) => r['load_seconds']);
    expect(loaded).toEqual([5.52, 8.02]);
  });

  it("runs the seed's step-10 query unchanged and labels sessions model:tag (ctx: N)", async () => {
    const result = await runCli(
      ['query', STEP10, '--host', HOST, '--start', '2025-07-22T23:00:00Z', '--stop', '2025-07-23T00:00:00Z', '--format', 'csv'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split(/\r?\n/).filter((line) => line.includes('/api/chat'));
    expect(lines).toHaveLength(3);
    expect(lines.filter((line) => line.includes('gemma3:12b (ctx: 2048)'))).toHaveLength(2);
    expect(lines.filter((line) => line.includes('phi4:latest (ctx: 8192)'))).toHaveLength(1);
    expect(result.stdout).toContain('2025-07-22T23:29:21.458'); // the request's end as the seed plots it
    expect(result.stdout).not.toContain(target.token);
  });
});
