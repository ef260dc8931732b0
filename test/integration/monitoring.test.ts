// The monitoring surface with the real things: the daemon ships the scenario journal (moved to just
// before now) into InfluxDB with a stand-in nvidia-smi on PATH, a real Prometheus scrapes its /metrics,
// the read API (daemon and `serve`) answers from InfluxDB, and headless Chromium opens /timeline.
// Every expected number is read off the journal lines by hand (test/support/monitoring-scenario.ts).

import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, collect, startCli } from '../support/cli.js';
import { freshBucket, waitFor } from '../support/influx.js';
import { tempDir, writeJournal } from '../support/journal.js';
import { SCENARIO_REQUESTS, shiftFor, shiftedEntries } from '../support/monitoring-scenario.js';
import { MIB, NVIDIA_SMI_BIN, TWO_QUADRO, TWO_QUADRO_READINGS } from '../support/nvidia-smi.js';
import { freePort, type PrometheusServer, startPrometheus } from '../support/prometheus.js';
import { isoToMs, SCENARIO_HOST, SCENARIO_LINES, writeScenarioModelsDir } from '../support/timeline-scenario.js';


let daemon: ChildProcess;
let serve: ChildProcess | null = null;
let prometheus: PrometheusServer;
let base: string;
let shift: number;
let env: NodeJS.ProcessEnv;

const at = (iso: string) => isoToMs(iso) + shift;
const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};
/** Responses are kept in test-output/monitoring/ as samples for the README and reviews. */
const SAMPLES = resolve('test-output', 'monitoring');
const json = async (url: string) => {
  const { status, text } = await get(url);
  const name = new URL(url).pathname.replace(/^\//, '').replace(/\//g, '_');
  if (status === 200 && !url.includes('host=')) writeFileSync(join(SAMPLES, `${name}.json`), text);
  return { status, body: JSON.parse(text) as Record<string, any> };
};
/** Samples of one metric in the exposition text: labels string → value. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match !== null) out.set(match[1] ?? '', Number(match[2]));
  }
  return out;
}

beforeAll(async () => {
  mkdirSync(SAMPLES, { recursive: true });
  const target = await freshBucket('monitoring');
  const dir = tempDir('monitoring');
  shift = shiftFor(Date.now());
  await writeJournal(dir, shiftedEntries(shift));
  await writeScenarioModelsDir(join(dir, 'models'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = cliEnv(target, {
    HOST_TAG: SCENARIO_HOST,
    JOURNAL_DIR: dir,
    STATE_DIR: join(dir, 'state'),
    OLLAMA_MODELS_DIR: join(dir, 'models'),
    POLL_INTERVAL: '1s',
    METRICS_LISTEN: `127.0.0.1:${port}`,
    GPU_METRICS: 'auto',
    GPU_INTERVAL: '1s',
    PATH: `${NVIDIA_SMI_BIN}:${process.env['PATH']}`,
    NVIDIA_SMI_FIXTURE: TWO_QUADRO,
  });
  daemon = startCli(['run'], env);
  await waitFor(
    async () => samples((await get(`${base}/metrics`).catch(() => ({ text: '' }))).text, 'ollama_influx_entries_read_total').get('') === SCENARIO_LINES.length,
    60_000,
    'the daemon to read the whole journal',
  );
  prometheus = await startPrometheus([`127.0.0.1:${port}`]);
});

afterAll(async () => {
  serve?.kill('SIGTERM');
  await prometheus?.stop();
  daemon?.kill('SIGTERM');
  if (daemon !== undefined) await collect(daemon, 20_000);
});

describe('/metrics scraped by a real Prometheus', () => {
  it('returns the counts the journal holds through PromQL', async () => {
    await waitFor(async () => (await prometheus.query('sum(ollama_requests_total)'))[0]?.value[1] === '16', 60_000, 'Prometheus to scrape 16 requests');
    await waitFor(async () => (await prometheus.query('nvidia_gpu_memory_total_bytes')).length === 1, 30_000, 'the GPU gauges');
    const by = async (promql: string, label: string) =>
      Object.fromEntries((await prometheus.query(promql)).map((r) => [r.metric[label] ?? '', Number(r.value[1])]));

    // Which model alone can have served each request, worked out by hand from the lines.
    const byModel: Record<string, number> = {};
    for (const [, , , model] of SCENARIO_REQUESTS) byModel[model ?? ''] = (byModel[model ?? ''] ?? 0) + 1;
    expect(await by('sum by (model) (ollama_requests_total)', 'model')).toEqual(byModel);
    expect(byModel).toEqual({ '': 6, 'gemma3:12b': 2, 'gemma3:1b': 3, 'phi4:latest': 3, 'qwen3:8b': 2 });
    expect(await by('sum by (status) (ollama_requests_total)', 'status')).toEqual({ '200': 14, '404': 1, '500': 1 });
    expect(await by('sum by (path) (ollama_requests_total)', 'path')).toEqual({ '/': 1, '/api/chat': 11, '/api/generate': 3, '/api/tags': 1 });
    // Latency ≤ 1 s: 41.07µs, 512.1µs, 1.203ms, 528.425ms, 1.2ms.
    expect(await by('sum(ollama_request_duration_seconds_bucket{le="1"})', '')).toEqual({ '': 5 });
    expect(await by('sum(ollama_request_duration_seconds_count)', '')).toEqual({ '': 16 });
    // Loads: gemma3:12b twice (once failed), gemma3:1b twice, phi4 three times, qwen3 once.
    expect(await by('ollama_model_loads_total', 'model')).toEqual({ 'gemma3:12b': 2, 'gemma3:1b': 2, 'phi4:latest': 3, 'qwen3:8b': 1 });
    expect(await by('ollama_model_load_errors_total', 'model')).toEqual({ 'gemma3:12b': 1 });
    // Truncations: under gemma3:12b alone, under gemma3:1b + phi4 (no single model), under phi4 alone.
    expect(await by('ollama_prompt_truncations_total', 'model')).toEqual({ 'gemma3:12b': 1, '': 1, 'phi4:latest': 1 });
    // phi4 served its last request 3 minutes ago and keep-alive is 10m: still loaded.
    expect(await by('ollama_model_loaded', 'model')).toEqual({ 'gemma3:12b': 0, 'gemma3:1b': 0, 'phi4:latest': 1, 'qwen3:8b': 0, 'qwen3:latest': 0 });
    // The scenario's two VRAM updates: 1.5 GiB, then 9.8 GiB available.
    expect(await by('ollama_vram_available_bytes', 'gpu')).toEqual({ 'GPU-72c48c23-32a4-2e54-95c9-99bb82483caa': Math.round(9.8 * 1024 ** 3) });
    expect(await by('ollama_influx_points_written_total{measurement=~"ollama_logs|ollama_requests"}', 'measurement')).toEqual({
      ollama_logs: SCENARIO_LINES.length,
      ollama_requests: 16,
    });
    expect(await by('ollama_influx_entries_read_total', '')).toEqual({ '': SCENARIO_LINES.length });
    expect(await by('nvidia_gpu_memory_used_bytes', 'gpu')).toEqual({ '0': MIB, '1': MIB });
    expect(await by('nvidia_gpu_memory_total_bytes', 'gpu')).toEqual({ '0': 8192 * MIB });
    expect(await by('nvidia_gpu_power_usage_watts', 'gpu')).toEqual({ '0': 10, '1': 1 });
    expect((await prometheus.query('up'))[0]!.value[1]).toBe('1');
    expect((await prometheus.query('ollama_influx_lag_seconds'))[0]!.value[1]).toMatch(/^\d/);
  });

  it('serves the exposition format with the shipper and process metrics', async () => {
    const { status, type, text } = await get(`${base}/metrics`);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    for (const name of ['ollama_influx_write_duration_seconds_bucket', 'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes', 'ollama_influx_lines_skipped_total']) {
      expect(text).toContain(name);
    }
    writeFileSync(join(SAMPLES, 'metrics.txt'), text);
  });
});

describe('/health', () => {
  it('is 200 with a small JSON while reads and writes succeed', async () => {
    const { status, body } = await json(`${base}/health`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', reasons: [] });
    expect((await json(`${base}/api/health`)).status).toBe(200);
  });
});

describe('read API over InfluxDB, checked against the journal by hand', () => {
  const latencies = SCENARIO_REQUESTS.map(([, ms]) => ms);
  const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000;

  it('/api/stats/current', async () => {
    const { status, body } = await json(`${base}/api/stats/current?window=24h`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      host: SCENARIO_HOST,
      total_requests: 16,
      total_errors: 1,
      avg_latency_ms: mean(latencies),
      models_in_use: ['phi4:latest'],
      total_tokens: null,
    });
    // Ollama's latest start: the "Listening on" line of process 2.
    expect(body['uptime_seconds']).toBeCloseTo((Date.parse(body['stop']) - at('2025-07-23T00:34:59.100Z')) / 1000, 2);
  });

  it('/api/stats/history', async () => {
    const { body } = await json(`${base}/api/stats/history?window=2h&step=30m`);
    const start = Date.parse(body['start']);
    const step = 30 * 60_000;
    const expected = Array.from({ length: 4 }, () => [] as (readonly [string, number, number, string | null])[]);
    for (const request of SCENARIO_REQUESTS) expected[Math.floor((at(request[0]) - start) / step)]!.push(request);
    expect(body['step_seconds']).toBe(1800);
    expect(body['points']).toEqual(
      expected.map((list, k) => ({
        time: new Date(start + k * step).toISOString(),
        requests: list.length,
        requests_per_minute: Math.round((list.length / 30) * 1000) / 1000,
        avg_latency_ms: list.length === 0 ? null : mean(list.map(([, ms]) => ms)),
        error_rate: list.length === 0 ? null : Math.round((list.filter(([, , s]) => s >= 500).length / list.length) * 1e6) / 1e6,
        tokens_per_second: null,
      })),
    );
  });

  it('/api/models', async () => {
    const { body } = await json(`${base}/api/models?window=24h`);
    const row = (model: string | null, ms: number[], errors = 0) => ({
      model,
      requests: ms.length,
      errors,
      avg_latency_ms: mean(ms),
      error_rate: Math.round((errors / ms.length) * 1e6) / 1e6,
      total_tokens: null,
    });
    expect(body['models']).toEqual([
      row('gemma3:12b', [18133.557, 5062.093]),
      row('gemma3:1b', [528.425, 20894.052, 5100]),
      row('phi4:latest', [6100, 2500, 20050]),
      row('qwen3:8b', [10200, 1.2]),
      row(null, [0.04107, 0.5121, 1.203, 15100, 33182.823, 4200], 1),
    ]);
  });

  it('/api/gpu', async () => {
    const { body } = await json(`${base}/api/gpu`);
    expect(body['gpus'].map(({ time, ...rest }: Record<string, unknown>) => rest)).toEqual(TWO_QUADRO_READINGS);
  });

  it('answers bad parameters with 400 and one line, unknown paths with 404, writes with 405', async () => {
    for (const [query, reason] of [
      ['window=forever', /^window must be a duration/],
      ['window=90d', /^window must be at most 31d/],
      ['window=24h&step=1s', /^step must be at least 10s/],
      ['window=24h&step=10s', /more than 2000 steps/],
      ['host=', /^host must be/],
      ['colour=blue', /^unknown parameter "colour"/],
    ] as const) {
      const { status, body } = await json(`${base}/api/stats/history?${query}`);
      expect(status, query).toBe(400);
      expect(body['error']).toMatch(reason);
      expect(body['error']).not.toContain('\n');
    }
    expect((await json(`${base}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/api/models`, { method: 'POST' })).status).toBe(405);
    expect((await json(`${base}/timeline?start=now&stop=-1h`)).status).toBe(400);
  });

  it('`serve` gives the same answers without shipping', async () => {
    const port = await freePort();
    serve = startCli(['serve', '--listen', `127.0.0.1:${port}`], env);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${url}/health`).catch(() => null))?.status === 200, 30_000, 'serve to listen');
    const [viaServe, viaDaemon] = await Promise.all([json(`${url}/api/models?window=24h`), json(`${base}/api/models?window=24h`)]);
    expect(viaServe.body['models']).toEqual(viaDaemon.body['models']);
    expect((await json(`${url}/api/stats/current?host=${SCENARIO_HOST}`)).body['total_requests']).toBe(16);
    expect((await json(`${url}/api/stats/current?host=another-host`)).body['total_requests']).toBe(0);
    expect((await get(`${url}/metrics`)).status).toBe(404);
  });
});

describe('/timeline in headless Chromium', () => {
  it('draws one lane per session of the range, labelled "model (ctx: N)"', () => {
    const start = new Date(at('2025-07-23T00:30:00Z')).toISOString();
    const profile = mkdtempSync(join(tmpdir(), 'monitoring-chromium-'));
    try {
      const run = spawnSync(
        'chromium',
        ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', `${base}/timeline?start=${start}&stop=now`],
        { encoding: 'utf8', timeout: 90_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      // Sessions D to H of the scenario overlap the range; H (phi4, ctx 8192) is still loaded.
      for (const label of ['phi4:latest (ctx: 2048)', 'qwen3:8b (ctx: 16384)', 'gemma3:12b (ctx: 4096)', 'gemma3:1b (ctx: 4096)', 'phi4:latest (ctx: 8192)']) {
        expect(run.stdout).toContain(`>${label}</text>`);
      }
      expect(run.stdout).not.toContain('gemma3:12b (ctx: 2048)');
      expect(run.stdout).toContain('<meta http-equiv="refresh" content="60">');
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});

describe('the Prometheus dashboard against the real Prometheus', () => {
  interface PromPanel {
    readonly title: string;
    readonly datasource: { uid: string };
    readonly targets: { refId: string; expr: string; datasource: { uid: string } }[];
  }
  const dashboard = JSON.parse(readFileSync(fileURLToPath(new URL('../../grafana/prometheus/ollama-prometheus.json', import.meta.url)), 'utf8')) as {
    panels: PromPanel[];
    templating: { list: { name: string; query: { query: string } }[] };
  };

  it('runs every panel query and the instance variable, with the values the journal and nvidia-smi give', async () => {
    // Six more requests while Prometheus watches, so rates are not zero: phi4 serves them, one in three
    // fails. In two rounds: a series that first appears with a value has no rate yet.
    const gin = (i: number, status: number) => `[GIN] 2026/01/01 - 00:00:0${i} | ${status} |       1.5s |  10.0.0.23 | POST     "/api/chat"`;
    for (const [round, total] of [[0, '19'], [1, '22']] as const) {
      const now = Date.now();
      await writeJournal(
        env['JOURNAL_DIR']!,
        [0, 1, 2].map((i) => ({ message: gin(round * 3 + i, i === 2 ? 500 : 200), realtimeUs: BigInt(now + i) * 1000n, pid: 51800 })),
      );
      await waitFor(async () => (await prometheus.query('sum(ollama_requests_total)'))[0]?.value[1] === total, 60_000, `Prometheus to see ${total} requests`);
    }
    const instance = new URL(base).host;
    // Two more scrapes after the last requests, so every rate window holds the increase.
    const seenAt = Date.now() / 1000;
    await waitFor(
      async () => Number((await prometheus.query(`timestamp(up{instance="${instance}"})`))[0]?.value[1] ?? 0) > seenAt + 1,
      30_000,
      'two scrapes after the last requests',
    );
    const variable = dashboard.templating.list.find((v) => v.name === 'instance')!;
    const values = await fetch(`${prometheus.url}/api/v1/series?match[]=${encodeURIComponent(/label_values\((\w+)/.exec(variable.query.query)![1]!)}`);
    expect(((await values.json()) as { data: { instance: string }[] }).data.map((s) => s.instance)).toEqual([instance]);

    const results = new Map<string, { metric: Record<string, string>; value: [number, string] }[]>();
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        expect(target.datasource.uid).toBe('ollama-prometheus');
        const promql = target.expr.replaceAll('$instance', instance).replaceAll('$__rate_interval', '30s');
        results.set(`${panel.title}/${target.refId}`, await prometheus.query(promql));
      }
    }
    const values1 = (key: string, label: string) =>
      Object.fromEntries(results.get(key)!.map((r) => [r.metric[label] ?? '', Number(r.value[1])]));
    expect(values1('Request rate per path/A', 'path')['/api/chat']).toBeGreaterThan(0);
    for (const ref of ['A', 'B', 'C']) {
      // All six took 1.5 s: every percentile lies in the 1–2.5 s bucket.
      const [p] = results.get(`Latency percentiles/${ref}`)!;
      expect(Number(p!.value[1])).toBeGreaterThan(1);
      expect(Number(p!.value[1])).toBeLessThanOrEqual(2.5);
    }
    const errorShare = Number(results.get('Error rate (5xx)/A')![0]!.value[1]);
    expect(errorShare).toBeGreaterThan(0);
    expect(errorShare).toBeLessThan(1);
    expect(Object.keys(values1('Requests per model/A', 'model'))).toContain('phi4:latest');
    expect(values1('Models loaded/A', 'model')).toEqual({ 'phi4:latest': 1 });
    expect(values1('GPU memory used/A', 'gpu')).toEqual({ '0': 1 / 8192 });
    expect(values1('GPU utilization/A', 'gpu')).toEqual({ '0': 0, '1': 0 });
    expect(values1('GPU power and temperature/A', 'gpu')).toEqual({ '0': 10, '1': 1 });
    expect(values1('GPU power and temperature/B', 'gpu')).toEqual({ '0': 25, '1': 25 });
    expect(Number(results.get('Shipper lag/A')![0]!.value[1])).toBeGreaterThanOrEqual(0);
    expect(values1('Shipper errors/A', 'type')).toMatchObject({ network: 0, rejected: 0 });
    expect(results.get('Shipper errors/B')!.map((r) => r.value[1])).toEqual(['0']);
  });
});
