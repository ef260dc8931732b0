// The daemon keeps the lifecycle timeline stored for Grafana: shortly after it ships a model
// session, `ollama_timeline` holds its bars.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, collect, startCli } from '../support/cli.js';
import { freshBucket, queryRows, waitFor } from '../support/influx.js';
import { tempDir, writeJournal } from '../support/journal.js';
import { EVENING_LINES } from '../support/seed-evening.js';
import { writeScenarioModelsDir } from '../support/timeline-scenario.js';

describe('daemon timeline', () => {
  it('stores ollama_timeline bars for the sessions it shipped', async () => {
    const target = await freshBucket('daemon-timeline');
    const dir = tempDir('daemon-timeline');
    // The seed's evening, moved to end ten minutes ago.
    const shiftMs = Date.now() - 600_000 - Date.parse(EVENING_LINES.at(-1)![0]);
    await writeJournal(dir, EVENING_LINES.map(([iso, message]) => ({ message, realtimeUs: BigInt(Date.parse(iso) + shiftMs) * 1000n })));
    await writeScenarioModelsDir(join(dir, 'models'));
    const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: join(dir, 'state'), OLLAMA_MODELS_DIR: join(dir, 'models'), POLL_INTERVAL: '500ms' });
    const daemon = startCli(['run'], env);
    const exited = collect(daemon, 60_000);
    const lanes = async () =>
      (await queryRows(target, `from(bucket: "${target.bucket}") |> range(start: -1d) |> filter(fn: (r) => r._measurement == "ollama_timeline" and r._field == "series") |> group()`))
        .map((row) => String(row['_value']));
    try {
      // The first timeline run may come before the first batch is queryable; the daemon retries each minute.
      await waitFor(async () => (await lanes()).some((lane) => lane.startsWith('phi4:latest')), 75_000, 'timeline bars');
    } finally {
      daemon.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
    const stored = await lanes();
    expect(stored).toContain('gemma3:12b (ctx: 2048)');
    expect(stored).toContain('phi4:latest (ctx: 8192)');
  }, 120_000);
});
