// `timeline` and `query` against the real InfluxDB: the scenario journal is shipped by `once` (the
// real pipeline: journal file → parser → ollama_requests/ollama_events, models dir → inventory), and
// the timeline read back must be the one the pure reconstruction gives for the same lines.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/ollama/lifecycle/build.js';
import { renderCsv } from '../../src/render/csv.js';
import { pageData } from '../../src/render/html.js';
import { timelineJson } from '../../src/render/json.js';
import { type BucketTarget, queryRows } from '../support/influx.js';
import { SCENARIO_HOST, SCENARIO_START, SCENARIO_STOP, isoToMs, scenarioInput, shipScenario } from '../support/timeline-scenario.js';
import { runCli } from '../support/cli.js';

describe('timeline from InfluxDB', () => {
  let env: Record<string, string>;
  let dir: string;
  let target: BucketTarget;
  const range = ['--start', SCENARIO_START, '--stop', SCENARIO_STOP];
  const expected = buildTimeline(scenarioInput(), { host: SCENARIO_HOST, start: isoToMs(SCENARIO_START), stop: isoToMs(SCENARIO_STOP) });

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

  it('--format json gives what the reconstruction gives for the same lines', async () => {
    const run = await runCli(['timeline', ...range, '--format', 'json'], env, { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(timelineJson(expected))));
  });

  it('--format csv is the seed\'s Gantt shape, row for row', async () => {
    const run = await runCli(['timeline', ...range, '--format', 'csv'], env, { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(renderCsv(expected));
  });

  it('--format html --out writes the page with the same lanes', async () => {
    const out = join(dir, 'timeline.html');
    const run = await runCli(['timeline', ...range, '--format', 'html', '--out', out], env, { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`wrote 8 session(s), 4 unattributed request(s) for host ${SCENARIO_HOST}`);
    const html = readFileSync(out, 'utf8');
    const embedded = /<script type="application\/json" id="timeline-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect(JSON.parse(embedded)).toEqual(JSON.parse(JSON.stringify(pageData(expected))));
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
