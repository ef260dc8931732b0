// The HTTP side: /metrics and /health of the daemon (when it runs one), the read API and the live
// timeline page. Node's own http server; read-only (GET and HEAD); every failure is one line.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { renderHtml } from '../render/html.js';
import { renderJson } from '../render/json.js';
import { currentStats, gpuStats, modelStats, statsHistory, timelineOf } from './api.js';
import { BadRequest } from './params.js';
import type { ReadSource } from './source.js';

/** How often the timeline page reloads itself. */
const TIMELINE_REFRESH_SECONDS = 60;

interface HttpOptions {
  readonly source: ReadSource;
  readonly logger: Logger;
  /** The daemon's registry; `serve` has none (it ships nothing). */
  readonly registry?: Registry;
  /** The health answer: [healthy, body]. */
  readonly health: () => Promise<readonly [boolean, object]>;
  readonly now?: () => number;
}

type Handler = (params: URLSearchParams) => Promise<Reply>;
interface Reply {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

const json = (status: number, value: unknown): Reply => ({ status, type: 'application/json; charset=utf-8', body: `${JSON.stringify(value, null, 2)}\n` });

export function createHttpServer(options: HttpOptions): Server {
  const now = options.now ?? Date.now;
  const { source, registry } = options;
  const health: Handler = async () => {
    const [healthy, body] = await options.health();
    return json(healthy ? 200 : 503, body);
  };
  const routes: Record<string, Handler> = {
    '/health': health,
    '/api/health': health,
    '/api/stats/current': async (p) => json(200, await currentStats(source, p, now())),
    '/api/stats/history': async (p) => json(200, await statsHistory(source, p, now())),
    '/api/models': async (p) => json(200, await modelStats(source, p, now())),
    '/api/gpu': async (p) => json(200, await gpuStats(source, p, now())),
    '/api/timeline': async (p) => ({ status: 200, type: 'application/json; charset=utf-8', body: renderJson(await timelineOf(source, p, now())) }),
    '/timeline': async (p) => {
      const html = renderHtml(await timelineOf(source, p, now()));
      // Live: the page reloads itself with the same query (a relative range moves with the clock).
      const live = html.replace('<head>', `<head>\n<meta http-equiv="refresh" content="${TIMELINE_REFRESH_SECONDS}">`);
      return { status: 200, type: 'text/html; charset=utf-8', body: live };
    },
  };
  if (registry !== undefined) {
    routes['/metrics'] = async () => ({ status: 200, type: registry.contentType, body: await registry.metrics() });
  }

  return createServer((req, res) => {
    void answer(req, res, routes, options.logger);
  });
}

async function answer(req: IncomingMessage, res: ServerResponse, routes: Record<string, Handler>, logger: Logger): Promise<void> {
  let reply: Reply;
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = routes[url.pathname];
    if (req.method !== 'GET' && req.method !== 'HEAD') reply = json(405, { error: 'read-only: only GET and HEAD' });
    else if (handler === undefined) reply = json(404, { error: `no such endpoint; try ${Object.keys(routes).sort().join(', ')}` });
    else reply = await handler(url.searchParams);
  } catch (err) {
    if (err instanceof BadRequest) reply = json(400, { error: err.message });
    else {
      const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
      logger.warn({ err: message, path: req.url?.slice(0, 200) }, 'read API request failed');
      reply = json(502, { error: `the data source failed: ${message.slice(0, 500)}` });
    }
  }
  res.writeHead(reply.status, { 'content-type': reply.type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(req.method === 'HEAD' ? undefined : reply.body);
}

/** Listens on host:port; resolves once bound, rejects with the bind error (port taken, bad address). */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
