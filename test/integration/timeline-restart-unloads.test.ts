// Issue 9, item 6: a server restart ends every loaded session at the same instant. Each session's
// unload bar must be its own `ollama_timeline` point (the key carries the session), or the second
// overwrites the first in InfluxDB.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshBucket, queryRows } from '../support/influx.js';
import { tempDir, writeJournal } from '../support/journal.js';
import { SCENARIO_LINES, SHA, scenarioEnv, writeScenarioModelsDir } from '../support/timeline-scenario.js';
import { runCli } from '../support/cli.js';

/** A real line of the scenario (slog/gin text as Ollama writes it), found by what it says. */
function line(...parts: string[]): string {
  const found = SCENARIO_LINES.find(([, message]) => parts.every((part) => message.includes(part)));
  if (found === undefined) throw new Error(`no scenario line with ${parts.join(' + ')}`);
  return found[1];
}

describe('ollama_timeline across a server restart', () => {
  it('keeps one unload bar per session when a restart ends two sessions at once', async () => {
    const target = await freshBucket('restart-unloads');
    const dir = tempDir('restart-unloads');
    const t0 = BigInt(Date.parse('2025-07-22T23:20:00Z')) * 1000n;
    const s = (seconds: number) => t0 + BigInt(seconds) * 1_000_000n;
    // Process 1 (keep-alive 5m, two models at once): gemma3:1b loads, then phi4 beside it; 3 minutes
    // later, with both still within keep-alive, process 2 starts.
    await writeJournal(dir, [
      { message: line('server config', 'OLLAMA_KEEP_ALIVE:5m0s'), realtimeUs: s(0), pid: 35304 },
      { message: line('version 0.6.2'), realtimeUs: s(0) + 10_000n, pid: 35304 },
      { message: line('starting llama server', SHA.gemma1b), realtimeUs: s(60), pid: 35304 },
      { message: line('llama runner started in 0.75 seconds'), realtimeUs: s(61), pid: 35304 },
      { message: line('starting llama server', SHA.phi4, '--ctx-size 2048'), realtimeUs: s(120), pid: 35304 },
      { message: line('llama runner started in 8.02 seconds'), realtimeUs: s(128), pid: 35304 },
      { message: line('server config', 'OLLAMA_KEEP_ALIVE:10m0s'), realtimeUs: s(180), pid: 51800 },
      { message: line('version 0.12.3'), realtimeUs: s(180) + 100_000n, pid: 51800 },
    ]);
    await writeScenarioModelsDir(join(dir, 'models'));
    const env = scenarioEnv(target, dir);
    const once = await runCli(['once', '--json'], env, { cwd: dir });
    expect(once.code, once.stderr).toBe(0);
    const write = await runCli(['timeline', '--write', '--start', '2025-07-22T23:00:00Z', '--stop', '2025-07-23T00:00:00Z'], env, { cwd: dir });
    expect(write.code, write.stderr).toBe(0);

    const rows = await queryRows(
      target,
      `from(bucket: "${target.bucket}") |> range(start: 2025-07-22T00:00:00Z, stop: 2025-07-24T00:00:00Z)
        |> filter(fn: (r) => r._measurement == "ollama_timeline" and r._field == "series") |> group()`,
    );
    // Hand count: 2 sessions × (lifecycle + loading + unload + the stretch its inferred end is
    // uncertain in) = 8 bars; no requests, no warnings.
    expect(rows).toHaveLength(8);
    const unloads = rows.filter((r) => r['kind'] === 'model_unload');
    expect(unloads.map((r) => r['_value']).sort()).toEqual(['gemma3:1b (ctx: 8192)', 'phi4:latest (ctx: 2048)']);
    // Both at the restart: the `Listening on … (version 0.12.3)` entry, 180.1 s after t0.
    expect(new Set(unloads.map((r) => r['_time']))).toEqual(new Set(['2025-07-22T23:23:00.1Z']));
  });
});
