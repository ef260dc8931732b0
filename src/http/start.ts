// Starting the HTTP side for the daemon (`run`) and for `serve`. A port that cannot be bound is a
// configuration error (exit 78): the key that chose it is named.

import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { configError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { shipperHealth } from '../telemetry/health.js';
import { InfluxReadSource } from './influx-source.js';
import { createHttpServer, listen } from './server.js';
import type { ReadSource } from './source.js';

interface Address {
  readonly host: string;
  readonly port: number;
}

async function bind(server: Server, address: Address, key: string, logger: Logger): Promise<Server> {
  try {
    await listen(server, address.host, address.port);
  } catch (err) {
    throw configError(`${key} ${address.host}:${address.port} cannot be bound: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const bound = server.address();
  logger.info({ listen: typeof bound === 'object' && bound !== null ? `${bound.address}:${bound.port}` : String(bound) }, 'HTTP server listening');
  return server;
}

/** The daemon's /metrics, /health and read API, on METRICS_LISTEN. */
export function startDaemonHttp(runtime: Runtime, registry: Registry): Promise<Server> | null {
  const { config, stats, logger } = runtime;
  if (config.metricsListen === null) return null;
  const limits = { pollIntervalMs: config.pollIntervalMs, writeFailureMs: config.healthWriteFailureMs };
  const server = createHttpServer({
    source: new InfluxReadSource(runtime.query, config.hostTag),
    logger,
    registry,
    health: async () => {
      const report = shipperHealth(stats, Date.now(), limits);
      return [report.status === 'ok', report] as const;
    },
  });
  return bind(server, config.metricsListen, 'METRICS_LISTEN', logger);
}

/** `serve`: the read API alone, over any source; healthy while the source can be read. */
export function startServeHttp(source: ReadSource, address: Address, logger: Logger): Promise<Server> {
  const server = createHttpServer({
    source,
    logger,
    health: async () => {
      try {
        await source.check();
        return [true, { status: 'ok', reasons: [] }] as const;
      } catch (err) {
        return [false, { status: 'failing', reasons: [`the data source cannot be read: ${(err as Error).message.replace(/\s*\n\s*/g, ' ').slice(0, 300)}`] }] as const;
      }
    },
  });
  return bind(server, address, '--listen', logger);
}
