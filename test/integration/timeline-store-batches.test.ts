// Storing a busy range's timeline: the bars go out a batch at a time through one reused batch (not all
// lines at once), and every bar arrives once. Counted on the real InfluxDB against numbers that follow
// from the input alone: one session, 12,345 inference requests, none of them elsewhere.

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_LINES } from '../../src/influx/line-batch.js';
import { Sink } from '../../src/influx/sink.js';
import { createWriteClient } from '../../src/influx/write-client.js';
import { buildTimeline } from '../../src/ollama/lifecycle/build.js';
import { RequestColumns } from '../../src/ollama/lifecycle/request-columns.js';
import type { TimelineEvent } from '../../src/ollama/lifecycle/types.js';
import { writeSpans } from '../../src/store/write-spans.js';
import { Stats } from '../../src/telemetry/stats.js';
import { freshBucket, queryRows } from '../support/influx.js';

const SHA = 'e8ad13eff07a78d89926e9e8b882317d082ef5bf9768ad7b50fcdbbcd63748de';
const REQUESTS = 12_345;

describe('storing a timeline of many requests', () => {
  it('writes every bar once, in batches of at most MAX_BATCH_LINES', async () => {
    const target = await freshBucket('timeline-batches');
    const stats = new Stats();
    const sink = new Sink(createWriteClient(target), { logger: pino({ level: 'silent' }), stats, signal: new AbortController().signal, maxAttempts: 3 });
    const t0 = Date.now() - 3_600_000;
    const requests = new RequestColumns();
    // One request every 200 ms, each 50 ms long: all within the session, none overlapping.
    for (let i = 0; i < REQUESTS; i++) requests.push({ end: t0 + 10_000 + i * 200, latencyMs: 50, method: 'POST', path: '/api/chat', status: 200 });
    const events: TimelineEvent[] = [
      { time: t0, kind: 'server_start', message: 'Listening on 127.0.0.1:11434 (version 0.9.6)', fields: {} },
      { time: t0 + 1_000, kind: 'model_load_start', message: 'starting llama server', fields: { sha256: SHA, ctx_size: 8192 } },
      { time: t0 + 6_000, kind: 'model_loaded', message: 'llama runner started in 5.00 seconds', fields: { load_seconds: 5 } },
    ];
    const timeline = buildTimeline({ events, requests, inventory: new Map([[SHA, ['gemma3:12b']]]) }, { host: 'batches-host', start: t0, stop: t0 + 2_600_000 });

    const written = await writeSpans(sink, timeline);

    const count = async (kind: string) => {
      const rows = await queryRows(
        target,
        `from(bucket: "${target.bucket}") |> range(start: -1d) |> filter(fn: (r) => r._measurement == "ollama_timeline" and r._field == "series" and r.kind == "${kind}") |> group() |> count()`,
      );
      return rows.length === 0 ? 0 : Number(rows[0]!['_value']);
    };
    expect(await count('api_request')).toBe(REQUESTS);
    expect(await count('model_lifecycle')).toBe(1);
    expect(await count('model_loading')).toBe(1);
    // The session is still open at `stop`: its last request ended at t0 + 2,478.8 s, and the default
    // 5 min keep-alive runs to t0 + 2,778.8 s. No unload bar, so 12,347 points, in three write requests
    // (5000 + 5000 + 2347 lines).
    expect(await count('model_unload')).toBe(0);
    expect(MAX_BATCH_LINES).toBe(5000);
    expect(written).toBe(REQUESTS + 2);
    expect(stats.points_written_total).toBe(REQUESTS + 2);
    expect(stats.batches_written_total).toBe(3);
  }, 60_000);
});
