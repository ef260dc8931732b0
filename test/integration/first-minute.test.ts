// The first minute on an Ollama host: `timeline --journal` and `parse --journal` read the local journal
// with no InfluxDB and no config file. The expectation below was worked out by hand from the journal
// (test/support/seed-journal.ts) with the rules in the README; then the same journal is shipped by
// `once` into the real InfluxDB and the InfluxDB source must print byte for byte the same timeline.

import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromium } from '../support/chromium.js';
import { type CliResult, runCli } from '../support/cli.js';
import { freshBucket } from '../support/influx.js';
import { tempDir, writeJournal } from '../support/journal.js';
import { type Image, decodePng } from '../support/png.js';
import { SEED_ENTRY_COUNT, SEED_HOST, SEED_START, SEED_STOP, seedJournalEntries } from '../support/seed-journal.js';
import { writeScenarioModelsDir } from '../support/timeline-scenario.js';

/** The CLI with exactly `env` (no INFLUXDB_* unless given) in a directory without config.env, no --config. */
const run = (args: string[], env: Record<string, string>, cwd: string) => runCli(args, env, { cwd, config: null });

const RANGE = ['--start', SEED_START, '--stop', SEED_STOP];
const SCREENSHOT = resolve('test-output/first-minute.png');
const DOCS_SCREENSHOT = resolve('docs/timeline.png');
const STRIPE = [246, 247, 249];

/** The odd lanes' striped background at the page's left edge: one run of rows per pair of lanes. */
function stripes(image: Image): number {
  let count = 0;
  let inside = false;
  for (let y = 0; y < image.height; y++) {
    const [r, g, b] = image.rgb(2, y);
    const striped = r === STRIPE[0] && g === STRIPE[1] && b === STRIPE[2];
    if (striped && !inside) count++;
    inside = striped;
  }
  return count;
}

describe('timeline --journal: the first minute, no database', () => {
  let dir: string;
  let journalDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = tempDir('first-minute');
    journalDir = join(dir, 'journal');
    mkdirSync(journalDir);
    await writeJournal(journalDir, seedJournalEntries());
    await writeScenarioModelsDir(join(dir, 'models'));
    env = { OLLAMA_MODELS_DIR: join(dir, 'models'), HOST_TAG: SEED_HOST };
  });

  it('needs no InfluxDB and no config; sessions, model names and request counts as read by hand', async () => {
    const out = await run(['timeline', '--journal', '--journal-dir', journalDir, ...RANGE], env, dir);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const timeline = JSON.parse(out.stdout);
    type S = { model: string; aliases: string[]; ctx_size: number; start: string; loaded: string | null; end: string; end_reason: string; end_exact: boolean; requests: { start: string; end: string; status: number }[]; warnings: { kind: string }[] };
    expect(
      timeline.sessions.map((s: S) => [s.model, s.aliases, s.ctx_size, s.start, s.loaded, s.end, s.end_reason, s.end_exact, s.requests.length, s.warnings.map((w) => w.kind)]),
    ).toEqual([
      // 23:27:19.919 − 5.544823418 s is the earliest of the three VRAM timeouts' unload times.
      ['gemma3:12b', [], 2048, '2025-07-22T23:26:23.639Z', '2025-07-22T23:26:29.159Z', '2025-07-22T23:27:14.374177Z', 'vram_timeout', true, 2, ['prompt_truncated', 'vram_timeout', 'vram_timeout', 'vram_timeout']],
      // Both still loaded when phi4's chat ran, so it restarted both timers: 23:29:21.458032 + 5m.
      ['gemma3:1b', [], 8192, '2025-07-22T23:27:19.689Z', '2025-07-22T23:27:20.440Z', '2025-07-22T23:34:21.458032Z', 'keep_alive', false, 2, []],
      ['phi4:latest', [], 2048, '2025-07-22T23:28:15.313Z', '2025-07-22T23:28:23.333Z', '2025-07-22T23:34:21.458032Z', 'keep_alive', false, 0, []],
      // After the restart OLLAMA_KEEP_ALIVE is 10m: 23:52:00 + 10m.
      ['gemma3:12b', [], 8192, '2025-07-22T23:50:00.000Z', '2025-07-22T23:50:04.260Z', '2025-07-23T00:02:00.000Z', 'keep_alive', false, 2, ['prompt_truncated']],
      ['qwen3:8b', ['qwen3:latest'], 8192, '2025-07-23T00:10:00.000Z', null, '2025-07-23T00:10:03.500Z', 'load_error', true, 1, ['load_error']],
    ]);
    // 41.533557 − 18.133557 s and 42.564446 − 5.062093353 s; /api/tags is no inference request.
    expect(timeline.sessions[0].requests.map((r: { start: string }) => r.start)).toEqual(['2025-07-22T23:26:23.400Z', '2025-07-22T23:26:37.502353Z']);
    expect(timeline.sessions[4].requests[0]).toMatchObject({ start: '2025-07-23T00:09:59.910Z', status: 500 });
    expect(timeline.unattributed_requests).toEqual([
      { start: '2025-07-22T23:28:48.275209Z', end: '2025-07-22T23:29:21.458032Z', method: 'POST', path: '/api/chat', status: 200, latency_ms: 33182.823, candidates: ['gemma3:1b', 'phi4:latest'] },
    ]);
    expect(timeline.unattributed_warnings).toEqual([]);
    expect(timeline.host).toBe(SEED_HOST);
  });

  it('says once that the models dir cannot be read, and names lanes by sha256 prefix', async () => {
    const out = await run(['timeline', '--journal', '--journal-dir', journalDir, ...RANGE, '--format', 'csv'], { ...env, OLLAMA_MODELS_DIR: join(dir, 'no-models') }, dir);
    expect(out.code).toBe(0);
    expect(out.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ollama-influx: warning: models dir .*no-models does not exist .*sha256-<first 12 hex>/)]);
    expect(out.stdout).toContain('sha256-adca500fad9b (ctx: 2048),background');
    expect(out.stdout).toContain('sha256-801dcad02f38 (ctx: 8192),background');
    expect(out.stdout).not.toContain('gemma3');
  });

  it('parse --journal prints every entry journalctl -u returns, systemd\'s own lines included', async () => {
    const out = await run(['parse', '--journal', '--journal-dir', journalDir], env, dir);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; pid: string; time: string });
    expect(lines).toHaveLength(SEED_ENTRY_COUNT);
    const count = (kind: string) => lines.filter((l) => l.kind === kind).length;
    // Counted in the journal: 11 [GIN] lines, 5 loads, 2 starts, 6 lines of systemd (PID 1).
    expect([count('request'), count('model_load_start'), count('server_start'), count('load_error')]).toEqual([11, 5, 2, 1]);
    expect(lines.filter((l) => l.pid === '1').map((l) => l.kind)).toEqual(['service_start', ...Array(4).fill('server_stop'), 'service_start']);
    expect(lines[0]!.time).toBe('2025-07-22T23:20:00.000000Z');
  });

  it('refuses options that do not go together, naming them (then the usage)', async () => {
    const first = (r: CliResult) => [r.code, r.stderr.split('\n')[0]];
    expect(first(await run(['timeline', '--journal', '--write'], env, dir))).toEqual([1, 'error: --write stores the bars in InfluxDB: not with --journal']);
    expect(first(await run(['timeline', '--journal-dir', journalDir], env, dir))).toEqual([1, 'error: --journal-dir and --unit go with --journal']);
    const unit = await run(['timeline', '--journal', '--unit', '-x'], env, dir);
    expect(unit.code).toBe(1);
  });

  it('the InfluxDB source prints the same timeline once `once` shipped the journal (json, csv, html)', async () => {
    const target = await freshBucket('first-minute');
    const influx = {
      ...env,
      INFLUXDB_URL: target.url,
      INFLUXDB_TOKEN: target.token,
      INFLUXDB_ORG: target.org,
      INFLUXDB_BUCKET: target.bucket,
      JOURNAL_DIR: journalDir,
      STATE_DIR: join(dir, 'state'),
      INITIAL_LOOKBACK: 'all',
    };
    const once = await run(['once', '--json'], influx, dir);
    expect(once.code, once.stderr).toBe(0);
    expect(JSON.parse(once.stdout)).toMatchObject({ read: SEED_ENTRY_COUNT, skipped: 0 });
    for (const format of ['json', 'csv']) {
      const fromJournal = await run(['timeline', '--journal', '--journal-dir', journalDir, ...RANGE, '--format', format], env, dir);
      const fromInflux = await run(['timeline', ...RANGE, '--format', format], influx, dir);
      expect(fromInflux.stderr).toBe('');
      expect(fromInflux.stdout.length).toBeGreaterThan(1000);
      expect(fromJournal.stdout, format).toBe(fromInflux.stdout);
    }
    await run(['timeline', '--journal', '--journal-dir', journalDir, ...RANGE, '--format', 'html', '--out', 'journal.html'], env, dir);
    await run(['timeline', ...RANGE, '--format', 'html', '--out', 'influx.html'], influx, dir);
    expect(readFileSync(join(dir, 'journal.html'), 'utf8')).toBe(readFileSync(join(dir, 'influx.html'), 'utf8'));
    // A range that starts inside the second process: its sessions and config come from the context.
    const late = ['--start', '2025-07-22T23:55:00Z', '--stop', SEED_STOP];
    const lateJournal = await run(['timeline', '--journal', '--journal-dir', journalDir, ...late], env, dir);
    const lateInflux = await run(['timeline', ...late], influx, dir);
    expect(JSON.parse(lateJournal.stdout).sessions.map((s: { end: string }) => s.end)).toEqual(['2025-07-23T00:02:00.000Z', '2025-07-23T00:10:03.500Z']);
    expect(lateJournal.stdout).toBe(lateInflux.stdout);
  });

  it('draws the page in Chromium: the README\'s screenshot (UPDATE_SCREENSHOT=1 refreshes docs/timeline.png)', async () => {
    mkdirSync(resolve('test-output'), { recursive: true });
    const page = resolve('test-output/first-minute.html');
    const out = await run(['timeline', '--journal', '--journal-dir', journalDir, ...RANGE, '--format', 'html', '--out', page], env, dir);
    expect(out.code).toBe(0);
    chromium(page, '', [`--screenshot=${SCREENSHOT}`]);
    const image = decodePng(readFileSync(SCREENSHOT));
    // Five sessions and the unattributed lane: three striped lanes.
    expect(stripes(image)).toBe(3);
    if (process.env['UPDATE_SCREENSHOT'] === '1') copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
    expect(existsSync(DOCS_SCREENSHOT)).toBe(true);
    const committed = decodePng(readFileSync(DOCS_SCREENSHOT));
    expect([committed.width, committed.height, stripes(committed)]).toEqual([image.width, image.height, 3]);
  });
});
