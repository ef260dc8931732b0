// Flux queries through the InfluxDB client's QueryApi: the token travels only in the Authorization
// header the client sets, never in a URL, an argument or an error message.

import { HttpError, InfluxDB, type QueryApi } from '@influxdata/influxdb-client';
import type { InfluxSettings } from '../config/schema.js';
import { OllamaInfluxError } from '../errors.js';
import { MINUTE_MS } from '../time.js';

/** A timeline query over a week of a busy host takes seconds; a minute means the server is stuck. */
const QUERY_TIMEOUT_MS = MINUTE_MS;

/** One QueryApi for the configured org, with the settings its queries and errors name. */
export interface QueryClient {
  readonly api: QueryApi;
  readonly influx: InfluxSettings;
}

export function createQueryClient(influx: InfluxSettings): QueryClient {
  return { api: new InfluxDB({ url: influx.url, token: influx.token, timeout: QUERY_TIMEOUT_MS }).getQueryApi(influx.org), influx };
}

/**
 * The registry's error for a failed query: refused token, unknown org or bucket, unreachable server;
 * anything else (a Flux error, HTTP 400) keeps InfluxDB's own message.
 */
export function queryError(err: unknown, influx: InfluxSettings): Error {
  if (err instanceof HttpError) {
    const detail = httpMessage(err);
    if (err.statusCode === 401 || err.statusCode === 403) {
      return new OllamaInfluxError('OI_ERR_INFLUX_AUTH', `InfluxDB refused the token for reading (HTTP ${err.statusCode}: ${detail})`);
    }
    if (err.statusCode === 404) {
      return new OllamaInfluxError('OI_ERR_INFLUX_BUCKET', `InfluxDB: org ${influx.org} or bucket ${influx.bucket} not found (${detail})`);
    }
    return new Error(`InfluxDB query failed (HTTP ${err.statusCode}): ${detail}`);
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code !== undefined || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|timed out/i.test(message)) {
    return new OllamaInfluxError('OI_ERR_INFLUX_UNREACHABLE', `InfluxDB at ${influx.url} is unreachable (${code ?? message})`);
  }
  return err instanceof Error ? err : new Error(message);
}

function httpMessage(err: HttpError): string {
  const json = err.json as { message?: unknown } | undefined;
  return typeof json?.message === 'string' ? json.message : (err.body ?? err.message);
}
