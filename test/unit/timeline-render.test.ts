// Renderers and text helpers of the timeline: JSON shape, the seed's Gantt CSV, times, Flux variables.

import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/ollama/lifecycle/build.js';
import { fluxString, substituteFluxVariables } from '../../src/store/flux.js';
import { renderCsv } from '../../src/render/csv.js';
import { pageData, renderHtml } from '../../src/render/html.js';
import { renderJson } from '../../src/render/json.js';
import { spanLines } from '../../src/store/spans.js';
import { fluxDuration, isoUtc, parseRfc3339, parseTimeArg, windowPeriodMs } from '../../src/time.js';
import { SCENARIO_HOST, SCENARIO_START, SCENARIO_STOP, isoToMs, scenarioInput } from '../support/timeline-scenario.js';

const timeline = buildTimeline(scenarioInput(), { host: SCENARIO_HOST, start: isoToMs(SCENARIO_START), stop: isoToMs(SCENARIO_STOP) });

describe('JSON', () => {
  const json = JSON.parse(renderJson(timeline));

  it('has exactly the keys issue 4 lists, times in RFC 3339 UTC', () => {
    expect(Object.keys(json)).toEqual(['host', 'start', 'stop', 'sessions', 'unattributed_requests', 'unattributed_warnings']);
    expect(json.host).toBe('gpu-box');
    expect(json.start).toBe('2025-07-22T23:20:00.000Z');
    const session = json.sessions[0];
    expect(Object.keys(session)).toEqual([
      'model', 'aliases', 'sha256', 'ctx_size', 'start', 'loaded', 'load_seconds', 'end', 'end_reason', 'end_exact', 'end_earliest', 'end_latest',
      'requests', 'warnings',
    ]);
    expect(session).toMatchObject({
      model: 'gemma3:12b',
      ctx_size: 2048,
      start: '2025-07-22T23:26:23.639Z',
      loaded: '2025-07-22T23:26:29.159Z',
      load_seconds: 5.52,
      end: '2025-07-22T23:27:14.374177Z',
      end_reason: 'vram_timeout',
      end_exact: true,
      end_earliest: '2025-07-22T23:27:14.374177Z',
      end_latest: '2025-07-22T23:27:14.374177Z',
    });
    expect(session.requests[0]).toEqual({
      start: '2025-07-22T23:26:23.400Z',
      end: '2025-07-22T23:26:41.533557Z',
      method: 'POST',
      path: '/api/chat',
      status: 200,
      latency_ms: 18133.557,
    });
    expect(Object.keys(session.warnings[0])).toEqual(['time', 'kind', 'message']);
    expect(json.sessions[4].aliases).toEqual(['qwen3:latest']);
    expect(json.unattributed_requests[1].candidates).toEqual(['gemma3:1b', 'phi4:latest']);
    expect(json.unattributed_warnings[0].candidates).toEqual(['gemma3:1b', 'phi4:latest']);
  });
});

describe('CSV (the seed\'s Gantt shape)', () => {
  const rows = renderCsv(timeline).trimEnd().split('\n');

  it('has the header _time,_value,endTime,series,layer and one bar per layer of each session', () => {
    expect(rows[0]).toBe('_time,_value,endTime,series,layer');
    const gemma = rows.filter((r) => r.split(',')[3] === 'gemma3:12b (ctx: 2048)');
    expect(gemma).toEqual([
      '2025-07-22T23:26:23.639Z,model_lifecycle,2025-07-22T23:27:14.374177Z,gemma3:12b (ctx: 2048),background',
      '2025-07-22T23:26:23.639Z,model_loading,2025-07-22T23:26:29.159Z,gemma3:12b (ctx: 2048),loading',
      '2025-07-22T23:26:23.400Z,api_request,2025-07-22T23:26:41.533557Z,gemma3:12b (ctx: 2048),execution',
      '2025-07-22T23:26:37.502353Z,api_request,2025-07-22T23:26:42.564446Z,gemma3:12b (ctx: 2048),execution',
      '2025-07-22T23:26:38.396Z,prompt_truncated,2025-07-22T23:26:38.396Z,gemma3:12b (ctx: 2048),warning',
      '2025-07-22T23:27:19.419Z,vram_timeout,2025-07-22T23:27:19.419Z,gemma3:12b (ctx: 2048),warning',
      '2025-07-22T23:27:19.669Z,vram_timeout,2025-07-22T23:27:19.669Z,gemma3:12b (ctx: 2048),warning',
      '2025-07-22T23:27:19.919Z,vram_timeout,2025-07-22T23:27:19.919Z,gemma3:12b (ctx: 2048),warning',
      '2025-07-22T23:27:14.374177Z,model_unload,2025-07-22T23:27:14.374177Z,gemma3:12b (ctx: 2048),unload',
    ]);
  });

  it('draws no unload for a session still open, and puts unattributed requests in their own lane', () => {
    const open = rows.filter((r) => r.includes('phi4:latest (ctx: 8192)'));
    expect(open.map((r) => r.split(',')[4])).toEqual(['background', 'loading', 'execution', 'warning']);
    expect(rows.filter((r) => r.split(',')[3] === 'unattributed').map((r) => r.split(',')[1])).toEqual([
      'api_request', 'api_request', 'api_request', 'api_request', 'prompt_truncated',
    ]);
  });

  it('quotes a label holding a comma or a quote', () => {
    const csv = renderCsv({ ...timeline, sessions: [{ ...timeline.sessions[0]!, model: 'my,model "x"' }], unattributedRequests: [], unattributedWarnings: [] });
    expect(csv.split('\n')[1]).toBe('2025-07-22T23:26:23.639Z,model_lifecycle,2025-07-22T23:27:14.374177Z,"my,model ""x"" (ctx: 2048)",background');
  });
});

describe('HTML', () => {
  it('embeds the data so no markup can escape the script element', () => {
    const evil = { ...timeline, host: '</script><img src=x onerror=alert(1)>', sessions: [{ ...timeline.sessions[0]!, model: '</script><b>x</b>' }] };
    const html = renderHtml(evil);
    expect(html).not.toContain('</script><img');
    expect(html).not.toContain('</script><b>');
    expect(html).toContain('&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;');
    const embedded = /<script type="application\/json" id="timeline-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect(JSON.parse(embedded).lanes[0].label).toBe('</script><b>x</b> (ctx: 2048)');
  });

  it('gives the page one lane per session plus one for the unattributed', () => {
    const data = pageData(timeline);
    expect(data.lanes).toHaveLength(timeline.sessions.length + 1);
    expect(data.lanes.map((l) => l.label)).toContain('qwen3:8b (ctx: 16384)');
    expect(data.lanes[2]!.sub).toBe('keep-alive expired (inferred) · 0 requests');
    expect(data.lanes.at(-1)!.label).toBe('unattributed');
  });
});

describe('times', () => {
  const now = Date.parse('2025-07-23T12:00:00Z');

  it('reads now, relative and RFC 3339 times', () => {
    expect(parseTimeArg('now', now)).toBe(now);
    expect(parseTimeArg('-24h', now)).toBe(now - 86_400_000);
    expect(parseTimeArg('-1h30m', now)).toBe(now - 5_400_000);
    expect(parseTimeArg('-7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTimeArg('2025-07-23T09:00:00+10:00', now)).toBe(Date.parse('2025-07-22T23:00:00Z'));
    expect(parseTimeArg('2025-07-22T23:26:32.429635Z', now)).toBe(Date.parse('2025-07-22T23:26:32.429Z') + 0.635);
    for (const bad of ['yesterday', '24h', '-24', '2025-07-22', '2025-07-22 23:00:00Z', '']) expect(parseTimeArg(bad, now), bad).toBeNull();
  });

  it('prints RFC 3339 UTC with microseconds only when there are some', () => {
    expect(isoUtc(Date.parse('2025-07-22T23:26:32.429Z'))).toBe('2025-07-22T23:26:32.429Z');
    expect(isoUtc(Date.parse('2025-07-22T23:26:32.429Z') + 0.635)).toBe('2025-07-22T23:26:32.429635Z');
    expect(parseRfc3339('2025-07-22T23:26:41.533557169Z')).toBe(Date.parse('2025-07-22T23:26:41.533Z') + 0.557);
  });

  it('picks a round window period of about a thousand points', () => {
    expect(fluxDuration(windowPeriodMs(0, 86_400_000))).toBe('2m');
    expect(fluxDuration(windowPeriodMs(0, 300_000))).toBe('1s');
    expect(fluxDuration(windowPeriodMs(0, 7 * 86_400_000))).toBe('15m');
    expect(fluxDuration(1500)).toBe('1500ms');
  });
});

describe('Flux variables', () => {
  const vars = {
    host: 'gpu-box',
    start: Date.parse('2025-07-22T23:20:00Z'),
    stop: Date.parse('2025-07-23T01:00:00Z'),
    windowPeriodMs: 10_000,
    bucket: 'ollama-logs',
    org: 'home',
  };

  it('fills in what Grafana fills in, as Flux literals', () => {
    const flux = `from(bucket: v.defaultBucket)
  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
  |> filter(fn: (r) => r.host == "\${host}")
  |> aggregateWindow(every: v.windowPeriod, fn: count)`;
    expect(substituteFluxVariables(flux, vars)).toBe(`from(bucket: "ollama-logs")
  |> range(start: 2025-07-22T23:20:00.000Z, stop: 2025-07-23T01:00:00.000Z)
  |> filter(fn: (r) => r.host == "gpu-box")
  |> aggregateWindow(every: 10s, fn: count)`);
  });

  it('keeps a hostile host inside its string literal', () => {
    const out = substituteFluxVariables('r.host == "${host}"', { ...vars, host: 'a" or true or "${x}\\' });
    expect(out).toBe('r.host == "a\\" or true or \\"\\${x}\\\\"');
    expect(fluxString('plain')).toBe('"plain"');
  });
});

describe('ollama_timeline points', () => {
  it('one point per bar, keyed by host, layer, kind, session and the bar start; the lane and details in fields', () => {
    const lines = spanLines(timeline);
    expect(lines).toHaveLength(renderCsv(timeline).trimEnd().split('\n').length - 1);
    expect(lines[0]).toBe(
      'ollama_timeline,host=gpu-box,layer=background,kind=model_lifecycle,session=2025-07-22T23:26:23.639Z/adca500fad9b series="gemma3:12b (ctx: 2048)",end="2025-07-22T23:27:14.374177Z",' +
        'model="gemma3:12b",sha256="adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3",session_start="2025-07-22T23:26:23.639Z",' +
        'ctx_size=2048,load_seconds=5.52,end_reason="vram_timeout",end_exact=true,' +
        'end_earliest="2025-07-22T23:27:14.374177Z",end_latest="2025-07-22T23:27:14.374177Z" 1753226783639000000',
    );
    const request = lines.find((l) => l.includes('kind=api_request') && l.endsWith(' 1753226797502353000'))!;
    expect(request).toContain('path="/api/chat",status=200,latency_ms=5062.093');
    const keys = lines.map((l) => `${l.split(' ')[0]} ${l.split(' ').at(-1)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps the same keys when the range is rebuilt later (rewrites overwrite, never add)', () => {
    const later = buildTimeline(scenarioInput(), { host: SCENARIO_HOST, start: isoToMs(SCENARIO_START), stop: isoToMs('2025-07-23T02:00:00Z') });
    const key = (l: string) => `${l.split(' ')[0]} ${l.split(' ').at(-1)}`;
    const before = new Set(spanLines(timeline).map(key));
    const after = spanLines(later).map(key);
    // The open phi4 session now ends by keep-alive: its unload bar and the stretch its end is uncertain
    // in (from its last request's end to the deadline plus the unload lag) are new, nothing else.
    // (its last request ended at 00:52:20; that server's OLLAMA_KEEP_ALIVE is 10m: 01:02:20, + 1 s)
    expect(later.sessions.at(-1)).toMatchObject({ endEarliest: isoToMs('2025-07-23T00:52:20Z'), endLatest: isoToMs('2025-07-23T01:02:21Z') });
    expect(after.filter((k) => !before.has(k))).toEqual([
      'ollama_timeline,host=gpu-box,layer=unload,kind=model_unload,session=2025-07-23T00:52:00.500Z/325e2d850853 1753232540000000000',
      'ollama_timeline,host=gpu-box,layer=unload,kind=end_uncertain,session=2025-07-23T00:52:00.500Z/325e2d850853 1753231940000000000',
    ]);
    expect([...before].filter((k) => !after.includes(k))).toEqual([]);
  });
});
