// Every query of every Grafana dashboard (panels and variables), taken from the dashboard JSON, with
// the variables filled in as Grafana does, run against the real InfluxDB on the shipped scenario:
// each must be short and return the columns its panel needs, with the scenario's content.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { InfluxDB } from '@influxdata/influxdb-client';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLOURS } from '../../src/render/page-data.js';
import { substituteFluxVariables } from '../../src/store/flux.js';
import { parseRfc3339, windowPeriodMs } from '../../src/time.js';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from '../../src/gpu/nvidia-smi.js';
import { gpuLines } from '../../src/gpu/points.js';
import { type BucketTarget, queryRows } from '../support/influx.js';
import { SCENARIO_REQUESTS } from '../support/monitoring-scenario.js';
import { SCENARIO_HOST, SCENARIO_LINES, SCENARIO_SESSIONS, SCENARIO_START, SCENARIO_STOP, isoToMs, shipScenario } from '../support/timeline-scenario.js';
import { runCli } from '../support/cli.js';

const GRAFANA = fileURLToPath(new URL('../../grafana/', import.meta.url));
const DATASOURCE_UID = 'ollama-influx';
const NVIDIA_SMI = fileURLToPath(new URL('../fixtures/nvidia-smi/bin/nvidia-smi', import.meta.url));
const TWO_QUADRO = fileURLToPath(new URL('../fixtures/nvidia-smi/two-quadro.json', import.meta.url));
const MAX_QUERY_LINES = 20;

interface Target {
  readonly refId: string;
  readonly query: string;
  readonly datasource: { type: string; uid: string };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly targets: Target[];
  readonly options?: Record<string, unknown>;
  readonly panels?: Panel[];
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: Panel[];
  readonly templating: { list: { name: string; type: string; query: string; datasource: { uid: string } }[] };
}

const dashboards: Dashboard[] = readdirSync(join(GRAFANA, 'dashboards'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(GRAFANA, 'dashboards', f), 'utf8')) as Dashboard);

function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

type Row = Record<string, unknown>;
const ms = (value: unknown) => parseRfc3339(String(value))!;
/** Microseconds, the precision InfluxDB keeps of the journal's times. */
const us = (t: number) => Math.round(t * 1000);
const sum = (rows: Row[]) => rows.reduce((n, r) => n + Number(r['_value']), 0);

/** What each panel needs from its query, and what the scenario must show in it. */
const EXPECTED: Record<string, { columns: string[]; check?: (rows: Row[], refId: string) => void }> = {
  'ollama-lifecycle/Model lifecycle (Gantt)': {
    columns: ['_time', 'endTime', '_value', 'series', 'layer'],
    check(rows) {
      // The bars worked out by hand from the lines (as timeline-cli checks the CSV): per layer, and
      // qwen3:8b's lane to the microsecond.
      const perLayer: Record<string, number> = {};
      for (const r of rows) perLayer[String(r['layer'])] = (perLayer[String(r['layer'])] ?? 0) + 1;
      expect(perLayer).toEqual({ background: 8, loading: 7, execution: 14, warning: 8, unload: 9 });
      const lane = rows.filter((r) => r['series'] === 'qwen3:8b (ctx: 16384)').map((r) => [us(ms(r['_time'])), String(r['_value']), us(ms(r['endTime']))]);
      expect(lane.sort()).toEqual(
        [
          ['2025-07-23T00:40:00.000Z', 'model_lifecycle', '2025-07-23T00:47:00.002Z'],
          ['2025-07-23T00:40:00.000Z', 'model_loading', '2025-07-23T00:40:03.100Z'],
          ['2025-07-23T00:39:59.800Z', 'api_request', '2025-07-23T00:40:10.000Z'],
          ['2025-07-23T00:46:59.998800Z', 'api_request', '2025-07-23T00:47:00.000Z'],
          ['2025-07-23T00:47:00.002Z', 'model_unload', '2025-07-23T00:47:00.002Z'],
        ]
          .map(([start, kind, end]) => [us(isoToMs(start!)), kind, us(isoToMs(end!))])
          .sort(),
      );
    },
  },
  'ollama-lifecycle/Model lifecycle (state timeline, no plugin)': {
    columns: ['_time', 'series', 'state'],
    check(rows) {
      expect(new Set(rows.map((r) => r['state']))).toEqual(new Set(['loading', 'loaded', 'busy', 'unloaded']));
      expect(new Set(rows.map((r) => r['series']))).toEqual(new Set(SCENARIO_SESSIONS.map(([model, ctx]) => `${model} (ctx: ${ctx})`)));
      // The session still open at the end of the range never turns "unloaded".
      expect(rows.filter((r) => r['series'] === 'phi4:latest (ctx: 8192)').map((r) => r['state'])).not.toContain('unloaded');
    },
  },
  'ollama-lifecycle/Sessions': {
    columns: ['_time', 'series', 'model', 'ctx_size', 'load_seconds', 'end', 'end_reason', 'end_exact', 'end_earliest'],
    check(rows) {
      const byStart = rows.map((r) => [us(ms(r['_time'])), r['end_reason'], r['end_exact'], us(ms(r['end_earliest']))]).reverse();
      // The earliest end: an exact end is the end; an inferred or open one may come right after the
      // last request the session may have served (23:29:21.458032, 00:33:00, 00:52:20).
      const earliest = ['2025-07-22T23:29:21.458032Z', '2025-07-23T00:33:00.000Z', '2025-07-23T00:52:20.000Z'];
      expect(byStart).toEqual(
        SCENARIO_SESSIONS.map(([, , start, end, reason, exact]) => [us(isoToMs(start)), reason, exact, us(isoToMs(exact ? end : earliest.shift()!))]),
      );
    },
  },
  'ollama-lifecycle/Warnings': {
    columns: ['_time', 'series', 'kind', 'message'],
    check(rows) {
      expect(rows).toHaveLength(8);
      expect(rows.find((r) => r['series'] === 'unattributed')).toMatchObject({ kind: 'prompt_truncated', candidates: 'gemma3:1b, phi4:latest' });
    },
  },
  'ollama-requests/Request rate per path': {
    columns: ['_time', '_value', 'path'],
    check(rows) {
      // Rate × window = count: every [GIN] line of the scenario, per path.
      const window = windowPeriodMs(isoToMs(SCENARIO_START), isoToMs(SCENARIO_STOP)) / 1000;
      const perPath = (path: string) => Math.round(sum(rows.filter((r) => r['path'] === path)) * window);
      const gin = SCENARIO_LINES.filter(([, line]) => line.startsWith('[GIN]'));
      expect(perPath('/api/chat')).toBe(gin.filter(([, line]) => line.endsWith('"/api/chat"')).length);
      expect(perPath('/api/generate')).toBe(gin.filter(([, line]) => line.endsWith('"/api/generate"')).length);
      expect(perPath('/')).toBe(1);
    },
  },
  'ollama-requests/Latency percentiles per path': {
    columns: ['_time', '_value', 'path', 'quantile'],
    check(rows, refId) {
      expect(new Set(rows.map((r) => r['quantile']))).toEqual(new Set([{ A: 'p50', B: 'p95', C: 'p99' }[refId]]));
      expect(Math.max(...rows.filter((r) => r['path'] === '/api/chat').map((r) => Number(r['_value'])))).toBeCloseTo(33182.823, 3);
    },
  },
  'ollama-requests/Error rate per path': {
    columns: ['_time', '_value', 'path'],
    check(rows) {
      // The 404 and the 500 on /api/chat, each alone in its window; nothing else failed.
      expect(rows.filter((r) => Number(r['_value']) > 0).map((r) => [r['path'], r['_value']])).toEqual([
        ['/api/chat', 1],
        ['/api/chat', 1],
      ]);
    },
  },
  'ollama-overview/Request rate': {
    columns: ['_time', '_value'],
    check(rows) {
      const window = windowPeriodMs(isoToMs(SCENARIO_START), isoToMs(SCENARIO_STOP)) / 1000;
      expect(Math.round(sum(rows) * window)).toBe(SCENARIO_REQUESTS.length);
    },
  },
  'ollama-overview/Latency percentiles': {
    columns: ['_time', '_value', 'quantile'],
    check(rows, refId) {
      expect(new Set(rows.map((r) => r['quantile']))).toEqual(new Set([{ A: 'p50', B: 'p95', C: 'p99' }[refId]]));
      // Seconds; the slowest request that reached a model took 33.182823 s.
      expect(Math.max(...rows.map((r) => Number(r['_value'])))).toBeLessThanOrEqual(33.182823 + 1e-9);
      if (refId === 'C') expect(Math.max(...rows.map((r) => Number(r['_value'])))).toBeCloseTo(33.182823, 6);
    },
  },
  'ollama-overview/Error rate (5xx)': {
    columns: ['_time', '_value'],
    check(rows) {
      // One window holds the only 5xx; its share is 1 over the requests in that window.
      const every = windowPeriodMs(isoToMs(SCENARIO_START), isoToMs(SCENARIO_STOP));
      const windowOf = (t: number) => Math.floor(t / every);
      const failed = SCENARIO_REQUESTS.find(([, , status]) => status >= 500)!;
      const together = SCENARIO_REQUESTS.filter(([iso]) => windowOf(isoToMs(iso)) === windowOf(isoToMs(failed[0]))).length;
      expect(rows.filter((r) => Number(r['_value']) > 0).map((r) => Number(r['_value']))).toEqual([1 / together]);
    },
  },
  'ollama-overview/Requests per model': {
    columns: ['_time', '_value', 'model'],
    check(rows) {
      const perModel = (model: string) => sum(rows.filter((r) => r['model'] === model));
      // Inference requests only (HEAD / and GET /api/tags never reach a model).
      expect(['gemma3:12b', 'gemma3:1b', 'phi4:latest', 'qwen3:8b', 'unattributed'].map(perModel)).toEqual([2, 3, 3, 2, 4]);
    },
  },
  'ollama-overview/Models in use': {
    columns: ['model', 'requests', 'avg_latency_s'],
    check(rows) {
      const byModel = Object.fromEntries(rows.map((r) => [r['model'], [r['requests'], Number(r['avg_latency_s'])]]));
      expect(byModel).toEqual({
        'gemma3:12b': [2, expect.closeTo((18133.557 + 5062.093) / 2000, 9)],
        'gemma3:1b': [3, expect.closeTo((528.425 + 20894.052 + 5100) / 3000, 9)],
        'phi4:latest': [3, expect.closeTo((6100 + 2500 + 20050) / 3000, 9)],
        'qwen3:8b': [2, expect.closeTo((10200 + 1.2) / 2000, 9)],
      });
    },
  },
  'ollama-overview/GPU memory used': {
    columns: ['_time', '_value', 'gpu_index'],
    check(rows) {
      // two-quadro.json: GPU 0 uses 1 of 8192 MiB; GPU 1 reports no total, so no share.
      expect(rows.map((r) => [r['gpu_index'], r['_value']])).toEqual([['0', 1 / 8192]]);
    },
  },
  'ollama-overview/GPU utilization': {
    columns: ['_time', '_value', 'gpu_index'],
    check(rows) {
      expect(rows.map((r) => [r['gpu_index'], r['_value']])).toEqual([
        ['0', 0],
        ['1', 0],
      ]);
    },
  },
  'ollama-models/Model loads': {
    columns: ['_time', '_value', 'model'],
    check(rows) {
      expect(sum(rows)).toBe(8);
      expect(sum(rows.filter((r) => r['model'] === 'phi4:latest'))).toBe(3);
    },
  },
  'ollama-models/Model load time': {
    columns: ['_time', '_value'],
    check(rows) {
      expect(rows.map((r) => r['_value'])).toEqual([5.52, 0.75, 8.02, 1.5, 2.95, 0.95, 5.4]);
    },
  },
  'ollama-models/VRAM available': {
    columns: ['_time', '_value', 'gpu'],
    check(rows) {
      expect(rows.map((r) => r['_value'])).toEqual([1.5 * 2 ** 30, 9.8 * 2 ** 30].map((b) => expect.closeTo(b, -7)));
    },
  },
  'ollama-models/Model inventory': {
    columns: ['model_name', 'sha256', 'size', 'family', 'parameter_size', 'quantization'],
    check(rows) {
      expect(rows.map((r) => r['model_name'])).toEqual(['gemma3:12b', 'gemma3:1b', 'phi4:latest', 'qwen3:8b', 'qwen3:latest']);
    },
  },
};

describe('Grafana provisioning and dashboards', () => {
  let target: BucketTarget;

  function run(query: string, start = SCENARIO_START, stop = SCENARIO_STOP): Promise<Row[]> {
    const [from, to] = [isoToMs(start), isoToMs(stop)];
    const flux = substituteFluxVariables(query, { host: SCENARIO_HOST, start: from, stop: to, windowPeriodMs: windowPeriodMs(from, to), bucket: target.bucket, org: target.org });
    return queryRows(target, flux);
  }

  beforeAll(async () => {
    const shipped = await shipScenario('grafana');
    target = shipped.target;
    // GPU readings as the collector stores them, from the stand-in nvidia-smi replaying a public output.
    const csv = execFileSync(NVIDIA_SMI, NVIDIA_SMI_ARGS, { encoding: 'utf8', env: { ...process.env, NVIDIA_SMI_FIXTURE: TWO_QUADRO } });
    const writeApi = new InfluxDB({ url: target.url, token: target.token }).getWriteApi(target.org, target.bucket, 'ns');
    writeApi.writeRecords(gpuLines(parseNvidiaSmi(csv).gpus, SCENARIO_HOST, isoToMs('2025-07-23T00:00:00Z')));
    await writeApi.close();
    const write = await runCli(['timeline', '--start', SCENARIO_START, '--stop', SCENARIO_STOP, '--write', '--format', 'csv'], shipped.env, { cwd: shipped.dir });
    if (write.code !== 0) throw new Error(`timeline --write exited ${write.code}: ${write.stderr}`);
  });

  it('provisions one Flux data source whose token comes from the environment', () => {
    const yaml = readFileSync(join(GRAFANA, 'provisioning/datasources/ollama-influx.yaml'), 'utf8');
    expect(yaml).toMatch(/^\s+uid: ollama-influx$/m);
    expect(yaml).toMatch(/^\s+type: influxdb$/m);
    expect(yaml).toMatch(/^\s+version: Flux$/m);
    expect(yaml).toMatch(/^\s+token: \$\{INFLUXDB_READ_TOKEN\}$/m);
    expect(yaml).toMatch(/^\s+defaultBucket: \$\{INFLUXDB_BUCKET\}$/m);
    const provider = readFileSync(join(GRAFANA, 'provisioning/dashboards/ollama-influx.yaml'), 'utf8');
    expect(provider).toMatch(/^\s+type: file$/m);
    expect(provider).toMatch(/^\s+path: \/\S+$/m);
  });

  it('has the dashboards and panels the issue asks for, each with a host variable', () => {
    expect(dashboards.map((d) => d.uid)).toEqual(['ollama-lifecycle', 'ollama-models', 'ollama-overview', 'ollama-requests']);
    const titles = dashboards.flatMap((d) => panelsOf(d).map((p) => `${d.uid}/${p.title}`));
    expect(titles.sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const d of dashboards) {
      expect(d.templating.list.map((v) => [v.name, v.type, v.datasource.uid])).toEqual([['host', 'query', DATASOURCE_UID]]);
    }
    const gantt = panelsOf(dashboards[0]!).find((p) => p.type === 'marcusolsson-gantt-panel')!;
    expect(gantt.options).toMatchObject({ textField: '_value', startField: '_time', endField: 'endTime', groupByField: 'series', colorByField: '_value' });
    expect(gantt.options!['colors']).toEqual(
      expect.arrayContaining([
        { text: 'model_lifecycle', color: COLOURS.lifecycle },
        { text: 'model_loading', color: COLOURS.loading },
        { text: 'api_request', color: COLOURS.request },
        { text: 'model_unload', color: COLOURS.unload },
        { text: 'end_uncertain', color: COLOURS.uncertain },
      ]),
    );
    expect(panelsOf(dashboards[0]!).some((p) => p.type === 'state-timeline')).toBe(true);
  });

  const targets = dashboards.flatMap((d) => panelsOf(d).flatMap((p) => p.targets.map((t) => ({ d, p, t }))));

  it.each(targets.map(({ d, p, t }) => [`${d.uid}/${p.title} [${t.refId}]`, d, p, t] as const))('%s', async (_name, d, p, t) => {
    const expected = EXPECTED[`${d.uid}/${p.title}`]!;
    expect(t.datasource.uid).toBe(DATASOURCE_UID);
    const code = t.query.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
    expect(code.length, 'a short query').toBeLessThanOrEqual(MAX_QUERY_LINES);
    expect(t.query).toContain('v.defaultBucket');
    expect(t.query).toContain('"${host}"');
    const rows = await run(t.query);
    expect(rows.length).toBeGreaterThan(0);
    for (const column of expected.columns) expect(rows.every((r) => column in r), `column ${column}`).toBe(true);
    expected.check?.(rows, t.refId);
  });

  it('the host variable lists the shipped host', async () => {
    for (const d of dashboards) {
      const rows = await run(d.templating.list[0]!.query);
      expect(rows.map((r) => r['_value'])).toContain(SCENARIO_HOST);
    }
  });

  it('the lifecycle panels show sessions begun before the range, and nothing of another host', async () => {
    const gantt = panelsOf(dashboards[0]!).find((p) => p.type === 'marcusolsson-gantt-panel')!.targets[0]!.query;
    const rows = await run(gantt, '2025-07-23T00:51:00Z', SCENARIO_STOP);
    const lifecycles = rows.filter((r) => r['_value'] === 'model_lifecycle').map((r) => [r['series'], ms(r['_time'])]);
    expect(lifecycles).toEqual([
      ['gemma3:1b (ctx: 4096)', isoToMs('2025-07-23T00:50:00Z')],
      ['phi4:latest (ctx: 8192)', isoToMs('2025-07-23T00:52:00.500Z')],
    ]);
    const other = substituteFluxVariables(gantt, { host: 'another-box', start: isoToMs(SCENARIO_START), stop: isoToMs(SCENARIO_STOP), windowPeriodMs: 10_000, bucket: target.bucket, org: target.org });
    expect(await queryRows(target, other)).toEqual([]);
  });
});
