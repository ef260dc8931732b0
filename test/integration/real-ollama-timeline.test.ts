// The timeline of journals written by real Ollama servers (test/fixtures/real-ollama, captured by
// test/e2e/real-ollama.sh under systemd), checked against ground truth from outside the logs: the
// runner processes seen in /proc and the client's own requests. Each capture goes the product's way:
// journal file → `once` → InfluxDB → `timeline --format json`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshBucket } from '../support/influx.js';
import { tempDir } from '../support/journal.js';
import { captures, compareWithTruth, type JsonTimeline, writeCaptureJournal, writeCaptureModels } from '../support/real-ollama.js';
import { runCli } from '../support/cli.js';

const all = captures();

describe('timeline vs a real Ollama server', () => {
  it('has captures to check', () => {
    expect(all.map((c) => c.name).length).toBeGreaterThanOrEqual(1);
  });

  for (const capture of all) {
    it(`${capture.name}: one session per runner, ends within tolerance or bounds, every served request on its model`, async () => {
      const target = await freshBucket('real');
      const dir = tempDir('real');
      writeCaptureJournal(capture, dir);
      writeCaptureModels(capture, join(dir, 'models'));
      const env = {
        INFLUXDB_URL: target.url,
        INFLUXDB_TOKEN: target.token,
        INFLUXDB_ORG: target.org,
        INFLUXDB_BUCKET: target.bucket,
        HOST_TAG: 'real-ollama',
        JOURNAL_DIR: dir,
        STATE_DIR: join(dir, 'state'),
        INITIAL_LOOKBACK: 'all',
        OLLAMA_MODELS_DIR: join(dir, 'models'),
      };
      const once = await runCli(['once', '--json'], env, { cwd: dir });
      expect(once.code, once.stderr).toBe(0);
      const range = ['--start', new Date(capture.truth.started - 60_000).toISOString(), '--stop', new Date(capture.truth.finished + 60_000).toISOString()];
      const run = await runCli(['timeline', ...range, '--format', 'json'], env, { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      const figures = compareWithTruth(capture.truth, JSON.parse(run.stdout) as JsonTimeline);
      console.log(
        `${capture.name}: sessions matched ${figures.sessionsMatched}/${figures.loads} loads (${figures.sessions} sessions), ` +
          `ends right ${figures.endsRight}/${figures.ends}, requests attributed ${figures.attributed}/${figures.served} served`,
      );
      expect(figures.problems).toEqual([]);
      expect(figures.sessionsMatched).toBe(figures.loads);
      expect(figures.sessions).toBe(figures.loads);
    }, 120_000);

    it(`${capture.name}: inventory names and sizes are what that server's ollama list gave`, async () => {
      const dir = tempDir('real-inventory');
      writeCaptureModels(capture, join(dir, 'models'));
      const run = await runCli(['inventory', '--models-dir', join(dir, 'models'), '--json'], {}, { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      const rows = JSON.parse(run.stdout) as { model_name: string; size: number; model_size: number }[];
      // /api/tags is what `ollama list` prints (its SIZE column is this number in decimal units).
      const listed = capture.truth.tags!.models.map((m) => [m.name, m.size]).sort();
      expect(rows.map((r) => [r.model_name, r.size]).sort()).toEqual(listed);
      const printed = readFileSync(join(capture.dir, 'ollama-list.txt'), 'utf8').split('\n').slice(1).map((l) => l.split(/\s+/)[0]).filter(Boolean);
      expect(rows.map((r) => r.model_name).sort()).toEqual(printed.sort());
      for (const row of rows) expect(row.model_size).toBeLessThan(row.size);
    });
  }
});
