// The incremental lifecycle tracker the daemon runs line by line: which model served each request as it
// arrives. Expected models are worked out by hand from the scenario's comments (test/support/timeline-scenario.ts).

import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/ollama/parse/index.js';
import { timelineRecord } from '../../src/ollama/lifecycle/from-parsed.js';
import { LifecycleTracker } from '../../src/ollama/lifecycle/tracker.js';
import { isoToMs, SCENARIO_LINES, scenarioInventory } from '../support/timeline-scenario.js';

function replay(lines: readonly (readonly [string, string, ...unknown[]])[]): { tracker: LifecycleTracker; served: [string, string][] } {
  const inventory = scenarioInventory();
  const tracker = new LifecycleTracker(() => inventory);
  const served: [string, string][] = [];
  const ordered = [...lines].sort((a, b) => isoToMs(a[0]) - isoToMs(b[0]));
  for (const [iso, message] of ordered) {
    const record = timelineRecord(parseMessage(message), message, isoToMs(iso), (sha) => inventory.get(sha)?.[0] ?? null);
    if (record === null) continue;
    if ('request' in record) served.push([iso, tracker.addRequest(record.request)]);
    else tracker.addEvent(record.event);
  }
  return { tracker, served };
}

describe('LifecycleTracker on the scenario journal, line by line', () => {
  const { tracker, served } = replay(SCENARIO_LINES);

  it('names the model only when exactly one loaded model can have served the request', () => {
    expect(served).toEqual([
      ['2025-07-22T23:21:00.000Z', ''], // HEAD /: never reaches a model
      ['2025-07-22T23:21:30.000Z', ''], // 404 before any load
      ['2025-07-22T23:26:41.533557Z', 'gemma3:12b'],
      ['2025-07-22T23:26:42.564446Z', 'gemma3:12b'],
      ['2025-07-22T23:26:50.000Z', ''], // GET /api/tags
      ['2025-07-22T23:27:25.671126Z', 'gemma3:1b'],
      ['2025-07-22T23:27:34.994052Z', 'gemma3:1b'], // began under 12b, which left memory before it ended
      ['2025-07-22T23:28:30.100Z', ''], // gemma3:1b and phi4 both loaded
      ['2025-07-22T23:29:21.458032Z', ''],
      ['2025-07-23T00:32:10.000Z', 'phi4:latest'],
      ['2025-07-23T00:33:00.000Z', 'phi4:latest'],
      ['2025-07-23T00:40:10.000Z', 'qwen3:8b'], // first of its names in sorted order
      ['2025-07-23T00:45:04.010Z', ''], // the failed gemma3:12b load's 500, or qwen3's
      ['2025-07-23T00:47:00.000Z', 'qwen3:8b'],
      ['2025-07-23T00:50:05.000Z', 'gemma3:1b'],
      ['2025-07-23T00:52:20.000Z', 'phi4:latest'], // loaded right after the unnamed eviction of gemma3:1b
    ]);
  });

  it('knows which models are loaded at a moment', () => {
    expect(tracker.loadedModels(isoToMs('2025-07-23T00:52:30Z'))).toEqual(['phi4:latest']);
    // phi4 (H) loaded at 00:52:06, last request ended 00:52:20, keep-alive 10m0s: gone after 01:02:20.
    expect(tracker.loadedModels(isoToMs('2025-07-23T01:02:19Z'))).toEqual(['phi4:latest']);
    expect(tracker.loadedModels(isoToMs('2025-07-23T01:02:21Z'))).toEqual([]);
  });

  it('forgets sessions that ended long ago but keeps a long-lived one and its keep-alive', () => {
    const iso = (h: number) => new Date(Date.parse('2025-07-24T00:00:00Z') + h * 3_600_000).toISOString();
    const slog = (at: string, msg: string, attrs = '') => [at, `time=${at} level=INFO source=x.go:1 msg="${msg}"${attrs ? ` ${attrs}` : ''}`] as const;
    const gin = (at: string) => [at, `[GIN] 2025/07/24 - 00:00:00 | 200 |      1.5s |  10.0.0.1 | POST     "/api/chat"`] as const;
    const blob = '/usr/share/ollama/.ollama/models/blobs/sha256-801dcad02f38c48984c325de964ab7c9213d4c51f101cd2f6aeacff576868987';
    const lines = [
      slog(iso(0), 'server config', 'env="map[OLLAMA_KEEP_ALIVE:-1 OLLAMA_MODELS:/m]"'),
      slog(iso(0.1), 'starting llama server', `cmd="/usr/local/bin/ollama runner --model ${blob} --ctx-size 4096 --batch-size 512 --n-gpu-layers 33 --parallel 1 --port 4000"`),
      slog(iso(0.2), 'llama runner started in 2.00 seconds'),
      // Requests every 30 minutes for two days: the session never expires (keep-alive -1).
      ...Array.from({ length: 96 }, (_, i) => gin(iso(1 + i / 2))),
    ];
    const { tracker: longLived, served: all } = replay(lines);
    expect(new Set(all.map(([, model]) => model))).toEqual(new Set(['qwen3:8b']));
    expect(longLived.loadedModels(Date.parse(iso(500)))).toEqual(['qwen3:8b']);
  });
});
