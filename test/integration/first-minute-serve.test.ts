// `serve --journal`: the read API and the live /timeline page from this host's journal, no database.
// The seed-like journal (shifted to end an hour ago, so `?window=24h` covers it) is read by hand for the
// figures below; then `once` ships it and `serve` over InfluxDB must answer the same.

import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli.js';
import { freshBucket, waitFor } from '../support/influx.js';
import { tempDir, writeJournal } from '../support/journal.js';
import { freePort } from '../support/prometheus.js';
import { SEED_HOST, seedJournalEntries } from '../support/seed-journal.js';
import { isoToUs, writeScenarioModelsDir } from '../support/timeline-scenario.js';

const started: ChildProcess[] = [];

/** `serve` with exactly `env`, no --config, in a directory without config.env; resolves once it answers. */
async function serve(args: string[], env: Record<string, string>, cwd: string): Promise<string> {
  const port = await freePort();
  const child = startCli(['serve', '--listen', `127.0.0.1:${port}`, ...args], env, { cwd, config: null });
  started.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/health`).catch(() => null)) !== null, 30_000, `serve ${args.join(' ')} (${stderr})`);
  return base;
}

async function get(base: string, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('serve --journal', () => {
  let dir: string;
  let env: Record<string, string>;
  let journal: string;
  let influx: Record<string, string>;

  beforeAll(async () => {
    dir = tempDir('serve-journal');
    journal = join(dir, 'journal');
    mkdirSync(journal);
    const shift = BigInt(Date.now() - 3_600_000) * 1000n - isoToUs('2025-07-23T00:10:03.510000Z');
    await writeJournal(journal, seedJournalEntries(shift));
    await writeScenarioModelsDir(join(dir, 'models'));
    env = { OLLAMA_MODELS_DIR: join(dir, 'models'), HOST_TAG: SEED_HOST, JOURNAL_DIR: journal };
    const target = await freshBucket('serve-journal');
    influx = {
      ...env,
      INFLUXDB_URL: target.url,
      INFLUXDB_TOKEN: target.token,
      INFLUXDB_ORG: target.org,
      INFLUXDB_BUCKET: target.bucket,
      STATE_DIR: join(dir, 'state'),
      INITIAL_LOOKBACK: 'all',
      LOG_LEVEL: 'warn',
    };
  });

  afterAll(() => {
    for (const child of started) child.kill('SIGTERM');
  });

  it('answers the read API from the journal with the figures read by hand, and InfluxDB agrees after once', async () => {
    const fromJournal = await serve(['--journal'], env, dir);
    const health = await get(fromJournal, '/health');
    expect([health.status, JSON.parse(health.body).status]).toEqual([200, 'ok']);

    const current = JSON.parse((await get(fromJournal, '/api/stats/current?window=24h')).body);
    // The journal's 11 [GIN] lines: one 500; latencies 18.133557 s, 5.062093353 s, 1.203 ms, 528.425 ms,
    // 10.390738 s, 33.182823 s, 802.311 µs, 16.608743461 s, 2.5 s, 36.1 µs, 3.6 s.
    const latencies = [18133.557, 5062.093353, 1.203, 528.425, 10390.738, 33182.823, 0.802311, 16608.743461, 2500, 0.0361, 3600];
    expect(current).toMatchObject({ host: SEED_HOST, total_requests: 11, total_errors: 1, models_in_use: [], total_tokens: null });
    expect(current.avg_latency_ms).toBeCloseTo(latencies.reduce((a, b) => a + b) / 11, 3);

    const models = JSON.parse((await get(fromJournal, '/api/models?window=24h')).body).models;
    // gemma3:12b served two chats in each of its sessions; phi4's chat had two loaded candidates;
    // /api/tags, /api/show and /api/version reach no model; qwen3's failed load answered the 500.
    expect(models.map((m: { model: string | null; requests: number; errors: number }) => [m.model, m.requests, m.errors])).toEqual([
      ['gemma3:12b', 4, 0],
      ['gemma3:1b', 2, 0],
      ['qwen3:8b', 1, 1],
      [null, 4, 0],
    ]);

    const page = await get(fromJournal, '/timeline?start=-24h');
    expect(page.status).toBe(200);
    for (const lane of ['gemma3:12b (ctx: 2048)', 'gemma3:1b (ctx: 8192)', 'phi4:latest (ctx: 2048)', 'gemma3:12b (ctx: 8192)', 'qwen3:8b (ctx: 8192)']) {
      expect(page.body).toContain(lane);
    }

    expect((await runCli(['once', '--json'], influx, { cwd: dir, config: null })).code).toBe(0);
    const fromInflux = await serve([], influx, dir);
    const same = async (path: string, pick: (body: Record<string, unknown>) => unknown) => {
      const [a, b] = await Promise.all([get(fromJournal, path), get(fromInflux, path)]);
      expect(pick(JSON.parse(a.body)), path).toEqual(pick(JSON.parse(b.body)));
    };
    const withoutRange = ({ start: _start, stop: _stop, ...rest }: Record<string, unknown>) => rest;
    await same('/api/stats/current?window=24h', ({ start: _start, stop: _stop, uptime_seconds: _uptime, ...rest }) => rest);
    // Asked a few ms apart: the uptimes differ, when the server started (stop − uptime) does not.
    const started = async (base: string) => {
      const body = JSON.parse((await get(base, '/api/stats/current?window=24h')).body) as { stop: string; uptime_seconds: number };
      return Date.parse(body.stop) - body.uptime_seconds * 1000;
    };
    expect(Math.abs((await started(fromJournal)) - (await started(fromInflux)))).toBeLessThanOrEqual(2);
    await same('/api/models?window=24h', withoutRange);
    await same('/api/stats/history?window=24h&step=1h', (body) =>
      (body['points'] as { requests: number; avg_latency_ms: number | null }[]).map((p) => [p.requests, p.avg_latency_ms]).filter(([n]) => n !== 0),
    );
    const timeline = '/api/timeline?start=-24h&stop=now';
    await same(timeline, (body) => (body['sessions'] as { model: string; end_reason: string }[]).map((s) => [s.model, s.end_reason]));
  });

  it('serves another host\'s figures as empty: the journal is this host\'s only', async () => {
    const base = await serve(['--journal'], env, dir);
    const current = JSON.parse((await get(base, '/api/stats/current?window=24h&host=another-box')).body);
    expect(current).toMatchObject({ host: 'another-box', total_requests: 0, uptime_seconds: null });
  });
});
