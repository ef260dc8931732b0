// One awaited HTTP write per call, straight through node:http(s) with a keep-alive agent.
// @influxdata/influxdb-client's WriteApi is not used on purpose: it flushes in the background, keeps its
// own retry buffer and drops the oldest lines when that fills; here the caller sees every status code
// and our cursor alone decides what is done. Its transport is not used either: it copies every body
// (Buffer.from) and adds per-request work a catch-up pays hundreds of times.

import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
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
/** What is kept of an error response: InfluxDB's JSON error is short; a proxy's HTML page is not. */
const MAX_ERROR_BODY_BYTES = 4096;

export interface WriteClient {
  /** One POST of newline-separated lines (a Buffer from a LineBatch, or text). */
  write(body: Buffer | string): Promise<WriteOutcome>;
}

export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK.test(url);
}

/** `gzip` defaults to "not loopback"; tests force it on to exercise compression on a local server. */
export function createWriteClient(settings: InfluxSettings, options: { gzip?: boolean } = {}): WriteClient {
  // The URL may carry a path prefix (InfluxDB behind a reverse proxy): the API path is appended to it.
  const url = new URL(
    `${settings.url.replace(/\/+$/, '')}/api/v2/write?org=${encodeURIComponent(settings.org)}` +
      `&bucket=${encodeURIComponent(settings.bucket)}&precision=ns`,
  );
  const secure = url.protocol === 'https:';
  const request = secure ? httpsRequest : httpRequest;
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const compress = options.gzip ?? !isLoopbackUrl(settings.url);
  return {
    async write(body: Buffer | string): Promise<WriteOutcome> {
      const headers: Record<string, string | number> = {
        authorization: `Token ${settings.token}`,
        'content-type': 'text/plain; charset=utf-8',
      };
      let payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      if (compress && payload.length > GZIP_THRESHOLD_BYTES) {
        payload = await gzip(payload, { level: 1 });
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = payload.length;
      return new Promise<WriteOutcome>((resolve) => {
        const req = request(url, { method: 'POST', headers, agent, timeout: WRITE_TIMEOUT_MS }, (res) => {
          readOutcome(res).then(resolve, (err: unknown) => resolve(networkOutcome(err)));
        });
        req.on('timeout', () => req.destroy(Object.assign(new Error(`no response within ${WRITE_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' })));
        req.on('error', (err) => resolve(networkOutcome(err)));
        req.end(payload);
      });
    },
  };
}

async function readOutcome(res: IncomingMessage): Promise<WriteOutcome> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (size < MAX_ERROR_BODY_BYTES) chunks.push(chunk);
    size += chunk.length;
  }
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const header = res.headers['retry-after'];
  return {
    kind: 'http',
    status,
    body: Buffer.concat(chunks).toString('utf8').slice(0, 500),
    retryAfterMs: parseRetryAfter(Array.isArray(header) ? header[0] : header, Date.now()),
  };
}

function networkOutcome(err: unknown): WriteOutcome {
  const error = err as NodeJS.ErrnoException;
  return { kind: 'network', code: error.code ?? error.name ?? 'ERROR', message: error.message ?? String(err) };
}
