// Acknowledged points are counted by measurement from what each line noted when it was begun, and read
// from the line itself when it noted nothing (lines the string encoder made, standalone batches).

import { describe, expect, it } from 'vitest';
import { LineBatch } from '../../src/influx/line-batch.js';
import { EVENTS_ID, LOGS_ID, REQUESTS_ID } from '../../src/influx/measurements.js';
import { Stats } from '../../src/telemetry/stats.js';
import { createByteEncoder } from '../../src/pipeline/byte-encoder.js';

/** Lines as [noted id or undefined, text]. */
function batchOf(lines: readonly (readonly [number | undefined, string])[]): LineBatch {
  const batch = new LineBatch();
  for (const [id, text] of lines) {
    batch.beginLine(id);
    batch.utf8(text);
    batch.endLine();
  }
  return batch;
}

function counted(batch: LineBatch, from: number, to: number): Record<string, number> {
  const counts: Record<string, number> = {};
  batch.countByMeasurement(from, to, (measurement, lines) => {
    counts[measurement] = (counts[measurement] ?? 0) + lines;
  });
  return counts;
}

const LINES = [
  [LOGS_ID, 'ollama_logs,host=h message="a" 1'],
  [REQUESTS_ID, 'ollama_requests,host=h,method=GET latency_ms=1 1'],
  [undefined, 'ollama_model_inventory,host=h size=1i 1'],
  [LOGS_ID, 'ollama_logs,host=h message="b" 2'],
  [EVENTS_ID, 'ollama_events,host=h,event=model_loaded message="c" 3'],
  [undefined, 'gpu utilization=5 4'],
  [undefined, 'ollama_logs,host=h message="d" 5'],
] as const;

describe('LineBatch.countByMeasurement', () => {
  it('counts noted lines by their id and reads the measurement of the others from their bytes', () => {
    expect(counted(batchOf(LINES), 0, LINES.length)).toEqual({
      ollama_logs: 3,
      ollama_requests: 1,
      ollama_model_inventory: 1,
      ollama_events: 1,
      gpu: 1,
    });
  });

  it('counts only the lines of the range (a bisected batch is acknowledged in parts)', () => {
    const batch = batchOf(LINES);
    expect(counted(batch, 1, 3)).toEqual({ ollama_requests: 1, ollama_model_inventory: 1 });
    expect(counted(batch, 5, 7)).toEqual({ gpu: 1, ollama_logs: 1 });
    expect(counted(batch, 3, 3)).toEqual({});
  });

  it('a line noted with an id says which measurement it is, as the bytes of every writer do', () => {
    // The ids are the writers' promise; this keeps the table and the names in step.
    const noted = LINES.filter(([id]) => id !== undefined);
    const byBytes = batchOf(noted.map(([, text]) => [undefined, text] as const));
    expect(counted(byBytes, 0, noted.length)).toEqual(counted(batchOf(noted), 0, noted.length));
  });

  it('Stats.countWritten adds a range to the totals', () => {
    const stats = new Stats();
    const batch = batchOf(LINES);
    stats.countWritten(batch, 0, 4);
    stats.countWritten(batch, 4, 7);
    expect(stats.points_written_total).toBe(7);
    expect(stats.points_written_by_measurement).toEqual({ ollama_logs: 3, ollama_requests: 1, ollama_model_inventory: 1, ollama_events: 1, gpu: 1 });
  });

  it('the byte encoder notes the measurement each of its lines has', () => {
    const messages = [
      '[GIN] 2025/07/23 - 21:47:10 | 200 |     450.657µs |      172.17.0.3 | POST    "/api/chat"',
      'time=2025-07-23T21:47:10.396+10:00 level=INFO source=server.go:619 msg="llama runner started in 1.20 seconds"',
      'load_tensors: offloaded 29/29 layers to GPU',
      'ggml_cuda_init: found 1 CUDA devices:',
      '[GIN] 2025/07/23 - 21:47:11 | 404 |       5m0s |       127.0.0.1 | GET      "/api/tags"',
    ];
    const journal = Buffer.from(
      messages
        .map((message, i) =>
          JSON.stringify({
            __CURSOR: `s=b8de77b5ab58488a83f5d7ecf045bb8d;i=${i + 1};b=5f0e5c9b7c1f4c0c9d2b0a4e8f6a1b2c;m=1;t=1;x=1`,
            __REALTIME_TIMESTAMP: String(1796113964057000 + i),
            MESSAGE: message,
            _PID: '4242',
          }),
        )
        .join('\n') + '\n',
    );
    const encoder = createByteEncoder({ host: 'h', msgHashMode: 'tag', modelFor: () => null });
    const batch = new LineBatch();
    for (let start = 0, end; (end = journal.indexOf(10, start)) !== -1; start = end + 1) encoder.encode(journal, start, end, batch);
    const texts = Array.from({ length: batch.lines }, (_, i) => [undefined, batch.line(i)] as const);
    const byBytes = counted(batchOf(texts), 0, texts.length);
    expect(Object.keys(byBytes).sort()).toEqual(['ollama_events', 'ollama_logs', 'ollama_requests']);
    expect(counted(batch, 0, batch.lines)).toEqual(byBytes);
  });
});

describe('LineBatch.copyOf', () => {
  it('copies what was written since an offset into memory of its own (a kept copy holds no pool slab)', () => {
    const batch = new LineBatch();
    batch.beginLine();
    batch.utf8('ollama_events,host=h');
    const start = batch.length;
    batch.utf8(',load_seconds=4.26,runner="ok"');
    const copy = batch.copyOf(start);
    expect(copy.toString()).toBe(',load_seconds=4.26,runner="ok"');
    expect(copy.buffer.byteLength).toBe(copy.length);
    batch.reset();
    batch.beginLine();
    batch.utf8('x'.repeat(64));
    expect(copy.toString()).toBe(',load_seconds=4.26,runner="ok"');
  });
});
