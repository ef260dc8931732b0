// One awaited HTTP write per call through @influxdata/influxdb-client's transport.
// Its WriteApi is not used on purpose: WriteApi flushes in the background, keeps its own retry
// buffer and drops the oldest lines when that fills. Here the caller sees every status code and
// our cursor alone decides what is done.

import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { HttpError, InfluxDB } from '@influxdata/influxdb-client';
import type { InfluxSettings } from '../config/schema.js';
import { parseRetryAfter, type WriteOutcome } from './retry.js';

const gzip = promisify(gzipCallback);

/**
 * Bodies above this are gzipped at level 1 (log text shrinks ~8x for little CPU; zlib runs on the
 * thread pool). Not for a loopback URL: there compression only costs CPU on both ends.
 */
const GZIP_THRESHOLD_BYTES = 64 * 1024;
const LOOPBACK = /^https?:\/\/(localhost|127\.[0-9.]+|\[::1\])(:|\/|$)/i;
const WRITE_TIMEOUT_MS = 30_000;

export interface WriteClient {
  /** One POST of newline-separated lines (a Buffer from a LineBatch, or text). */
  write(body: Buffer | string): Promise<WriteOutcome>;
}

export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK.test(url);
}

/** `gzip` defaults to "not loopback"; tests force it on to exercise compression on a local server. */
export function createWriteClient(settings: InfluxSettings, options: { gzip?: boolean } = {}): WriteClient {
  const influx = new InfluxDB({ url: settings.url, token: settings.token, timeout: WRITE_TIMEOUT_MS });
  const path =
    `/api/v2/write?org=${encodeURIComponent(settings.org)}` +
    `&bucket=${encodeURIComponent(settings.bucket)}&precision=ns`;
  const compress = options.gzip ?? !isLoopbackUrl(settings.url);
  return {
    async write(body: Buffer | string): Promise<WriteOutcome> {
      try {
        const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
        let payload: string | Buffer = body;
        if (compress && body.length > GZIP_THRESHOLD_BYTES) {
          payload = await gzip(body, { level: 1 });
          headers['content-encoding'] = 'gzip';
        }
        await send(influx, path, payload, headers);
        return { kind: 'ok' };
      } catch (err) {
        return outcomeOf(err);
      }
    },
  };
}

/**
 * transport.send rather than transport.request: request() would JSON-encode a Buffer body.
 * The transport's type says string; a Buffer goes through Buffer.from unchanged.
 */
function send(influx: InfluxDB, path: string, payload: string | Buffer, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    influx.transport.send(path, payload as string, { method: 'POST', headers }, {
      error: reject,
      complete: () => resolve(),
    });
  });
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
