// The lifecycle reconstruction on realistic log lines (parsed by the real parser), no database.

import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/ollama/lifecycle/build.js';
import type { Session, Timeline } from '../../src/ollama/lifecycle/types.js';
import {
  SCENARIO_HOST,
  SCENARIO_START,
  SCENARIO_STOP,
  SHA,
  inputFromLines,
  isoToMs,
  scenarioInput,
  scenarioInventory,
} from '../support/timeline-scenario.js';

const ms = isoToMs;
const BLOB = '/usr/share/ollama/.ollama/models/blobs/sha256-';

function scenario(start = SCENARIO_START, stop = SCENARIO_STOP): Timeline {
  return buildTimeline(scenarioInput(), { host: SCENARIO_HOST, start: ms(start), stop: ms(stop) });
}

function summary(s: Session) {
  return { model: s.model, ctx: s.ctxSize, start: s.start, end: s.end, reason: s.endReason, exact: s.endExact };
}

function lines(list: [string, string][], start: string, stop: string): Timeline {
  return buildTimeline(inputFromLines(list, scenarioInventory()), { host: 'h', start: ms(start), stop: ms(stop) });
}

function slog(iso: string, level: string, msg: string, attrs = ''): [string, string] {
  return [iso, `time=${iso} level=${level} source=x.go:1 msg="${msg}"${attrs === '' ? '' : ` ${attrs}`}`];
}

function load(iso: string, sha: string, ctx: number): [string, string] {
  return slog(iso, 'INFO', 'starting llama server', `cmd="/usr/local/bin/ollama runner --model ${BLOB}${sha} --ctx-size ${ctx} --batch-size 512 --n-gpu-layers 33 --parallel 1 --port 4000"`);
}

function loaded(iso: string, seconds: string): [string, string] {
  return slog(iso, 'INFO', `llama runner started in ${seconds} seconds`);
}

function gin(endIso: string, latency: string, path = '/api/chat', status = 200): [string, string] {
  return [endIso, `[GIN] 2025/07/23 - 00:00:00 | ${status} | ${latency} | 10.0.0.1 | POST     "${path}"`];
}

function keepAlive(iso: string, value: string): [string, string] {
  return slog(iso, 'INFO', 'server config', `env="map[OLLAMA_KEEP_ALIVE:${value} OLLAMA_MODELS:/m]"`);
}

describe('the scenario journal', () => {
  const timeline = scenario();

  it('has one session per model load, in order, named from the inventory with the load context', () => {
    expect(timeline.sessions.map((s) => [s.model, s.ctxSize, s.loadSeconds])).toEqual([
      ['gemma3:12b', 2048, 5.52],
      ['gemma3:1b', 8192, 0.75],
      ['phi4:latest', 2048, 8.02],
      ['phi4:latest', 2048, 1.5],
      ['qwen3:8b', 16384, 2.95],
      ['gemma3:12b', 4096, null],
      ['gemma3:1b', 4096, 0.95],
      ['phi4:latest', 8192, 5.4],
    ]);
    const qwen = timeline.sessions[4]!;
    expect(qwen.aliases).toEqual(['qwen3:latest']);
    expect(qwen.sha256).toBe(SHA.qwen3);
    expect(qwen.gpuLayers).toBe(37);
    expect(qwen.parallel).toBe(2);
    expect(timeline.sessions[0]!.gpuLayers).toBe(49);
    expect(timeline.sessions[0]!.loaded).toBe(ms('2025-07-22T23:26:29.159Z'));
  });

  it('ends each session for the reason the logs give, exact or inferred', () => {
    expect(timeline.sessions.map(summary)).toEqual([
      // The earliest unload time of the three VRAM timeouts naming its blob: 23:27:19.919 - 5.544823418 s.
      { model: 'gemma3:12b', ctx: 2048, start: ms('2025-07-22T23:26:23.639Z'), end: ms('2025-07-22T23:27:19.919Z') - 5544.823418, reason: 'vram_timeout', exact: true },
      // Its VRAM timeout (23:32:40 - 5 s) comes before its keep-alive expiry (23:34:21).
      { model: 'gemma3:1b', ctx: 8192, start: ms('2025-07-22T23:27:19.689Z'), end: ms('2025-07-22T23:32:35Z'), reason: 'vram_timeout', exact: true },
      // 5m0s after the last request it may have served.
      { model: 'phi4:latest', ctx: 2048, start: ms('2025-07-22T23:28:15.313Z'), end: ms('2025-07-22T23:29:21.458032Z') + 300_000, reason: 'keep_alive', exact: false },
      { model: 'phi4:latest', ctx: 2048, start: ms('2025-07-23T00:32:04Z'), end: ms('2025-07-23T00:34:59.100Z'), reason: 'server_restart', exact: false },
      { model: 'qwen3:8b', ctx: 16384, start: ms('2025-07-23T00:40:00Z'), end: ms('2025-07-23T00:47:00.002Z'), reason: 'unload', exact: true },
      { model: 'gemma3:12b', ctx: 4096, start: ms('2025-07-23T00:45:00Z'), end: ms('2025-07-23T00:45:04Z'), reason: 'load_error', exact: true },
      { model: 'gemma3:1b', ctx: 4096, start: ms('2025-07-23T00:50:00Z'), end: ms('2025-07-23T00:52:00Z'), reason: 'eviction', exact: true },
      { model: 'phi4:latest', ctx: 8192, start: ms('2025-07-23T00:52:00.500Z'), end: ms(SCENARIO_STOP), reason: 'open', exact: false },
    ]);
  });

  it('attributes a request only when exactly one session can have served it', () => {
    const requestEnds = timeline.sessions.map((s) => s.requests.map((r) => r.end));
    expect(requestEnds).toEqual([
      [ms('2025-07-22T23:26:41.533557Z'), ms('2025-07-22T23:26:42.564446Z')],
      // The request that made Ollama swap gemma3:12b for gemma3:1b started while 12b was loaded,
      // but 12b left memory before it completed: it is 1b's.
      [ms('2025-07-22T23:27:34.994052Z'), ms('2025-07-22T23:27:25.671126Z')],
      [],
      [ms('2025-07-23T00:32:10Z'), ms('2025-07-23T00:33:00Z')],
      [ms('2025-07-23T00:40:10Z'), ms('2025-07-23T00:47:00Z')],
      [],
      [ms('2025-07-23T00:50:05Z')],
      // Loaded for it right after the eviction of gemma3:1b.
      [ms('2025-07-23T00:52:20Z')],
    ]);
    const first = timeline.sessions[0]!.requests[0]!;
    expect(first).toEqual({ start: ms('2025-07-22T23:26:41.533557Z') - 18133.557, end: ms('2025-07-22T23:26:41.533557Z'), method: 'POST', path: '/api/chat', status: 200, latencyMs: 18133.557 });
  });

  it('lists the others as unattributed with their candidate models, and leaves out non-inference requests', () => {
    expect(timeline.unattributedRequests.map((r) => [r.end, r.status, r.candidates])).toEqual([
      [ms('2025-07-22T23:21:30Z'), 404, []],
      [ms('2025-07-22T23:28:30.100Z'), 200, ['gemma3:1b', 'phi4:latest']],
      [ms('2025-07-22T23:29:21.458032Z'), 200, ['gemma3:1b', 'phi4:latest']],
      // The failed load's 500 could be its own answer or qwen3's.
      [ms('2025-07-23T00:45:04.010Z'), 500, ['qwen3:8b', 'gemma3:12b']],
    ]);
    const everyPath = [...timeline.sessions.flatMap((s) => s.requests), ...timeline.unattributedRequests].map((r) => r.path);
    expect(everyPath).not.toContain('/');
    expect(everyPath).not.toContain('/api/tags');
  });

  it('attaches warnings to the session they concern or the one loaded at that moment', () => {
    const warnings = timeline.sessions.map((s) => s.warnings.map((w) => w.kind));
    expect(warnings).toEqual([
      ['prompt_truncated', 'vram_timeout', 'vram_timeout', 'vram_timeout'],
      ['vram_timeout'],
      [],
      [],
      [],
      ['load_error'],
      [],
      ['prompt_truncated'],
    ]);
    expect(timeline.sessions[7]!.warnings[0]!.message).toContain('limit=8192 prompt=9000');
    expect(timeline.unattributedWarnings).toHaveLength(1);
    expect(timeline.unattributedWarnings[0]).toMatchObject({ kind: 'prompt_truncated', time: ms('2025-07-22T23:29:00Z'), candidates: ['gemma3:1b', 'phi4:latest'] });
  });

  it('keeps only what overlaps the range, with sessions begun before it', () => {
    const late = scenario('2025-07-23T00:33:30Z', '2025-07-23T00:46:00Z');
    expect(late.sessions.map((s) => [s.model, s.start, s.endReason])).toEqual([
      ['phi4:latest', ms('2025-07-23T00:32:04Z'), 'server_restart'],
      ['qwen3:8b', ms('2025-07-23T00:40:00Z'), 'open'],
      ['gemma3:12b', ms('2025-07-23T00:45:00Z'), 'load_error'],
    ]);
    // The phi4 requests ended before the range: not listed; qwen3 is still loaded at its end.
    expect(late.sessions[0]!.requests).toEqual([]);
    expect(late.sessions[1]!.end).toBe(ms('2025-07-23T00:46:00Z'));
    expect(late.unattributedRequests.map((r) => r.status)).toEqual([500]);
  });
});

describe('rules on small journals', () => {
  const A = SHA.gemma1b;
  const B = SHA.phi4;

  it('uses OLLAMA_KEEP_ALIVE from the latest server config, 5m by default, and never for a negative one', () => {
    const base: [string, string][] = [load('2025-07-23T00:00:00Z', A, 2048), loaded('2025-07-23T00:00:01Z', '1.00'), gin('2025-07-23T00:00:10Z', '9s')];
    const byDefault = lines(base, '2025-07-23T00:00:00Z', '2025-07-23T02:00:00Z');
    expect(byDefault.sessions[0]).toMatchObject({ end: ms('2025-07-23T00:05:10Z'), endReason: 'keep_alive', endExact: false });

    const thirty = lines([keepAlive('2025-07-22T23:00:00Z', '30m0s'), keepAlive('2025-07-22T23:30:00Z', '1h0m0s'), ...base], '2025-07-23T00:00:00Z', '2025-07-23T02:00:00Z');
    expect(thirty.sessions[0]).toMatchObject({ end: ms('2025-07-23T01:00:10Z'), endReason: 'keep_alive' });

    const forever = lines([keepAlive('2025-07-22T23:00:00Z', '2562047h47m16.854775807s'), ...base], '2025-07-23T00:00:00Z', '2025-07-23T02:00:00Z');
    expect(forever.sessions[0]).toMatchObject({ end: ms('2025-07-23T02:00:00Z'), endReason: 'open', endExact: false });
  });

  it('keeps a session alive while a long request runs past its keep-alive', () => {
    const t = lines(
      [
        keepAlive('2025-07-22T23:00:00Z', '1m0s'),
        load('2025-07-23T00:00:00Z', A, 2048),
        loaded('2025-07-23T00:00:01Z', '1.00'),
        gin('2025-07-23T00:00:05Z', '5s'),
        // Started 00:00:30 (timer reset), ends 00:10:30; a short one inside it at 00:05.
        gin('2025-07-23T00:05:00Z', '1s'),
        gin('2025-07-23T00:10:30Z', '10m0s'),
      ],
      '2025-07-23T00:00:00Z',
      '2025-07-23T01:00:00Z',
    );
    expect(t.sessions[0]!.requests).toHaveLength(3);
    expect(t.sessions[0]).toMatchObject({ end: ms('2025-07-23T00:11:30Z'), endReason: 'keep_alive' });
    expect(t.unattributedRequests).toEqual([]);
  });

  it('does not attribute a request to a session that expired before it arrived', () => {
    const t = lines(
      [load('2025-07-23T00:00:00Z', A, 2048), loaded('2025-07-23T00:00:01Z', '1.00'), gin('2025-07-23T00:00:05Z', '5s'), gin('2025-07-23T00:20:00Z', '2s')],
      '2025-07-23T00:00:00Z',
      '2025-07-23T01:00:00Z',
    );
    expect(t.sessions[0]!.requests).toHaveLength(1);
    expect(t.unattributedRequests.map((r) => r.candidates)).toEqual([[]]);
  });

  it('leaves an unnamed eviction unresolved when two models are loaded, and a later VRAM timeout names the one', () => {
    const t = lines(
      [
        load('2025-07-23T00:00:00Z', A, 2048),
        loaded('2025-07-23T00:00:01Z', '1.00'),
        load('2025-07-23T00:01:00Z', B, 4096),
        loaded('2025-07-23T00:01:02Z', '2.00'),
        slog('2025-07-23T00:02:00Z', 'INFO', 'model requires more gpu memory than is currently available, evicting a model to make space'),
        slog('2025-07-23T00:02:06Z', 'WARN', "gpu VRAM usage didn't recover within timeout", `seconds=5.5 model=${BLOB}${B}`),
      ],
      '2025-07-23T00:00:00Z',
      '2025-07-23T00:03:00Z',
    );
    expect(t.sessions.map((s) => [s.model, s.end, s.endReason])).toEqual([
      ['gemma3:1b', ms('2025-07-23T00:03:00Z'), 'open'],
      ['phi4:latest', ms('2025-07-23T00:02:00.500Z'), 'vram_timeout'],
    ]);
  });

  it('ends every loaded model on an evict-all line and names the evicted one on the DEBUG reset line', () => {
    const runner = (sha: string, name: string) => `runner.name=registry.ollama.ai/library/${name} runner.model=${BLOB}${sha} runner.num_ctx=2048`;
    const all = lines(
      [
        load('2025-07-23T00:00:00Z', A, 2048),
        loaded('2025-07-23T00:00:01Z', '1.00'),
        load('2025-07-23T00:01:00Z', B, 4096),
        loaded('2025-07-23T00:01:02Z', '2.00'),
        slog('2025-07-23T00:02:00Z', 'INFO', 'evicting all other loaded models for load retry'),
      ],
      '2025-07-23T00:00:00Z',
      '2025-07-23T00:03:00Z',
    );
    expect(all.sessions.map((s) => [s.end, s.endReason, s.endExact])).toEqual([
      [ms('2025-07-23T00:02:00Z'), 'eviction', true],
      [ms('2025-07-23T00:02:00Z'), 'eviction', true],
    ]);
    const named = lines(
      [
        load('2025-07-23T00:00:00Z', A, 2048),
        loaded('2025-07-23T00:00:01Z', '1.00'),
        load('2025-07-23T00:01:00Z', B, 4096),
        loaded('2025-07-23T00:01:02Z', '2.00'),
        slog('2025-07-23T00:02:00Z', 'DEBUG', 'resetting model to expire immediately to make room', `${runner(B, 'phi4:latest')} refCount=0`),
      ],
      '2025-07-23T00:00:00Z',
      '2025-07-23T00:03:00Z',
    );
    expect(named.sessions.map((s) => s.endReason)).toEqual(['open', 'eviction']);
  });

  it('does not read "new model will fit" as an eviction', () => {
    const t = lines(
      [
        load('2025-07-23T00:00:00Z', A, 2048),
        loaded('2025-07-23T00:00:01Z', '1.00'),
        slog('2025-07-23T00:01:00Z', 'INFO', 'new model will fit in available VRAM in single GPU, loading', `model=${BLOB}${B} gpu=GPU-1 parallel=1 available=9000000000 required="4.1 GiB"`),
        load('2025-07-23T00:01:00.100Z', B, 4096),
        loaded('2025-07-23T00:01:02Z', '2.00'),
      ],
      '2025-07-23T00:00:00Z',
      '2025-07-23T00:03:00Z',
    );
    expect(t.sessions.map((s) => s.endReason)).toEqual(['open', 'open']);
  });

  it('ends the session at an unload whose VRAM converged, `seconds` before the line', () => {
    const t = lines(
      [
        load('2025-07-23T00:00:00Z', A, 2048),
        loaded('2025-07-23T00:00:01Z', '1.00'),
        slog('2025-07-23T00:02:01.200Z', 'DEBUG', 'gpu VRAM free memory converged after 1.20 seconds', `model=${BLOB}${A}`),
      ],
      '2025-07-23T00:00:00Z',
      '2025-07-23T00:03:00Z',
    );
    expect(t.sessions[0]).toMatchObject({ end: ms('2025-07-23T00:02:00Z'), endReason: 'unload', endExact: true });
  });

  it('shows a model without inventory by its sha256, and a load that never finished as loading until the range end', () => {
    const unknown = '0'.repeat(63) + '1';
    const t = lines([load('2025-07-23T00:00:00Z', unknown, 1024), gin('2025-07-23T00:00:30Z', '35s')], '2025-07-23T00:00:00Z', '2025-07-23T00:01:00Z');
    expect(t.sessions[0]).toMatchObject({ model: null, aliases: [], sha256: unknown, loaded: null, endReason: 'open' });
    // Loaded state unknown (no "runner started" line): still the only session, so the request is its.
    expect(t.sessions[0]!.requests).toHaveLength(1);
  });
});
