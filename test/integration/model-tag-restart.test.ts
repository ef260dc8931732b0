// The `model` tag of ollama_requests survives a restart: the journal is shipped by two `once` runs,
// split between phi4's load and the request it served, and every request keeps the model read off the
// lines by hand (test/support/monitoring-scenario.ts) — the second process rebuilt the lifecycle from
// what InfluxDB held.

import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freshBucket, queryRows } from '../support/influx.js';
import { tempDir, writeJournal } from '../support/journal.js';
import { SCENARIO_REQUESTS } from '../support/monitoring-scenario.js';
import { isoToMs, scenarioEnv, scenarioJournalEntries, writeScenarioModelsDir } from '../support/timeline-scenario.js';
import { runCli } from '../support/cli.js';

it('keeps every request\'s model tag when the shipper restarts between a load and its request', async () => {
  const target = await freshBucket('restart');
  const dir = tempDir('restart');
  await writeScenarioModelsDir(join(dir, 'models'));
  const env = scenarioEnv(target, dir);
  const entries = scenarioJournalEntries();
  const split = entries.findIndex((e) => Number(e.realtimeUs) / 1000 >= isoToMs('2025-07-23T00:52:15Z'));
  await writeJournal(dir, entries.slice(0, split));
  expect((await runCli(['once'], env, { cwd: dir })).code).toBe(0);
  await writeJournal(dir, entries.slice(split));
  const second = await runCli(['once', '--json'], env, { cwd: dir });
  expect(second.code, second.stderr).toBe(0);
  expect(JSON.parse(second.stdout)).toMatchObject({ read: entries.length - split });

  const rows = await queryRows(
    target,
    `from(bucket: "${target.bucket}") |> range(start: 2025-07-22T00:00:00Z, stop: 2025-07-24T00:00:00Z)
      |> filter(fn: (r) => r._measurement == "ollama_requests" and r._field == "latency_ms")
      |> group() |> sort(columns: ["_time"])`,
  );
  expect(rows.map((r) => (r['model'] as string | undefined) || null)).toEqual(SCENARIO_REQUESTS.map(([, , , model]) => model));
});
