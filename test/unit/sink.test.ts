// Unit test of the sink's bisect / retry / backoff logic against an in-memory WriteClient.
// (Writes to a real InfluxDB are covered by the integration tests.)

import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Stats } from '../../src/telemetry/stats.js';
import { OllamaInfluxError } from '../../src/errors.js';
import { CONFIG_BACKOFF, WRITE_BACKOFF } from '../../src/influx/backoff.js';
import type { WriteOutcome } from '../../src/influx/retry.js';
import { LineBatch } from '../../src/influx/line-batch.js';
import { Sink } from '../../src/influx/sink.js';
import type { WriteClient } from '../../src/influx/write-client.js';

const TOKEN = 'tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0-secret';

/** A WriteClient double: answers each request with `respond(lines, call)` and records what it got. */
class FakeClient implements WriteClient {
  readonly token = TOKEN; // a real client holds one too; it must never reach a log line
  readonly requests: string[][] = [];
  readonly accepted: string[][] = [];

  constructor(private readonly respond: (lines: string[], call: number) => WriteOutcome) {}

  async write(body: Buffer | string): Promise<WriteOutcome> {
    // A LineBatch body: newline-terminated lines.
    const lines = body.toString().replace(/\n$/, '').split('\n');
    this.requests.push(lines);
    const outcome = this.respond(lines, this.requests.length);
    if (outcome.kind === 'ok') this.accepted.push(lines);
    return outcome;
  }
}

const OK: WriteOutcome = { kind: 'ok' };
const http = (status: number, retryAfterMs: number | null = null): WriteOutcome => ({
  kind: 'http',
  status,
  body: `{"code":"error","message":"HTTP ${status} from the test double"}`,
  retryAfterMs,
});
const refused: WriteOutcome = { kind: 'network', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8086' };

interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function harness(client: FakeClient, options: { maxAttempts?: number | null; signal?: AbortSignal; realWait?: boolean } = {}) {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  const stats = new Stats();
  const delays: number[] = [];
  const sink = new Sink(client, {
    logger,
    stats,
    signal: options.signal ?? new AbortController().signal,
    maxAttempts: options.maxAttempts ?? null,
    ...(options.realWait
      ? {}
      : {
          wait: async (ms: number, signal: AbortSignal) => {
            signal.throwIfAborted();
            delays.push(ms);
          },
        }),
  });
  const logs = (): LogRecord[] => raw.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogRecord);
  const logText = (): string => raw.join('');
  return { sink, stats, delays, logs, logText };
}

/** One entry per line, each with its own cursor, written into a LineBatch as the pipeline does. */
function batchOf(lines: string[]): LineBatch & { cursors: string[] } {
  const cursors = lines.map((_, i) => `s=c0ffee;i=${i.toString(16)}`);
  const batch = new LineBatch();
  lines.forEach((line, i) => {
    const cursor = Buffer.from(cursors[i]!);
    batch.beginEntry(cursor, 0, cursor.length, 1_740_906_849_118);
    batch.beginLine();
    batch.utf8(line);
    batch.endLine();
  });
  return Object.assign(batch, { cursors });
}

function makeLines(count: number, bad: readonly number[] = []): string[] {
  return Array.from({ length: count }, (_, i) =>
    bad.includes(i)
      ? `ollama_logs,host=h,msg_hash=${i} message="BAD ${i}",pid=1i ${1_740_906_849_118_000_000 + i}`
      : `ollama_logs,host=h,msg_hash=${i} message="line ${i}",pid="1" ${1_740_906_849_118_000_000 + i}`,
  );
}

/** Every line that was accepted, each as often as it was accepted. */
function acceptedCounts(client: FakeClient): Map<string, number> {
  const counts = new Map<string, number>();
  for (const lines of client.accepted) for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Sink: rejected lines', () => {
  it('bisects a 1000-line batch down to its 3 bad lines, skips only them and writes the rest once', async () => {
    const badIndexes = [0, 517, 999];
    const lines = makeLines(1000, badIndexes);
    const batch = batchOf(lines);
    const client = new FakeClient((sent) => (sent.some((line) => line.includes('"BAD')) ? http(400) : OK));
    const { sink, stats, delays, logs } = harness(client);

    await sink.write(batch);

    const counts = acceptedCounts(client);
    for (const [i, line] of lines.entries()) {
      expect(counts.get(line) ?? 0, `line ${i}`).toBe(badIndexes.includes(i) ? 0 : 1);
    }
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(997);
    expect(stats.points_written_total).toBe(997);
    expect(stats.points_written_by_measurement).toEqual({ ollama_logs: 997 });
    expect(stats.lines_skipped_total).toBe(3);
    expect(stats.batches_written_total).toBe(1);
    expect(stats.write_retries_total).toBe(0);
    expect(delays).toEqual([]); // a rejected batch is split at once, never waited on
    // Bisecting is logarithmic: far fewer requests than lines.
    expect(client.requests.length).toBeLessThan(3 * 2 * Math.ceil(Math.log2(1000)) + 2);

    const skipped = logs().filter((record) => record.msg.includes('skipped'));
    expect(skipped.map((record) => record.cursor)).toEqual(badIndexes.map((i) => batch.cursors[i]));
    expect(skipped.map((record) => record.line)).toEqual(badIndexes.map((i) => lines[i]));
    for (const record of skipped) {
      expect(record.level).toBe(40); // warn
      expect(record.error_type).toBe('rejected');
      expect(record.reason).toContain('HTTP 400');
    }
  });

  it('skips a single-line batch InfluxDB rejects (422) after one request', async () => {
    const client = new FakeClient(() => http(422));
    const { sink, stats } = harness(client);
    await sink.write(batchOf(makeLines(1, [0])));
    expect(client.requests).toHaveLength(1);
    expect(stats.lines_skipped_total).toBe(1);
    expect(stats.points_written_total).toBe(0);
    expect(stats.write_errors_total).toEqual({ rejected: 1 });
  });

  it('skips every line when every line is bad, and still resolves', async () => {
    const lines = makeLines(16, Array.from({ length: 16 }, (_, i) => i));
    const client = new FakeClient((sent) => (sent.some((line) => line.includes('"BAD')) ? http(400) : OK));
    const { sink, stats } = harness(client);
    await sink.write(batchOf(lines));
    expect(stats.lines_skipped_total).toBe(16);
    expect(client.accepted).toEqual([]);
    expect(client.requests).toHaveLength(31); // a full binary tree over 16 leaves
  });
});

describe('Sink: 413', () => {
  it('splits a batch that is too large until the pieces fit, writing every line once', async () => {
    const lines = makeLines(1000);
    const client = new FakeClient((sent) => (sent.length > 100 ? http(413) : OK));
    const { sink, stats, delays } = harness(client);
    await sink.write(batchOf(lines));
    const counts = acceptedCounts(client);
    expect(counts.size).toBe(1000);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(client.accepted.every((piece) => piece.length <= 100)).toBe(true);
    expect(stats.lines_skipped_total).toBe(0);
    expect(stats.points_written_total).toBe(1000);
    expect(stats.write_errors_total.too_large).toBeGreaterThan(0);
    expect(delays).toEqual([]);
  });

  it('skips a single line that alone is too large', async () => {
    const lines = [...makeLines(3), `ollama_logs,host=h message="${'x'.repeat(5000)}" 1`];
    const client = new FakeClient((sent) => (sent.some((line) => line.length > 1000) ? http(413) : OK));
    const { sink, stats, logs } = harness(client);
    await sink.write(batchOf(lines));
    expect(stats.lines_skipped_total).toBe(1);
    expect(stats.points_written_total).toBe(3);
    const skipped = logs().filter((record) => record.msg.includes('skipped'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.error_type).toBe('too_large');
    expect(skipped[0]!.cursor).toBe('s=c0ffee;i=3');
    expect((skipped[0]!.line as string).length).toBeLessThanOrEqual(300);
  });
});

describe('Sink: retries', () => {
  it('honours Retry-After on 503 and 429, then writes the whole batch once', async () => {
    const answers = [http(503, 7000), http(429, 1500), OK];
    const client = new FakeClient((_, call) => answers[call - 1]!);
    const { sink, stats, delays, logs } = harness(client);
    await sink.write(batchOf(makeLines(10)));
    expect(delays).toEqual([7000, 1500]);
    expect(client.requests).toHaveLength(3);
    expect(client.requests.every((sent) => sent.length === 10)).toBe(true); // throttling never splits
    expect(stats.write_retries_total).toBe(2);
    expect(stats.write_errors_total).toEqual({ throttled: 2 });
    expect(stats.points_written_total).toBe(10);
    const warnings = logs().filter((record) => record.level === 40);
    expect(warnings.map((record) => record.retry_in_ms)).toEqual([7000, 1500]);
    expect(warnings[0]!.cursor).toBe('s=c0ffee;i=0');
  });

  it('backs off with the write policy when 503 comes without Retry-After', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const answers = [http(503), http(500), http(502), OK];
    const client = new FakeClient((_, call) => answers[call - 1]!);
    const { sink, delays } = harness(client);
    await sink.write(batchOf(makeLines(2)));
    expect(delays).toEqual([WRITE_BACKOFF.baseMs, WRITE_BACKOFF.baseMs * 2, WRITE_BACKOFF.baseMs * 4]);
  });

  it('backs off from network errors with growing, jittered, capped delays', async () => {
    const failures = 12;
    const client = new FakeClient((_, call) => (call <= failures ? refused : OK));
    const { sink, stats, delays } = harness(client);
    await sink.write(batchOf(makeLines(5)));
    expect(delays).toHaveLength(failures);
    for (const [i, delay] of delays.entries()) {
      const ceiling = Math.min(WRITE_BACKOFF.capMs, WRITE_BACKOFF.baseMs * 2 ** i);
      expect(delay, `retry ${i + 1}`).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay, `retry ${i + 1}`).toBeLessThanOrEqual(ceiling);
      // Equal jitter: below the cap, each retry waits at least as long as the one before.
      if (i > 0 && WRITE_BACKOFF.baseMs * 2 ** i <= WRITE_BACKOFF.capMs) expect(delay).toBeGreaterThanOrEqual(delays[i - 1]!);
    }
    expect(delays.at(-1)!).toBeGreaterThan(delays[0]! * 8);
    expect(Math.max(...delays)).toBeLessThanOrEqual(WRITE_BACKOFF.capMs);
    expect(stats.write_errors_total).toEqual({ network: failures });
    expect(stats.points_written_total).toBe(5);
    expect(client.accepted).toHaveLength(1);
  });

  it('gives up after maxAttempts in one-shot mode with OI_ERR_INFLUX_UNREACHABLE', async () => {
    const client = new FakeClient(() => refused);
    const { sink, delays, stats } = harness(client, { maxAttempts: 3 });
    const error = await sink.write(batchOf(makeLines(5))).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OllamaInfluxError);
    expect((error as OllamaInfluxError).code).toBe('OI_ERR_INFLUX_UNREACHABLE');
    expect((error as OllamaInfluxError).message).toContain('ECONNREFUSED');
    expect(client.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
    expect(stats.batches_written_total).toBe(0);
  });
});

describe('Sink: configuration errors', () => {
  it('keeps retrying a 401 in daemon mode with the config backoff until the token works', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const client = new FakeClient((_, call) => (call <= 4 ? http(call % 2 === 0 ? 403 : 401) : OK));
    const { sink, stats, delays, logs, logText } = harness(client, { maxAttempts: null });
    await sink.write(batchOf(makeLines(7)));
    expect(delays).toEqual([1, 2, 4, 8].map((factor) => (CONFIG_BACKOFF.baseMs * factor) / 2));
    expect(delays.every((delay) => delay >= CONFIG_BACKOFF.baseMs / 2)).toBe(true);
    expect(client.requests.every((sent) => sent.length === 7)).toBe(true);
    expect(stats.write_errors_total).toEqual({ unauthorized: 4 });
    expect(stats.points_written_total).toBe(7);
    const errors = logs().filter((record) => record.level === 50);
    expect(errors).toHaveLength(4);
    for (const record of errors) {
      expect(record.code).toBe('OI_ERR_INFLUX_AUTH');
      expect(record.fix).toMatch(/token/i);
      expect(record.error_type).toBe('unauthorized');
      expect(record.cursor).toBe('s=c0ffee;i=0');
    }
    expect(logText()).toContain('HTTP 401');
    expect(logText()).not.toContain(TOKEN);
  });

  it('fails a 401 at once in one-shot mode with OI_ERR_INFLUX_AUTH (exit 78)', async () => {
    const client = new FakeClient(() => http(401));
    const { sink, delays, logText } = harness(client, { maxAttempts: 5 });
    const error = await sink.write(batchOf(makeLines(3))).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OllamaInfluxError);
    expect((error as OllamaInfluxError).code).toBe('OI_ERR_INFLUX_AUTH');
    expect((error as OllamaInfluxError).exitCode).toBe(78);
    expect((error as OllamaInfluxError).message).not.toContain(TOKEN);
    expect(client.requests).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(logText()).not.toContain(TOKEN);
  });

  it('fails a 404 in one-shot mode with OI_ERR_INFLUX_BUCKET', async () => {
    const client = new FakeClient(() => http(404));
    const { sink } = harness(client, { maxAttempts: 5 });
    const error = await sink.write(batchOf(makeLines(3))).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OllamaInfluxError);
    expect((error as OllamaInfluxError).code).toBe('OI_ERR_INFLUX_BUCKET');
    expect(client.requests).toHaveLength(1);
  });

  it('keeps retrying a 404 in daemon mode, logging OI_ERR_INFLUX_BUCKET', async () => {
    const client = new FakeClient((_, call) => (call <= 2 ? http(404) : OK));
    const { sink, delays, logs } = harness(client);
    await sink.write(batchOf(makeLines(3)));
    expect(delays).toHaveLength(2);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(CONFIG_BACKOFF.baseMs / 2);
    expect(logs().filter((record) => record.code === 'OI_ERR_INFLUX_BUCKET')).toHaveLength(2);
  });
});

describe('Sink: abort', () => {
  it('stops retrying when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const client = new FakeClient(() => refused);
    const stats = new Stats();
    const sink = new Sink(client, {
      logger: pino({ level: 'silent' }),
      stats,
      signal: controller.signal,
      maxAttempts: null,
      wait: async (_ms, signal) => {
        if (client.requests.length === 3) controller.abort();
        signal.throwIfAborted();
      },
    });
    await expect(sink.write(batchOf(makeLines(4)))).rejects.toMatchObject({ name: 'AbortError' });
    expect(client.requests).toHaveLength(3);
    expect(stats.batches_written_total).toBe(0);
  });

  it('interrupts the default (real) wait at once, even a long Retry-After', async () => {
    const controller = new AbortController();
    const client = new FakeClient(() => {
      setImmediate(() => controller.abort());
      return http(503, 600_000);
    });
    const { sink } = harness(client, { signal: controller.signal, realWait: true });
    const started = Date.now();
    await expect(sink.write(batchOf(makeLines(4)))).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(client.requests).toHaveLength(1);
  });

  it('sends nothing when already aborted', async () => {
    const client = new FakeClient(() => OK);
    const { sink } = harness(client, { signal: AbortSignal.abort() });
    await expect(sink.write(batchOf(makeLines(4)))).rejects.toMatchObject({ name: 'AbortError' });
    expect(client.requests).toEqual([]);
  });
});
