// One awaited HTTP write per call through @influxdata/influxdb-client's transport.
// Its WriteApi is not used on purpose: WriteApi flushes in the background, keeps its own retry
// buffer and drops the oldest lines when that fills. Here the caller sees every status code and
// our cursor alone decides what is done.

import { HttpError, InfluxDB } from '@influxdata/influxdb-client';
import type { InfluxSettings } from '../config/schema.js';
import { parseRetryAfter, type WriteOutcome } from './retry.js';

/** Bodies above this are gzipped (zlib runs on the thread pool, off the event loop). */
const GZIP_THRESHOLD_BYTES = 64 * 1024;
const WRITE_TIMEOUT_MS = 30_000;

export interface WriteClient {
  write(body: string): Promise<WriteOutcome>;
}

export function createWriteClient(settings: InfluxSettings): WriteClient {
  const influx = new InfluxDB({ url: settings.url, token: settings.token, timeout: WRITE_TIMEOUT_MS });
  const path =
    `/api/v2/write?org=${encodeURIComponent(settings.org)}` +
    `&bucket=${encodeURIComponent(settings.bucket)}&precision=ns`;
  return {
    async write(body: string): Promise<WriteOutcome> {
      try {
        await influx.transport.request(path, body, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          gzipThreshold: GZIP_THRESHOLD_BYTES,
        });
        return { kind: 'ok' };
      } catch (err) {
        return outcomeOf(err);
      }
    },
  };
}

export function outcomeOf(err: unknown): WriteOutcome {
  if (err instanceof HttpError) {
    const header = err.headers?.['retry-after'];
    return {
      kind: 'http',
      status: err.statusCode,
      body: (err.body ?? err.message).slice(0, 500),
      retryAfterMs: parseRetryAfter(Array.isArray(header) ? header[0] : header, Date.now()),
    };
  }
  const error = err as NodeJS.ErrnoException;
  return { kind: 'network', code: error.code ?? error.name ?? 'ERROR', message: error.message ?? String(err) };
}
