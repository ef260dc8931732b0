// What the parser understood arrives as plain fields (ollama_requests, ollama_events, with model
// names from the inventory), in the same batches as the raw lines; and the user's own step-10
// Flux query runs unchanged on what this tool writes.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../support/cli.js';
import { type BucketTarget, freshOrgWithBucket, queryRows } from '../support/influx.js';
import { tempDir, writeJournal, type FixtureEntry } from '../support/journal.js';
import { EVENING_LINES as LINES } from '../support/seed-evening.js';
import { SHA, writeScenarioModelsDir } from '../support/timeline-scenario.js';

const HOST = 'user-MS-7D18';
const STEP10 = fileURLToPath(new URL('../fixtures/seed-step10.flux', import.meta.url));
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
      ['load_error', 'memory_estimate', 'model_load_start', 'model_loaded', 'model_loading', 'prompt_truncated', 'server_config', 'server_start', 'vram_timeout', 'vram_update'],
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
