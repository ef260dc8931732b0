// `timeline` and `query` against the real InfluxDB: the scenario journal is shipped by `once` (the
// real pipeline: journal file → parser → ollama_requests/ollama_events, models dir → inventory), and
// the timeline read back must be the one worked out by hand from those lines.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BucketTarget, queryRows } from '../support/influx.js';
import { SCENARIO_HOST, SCENARIO_SESSIONS, SCENARIO_START, SCENARIO_STOP, shipScenario } from '../support/timeline-scenario.js';
import { runCli } from '../support/cli.js';

interface JsonTimeline {
  sessions: { model: string; ctx_size: number; start: string; end: string; end_reason: string; end_exact: boolean; requests: { start: string; end: string; latency_ms: number }[] }[];
  unattributed_requests: { end: string; status: number }[];
}

describe('timeline from InfluxDB', () => {
  let env: Record<string, string>;
  let dir: string;
  let target: BucketTarget;
  const range = ['--start', SCENARIO_START, '--stop', SCENARIO_STOP];

  beforeAll(async () => {
    ({ env, dir, target } = await shipScenario('timeline'));
  });

  it('stored the structured measurements it reads', async () => {
    const kinds = await queryRows(
      target,
      `from(bucket: "${target.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "ollama_events" and r._field == "message")
        |> group(columns: ["event"]) |> count() |> keep(columns: ["event", "_value"])`,
    );
    const count = Object.fromEntries(kinds.map((r) => [r['event'], r['_value']]));
    expect(count).toMatchObject({ model_load_start: 8, model_loaded: 7, vram_timeout: 4, server_start: 2, eviction: 1, load_error: 1 });
  });

  it('--format json: the sessions, ends and attributions worked out by hand from the scenario lines', async () => {
    const run = await runCli(['timeline', ...range, '--format', 'json'], env, { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as JsonTimeline;
    expect(json.sessions.map((s) => [s.model, s.ctx_size, s.start, s.end, s.end_reason, s.end_exact, s.requests.map((r) => r.end)])).toEqual(SCENARIO_SESSIONS);
    expect(json.unattributed_requests.map((r) => [r.end, r.status])).toEqual([
      ['2025-07-22T23:21:30.000Z', 404],
      ['2025-07-22T23:28:30.100Z', 200],
      ['2025-07-22T23:29:21.458032Z', 200],
      ['2025-07-23T00:45:04.010Z', 500],
    ]);
    // A request's start is its end minus gin's latency: 23:26:41.533557 - 18.133557 s.
    expect(json.sessions[0]!.requests[0]).toMatchObject({ start: '2025-07-22T23:26:23.400Z', latency_ms: 18133.557 });
  });

  it('--format csv is the seed\'s Gantt shape, row for row', async () => {
    const run = await runCli(['timeline', ...range, '--format', 'csv'], env, { cwd: dir });
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split('\n');
    expect(rows[0]).toBe('_time,_value,endTime,series,layer');
    // qwen3:8b's lane, from its lines: runner 00:40:00, started 00:40:03.100, two requests
    // (00:40:10 - 10.2 s, 00:47:00 - 1.2 ms), the DEBUG unload 00:47:00.002.
    expect(rows.filter((r) => r.includes(',qwen3:8b (ctx: 16384),'))).toEqual([
      '2025-07-23T00:40:00.000Z,model_lifecycle,2025-07-23T00:47:00.002Z,qwen3:8b (ctx: 16384),background',
      '2025-07-23T00:40:00.000Z,model_loading,2025-07-23T00:40:03.100Z,qwen3:8b (ctx: 16384),loading',
      '2025-07-23T00:39:59.800Z,api_request,2025-07-23T00:40:10.000Z,qwen3:8b (ctx: 16384),execution',
      '2025-07-23T00:46:59.998800Z,api_request,2025-07-23T00:47:00.000Z,qwen3:8b (ctx: 16384),execution',
      '2025-07-23T00:47:00.002Z,model_unload,2025-07-23T00:47:00.002Z,qwen3:8b (ctx: 16384),unload',
    ]);
    // Rows per layer, counted from the lines: 8 sessions; 7 loads finished (gemma3:12b's second failed);
    // 10 attributed + 4 unattributed inference requests; 3 truncations, 4 VRAM timeouts, 1 load error;
    // 7 unloads (phi4 is still loaded at the end: none) and 2 uncertain ends (phi4's keep-alive expiry
    // and the restart under it).
    const perLayer: Record<string, number> = {};
    for (const row of rows.slice(1)) perLayer[row.split(',').at(-1)!] = (perLayer[row.split(',').at(-1)!] ?? 0) + 1;
    expect(perLayer).toEqual({ background: 8, loading: 7, execution: 14, warning: 8, unload: 9 });
  });

  it('--format html --out writes the page with the same lanes', async () => {
    const out = join(dir, 'timeline.html');
    const run = await runCli(['timeline', ...range, '--format', 'html', '--out', out], env, { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`wrote 8 session(s), 4 unattributed request(s) for host ${SCENARIO_HOST}`);
    const html = readFileSync(out, 'utf8');
    const embedded = JSON.parse(/<script type="application\/json" id="timeline-data">(.*?)<\/script>/s.exec(html)![1]!) as { lanes: { label: string }[] };
    expect(embedded.lanes.map((lane) => lane.label)).toEqual([...SCENARIO_SESSIONS.map(([model, ctx]) => `${model} (ctx: ${ctx})`), 'unattributed']);
  });

  it('finds sessions begun before the range and the keep-alive of the process they live in', async () => {
    const late = await runCli(['timeline', '--start', '2025-07-23T00:51:00Z', '--stop', SCENARIO_STOP], env, { cwd: dir });
    expect(late.code).toBe(0);
    const json = JSON.parse(late.stdout);
    expect(json.sessions.map((s: { model: string; start: string; end_reason: string }) => [s.model, s.start, s.end_reason])).toEqual([
      ['gemma3:1b', '2025-07-23T00:50:00.000Z', 'eviction'],
      ['phi4:latest', '2025-07-23T00:52:00.500Z', 'open'],
    ]);
    const restart = await runCli(['timeline', '--start', '2025-07-23T00:33:30Z', '--stop', '2025-07-23T00:46:00Z'], env, { cwd: dir });
    const sessions = JSON.parse(restart.stdout).sessions;
    expect(sessions.map((s: { model: string; end_reason: string }) => [s.model, s.end_reason])).toEqual([
      ['phi4:latest', 'server_restart'],
      ['qwen3:8b', 'open'],
      ['gemma3:12b', 'load_error'],
    ]);
  });

  it('reads only the given host', async () => {
    const run = await runCli(['timeline', ...range, '--host', 'another-box'], env, { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ host: 'another-box', sessions: [], unattributed_requests: [] });
  });

  it('refuses a bad time with one line and a refused token with exit 78, never printing the token', async () => {
    const bad = await runCli(['timeline', '--start', 'yesterday'], env, { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--start "yesterday" is not a time');
    const refused = await runCli(['timeline', ...range], { ...env, INFLUXDB_TOKEN: 'not-the-token-1234' }, { cwd: dir });
    expect(refused.code).toBe(78);
    expect(refused.stderr).toMatch(/OI_ERR_INFLUX_AUTH/);
    expect(refused.stderr + refused.stdout).not.toContain('not-the-token-1234');
  });
});

describe('query FILE.flux', () => {
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    ({ env, dir } = await shipScenario('query'));
  });

  const loads = `// model loads per model, in the dashboard range
from(bucket: v.defaultBucket)
  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
  |> filter(fn: (r) => r._measurement == "ollama_events" and r.host == "\${host}" and r.event == "model_loaded" and r._field == "load_seconds")
  |> group()
  |> aggregateWindow(every: v.windowPeriod, fn: count, createEmpty: false)
  |> sum()
`;

  it('fills in the variables and prints InfluxDB\'s CSV without annotations', async () => {
    writeFileSync(join(dir, 'loads.flux'), loads);
    const run = await runCli(['query', 'loads.flux', '--start', SCENARIO_START, '--stop', SCENARIO_STOP], env, { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe(',result,table,_start,_stop,_value');
    // The range it ran over is the one given: the variables were filled in.
    expect(lines[1]).toBe(',_result,0,2025-07-22T23:20:00Z,2025-07-23T01:00:00Z,7');
    expect(run.stdout).not.toContain('#datatype');
    expect(run.stdout).not.toContain(env['INFLUXDB_TOKEN']!);
  });

  it('prints an aligned table per result table with --format table (loads per model)', async () => {
    writeFileSync(
      join(dir, 'per-model.flux'),
      `from(bucket: v.defaultBucket)
  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
  |> filter(fn: (r) => r._measurement == "ollama_events" and r.host == "\${host}" and r.event == "model_load_start" and r._field == "message")
  |> group(columns: ["model"])
  |> count()
  |> keep(columns: ["model", "_value"])
`,
    );
    const run = await runCli(['query', 'per-model.flux', '--start', SCENARIO_START, '--stop', SCENARIO_STOP, '--format', 'table'], env, { cwd: dir });
    expect(run.code).toBe(0);
    const blocks = run.stdout.trim().split('\n\n');
    expect(blocks).toHaveLength(4);
    expect(blocks.map((b) => b.split('\n')[2]!.replace(/\s+/g, ' '))).toEqual(
      expect.arrayContaining(['1 qwen3:8b', '2 gemma3:1b', '3 phi4:latest', '2 gemma3:12b']),
    );
    expect(blocks[0]!.split('\n')[1]).toMatch(/^-+ {2}-+$/);
  });

  it('a Flux error is one line and a non-zero exit', async () => {
    writeFileSync(join(dir, 'broken.flux'), 'from(bucket: v.defaultBucket) |> range(start: v.timeRangeStart) |> nosuchfunction()');
    const run = await runCli(['query', 'broken.flux'], env, { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/InfluxDB query failed \(HTTP 400\).*nosuchfunction/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
