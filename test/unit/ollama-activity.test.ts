// What the daemon counts from Ollama's lines: each journal entry once, even when the shipper re-reads
// the entries after its checkpoint (a failed write), and a re-read request keeps its `model` tag.

import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/ollama/parse/index.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { methodLabel, pathLabel, statusLabel } from '../../src/telemetry/labels.js';
import { cursorPosition } from '../../src/journal/entry.js';
import { OllamaActivity } from '../../src/telemetry/ollama-activity.js';
import { Stats } from '../../src/telemetry/stats.js';
import { isoToMs, SCENARIO_LINES, scenarioInventory } from '../support/timeline-scenario.js';

const BOOT = 'b=6b2e2ef4a1d94b0ca39a6e9b1e9a8f5d;m=1a2b;t=61e2c3d4e5f60;x=9f8e7d6c5b4a3921';
const cursor = (seq: number) => `s=2f5a0e0c8c7e4c4b9b9f7d2a1e3c5b7d;i=${seq.toString(16)};${BOOT}`;

function run(activity: OllamaActivity, from: number, to: number): string[] {
  const ordered = [...SCENARIO_LINES].sort((a, b) => isoToMs(a[0]) - isoToMs(b[0]));
  const models: string[] = [];
  for (let i = from; i < to; i++) {
    const [iso, message] = ordered[i]!;
    const parsed = parseMessage(message);
    if (parsed.kind === 'unknown') continue;
    const model = activity.line(parsed, { ...cursorPosition(cursor(1000 + i))!, message, timeMs: isoToMs(iso) });
    if (parsed.kind === 'request') models.push(model);
  }
  return models;
}

describe('OllamaActivity', () => {
  it('counts each entry once and gives a re-read request the model it had', async () => {
    const inventory = scenarioInventory();
    const metrics = createMetrics(new Stats(), () => new Map());
    const activity = new OllamaActivity(metrics.ollama, () => inventory, (sha) => inventory.get(sha)?.[0] ?? null);
    const first = run(activity, 0, 30);
    // A write failed: the shipper reads again from entry 20 (its checkpoint), then on to the end.
    const again = run(activity, 20, SCENARIO_LINES.length);
    // Entries 20–29 were seen already: their requests come back with the same model.
    const requestsBefore20 = [...SCENARIO_LINES].sort((a, b) => isoToMs(a[0]) - isoToMs(b[0])).slice(0, 20).filter(([, m]) => m.startsWith('[GIN]')).length;
    expect(again.slice(0, first.length - requestsBefore20)).toEqual(first.slice(requestsBefore20));
    expect(first.slice(requestsBefore20)).toContain('phi4:latest');
    const total = (await metrics.registry.getSingleMetric('ollama_requests_total')!.get()).values.reduce((n, v) => n + v.value, 0);
    expect(total).toBe(16);
    const loads = (await metrics.registry.getSingleMetric('ollama_model_loads_total')!.get()).values.reduce((n, v) => n + v.value, 0);
    expect(loads).toBe(8);
  });

  it('bounds the gpu label of ollama_vram_available_bytes: at most 16 ids, then "other"', async () => {
    const metrics = createMetrics(new Stats(), () => new Map());
    const activity = new OllamaActivity(metrics.ollama, () => new Map(), () => null);
    for (let i = 0; i < 40; i++) {
      const message = `time=2025-07-23T00:00:00.000Z level=INFO source=sched.go:509 msg="updated VRAM based on existing loaded models" gpu=GPU-${i} library=cuda total="11.8 GiB" available="1.0 GiB"`;
      activity.line(parseMessage(message), { ...cursorPosition(cursor(5000 + i))!, message, timeMs: 1_753_228_800_000 + i });
    }
    const labels = (await metrics.registry.getSingleMetric('ollama_vram_available_bytes')!.get()).values.map((v) => v.labels['gpu']);
    expect(labels).toHaveLength(17);
    expect(labels).toContain('other');
  });

  it('reads the sequence number of a journald cursor', () => {
    expect(cursorPosition(cursor(0xabc))).toEqual({ seqnumId: '2f5a0e0c8c7e4c4b9b9f7d2a1e3c5b7d', seqnum: 0xabc });
    expect(cursorPosition('not a cursor')).toBeNull();
  });
});

describe('bounded labels', () => {
  it('keeps Ollama\'s endpoints and folds everything else into "other"', () => {
    expect(['/api/chat', '/api/show?x=1', '/api/blobs/sha256:abc', '/v1/models/llama3', '/api/x?q="a|b"é', '/../../etc/passwd', ''].map(pathLabel)).toEqual([
      '/api/chat',
      '/api/show',
      '/api/blobs',
      '/v1/models',
      'other',
      'other',
      'other',
    ]);
    expect(['POST', 'HEAD', 'BREW', ''].map(methodLabel)).toEqual(['POST', 'HEAD', 'other', 'other']);
    expect([200, 599, 600, 42, 200.5].map(statusLabel)).toEqual(['200', '599', 'other', 'other', 'other']);
  });
});
