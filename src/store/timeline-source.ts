// Reads what the shipper stored (ollama_events, ollama_requests, ollama_model_inventory) for one host
// and range into the plain records buildTimeline takes. Sessions open at the range start began
// earlier, so the reading starts at the server start that preceded the range (capped at a week).

import type { FluxTableMetaData, QueryApi } from '@influxdata/influxdb-client';
import { INFERENCE_PATHS, isInferencePath } from '../ollama/lifecycle/inference-paths.js';
import { RequestColumns } from '../ollama/lifecycle/request-columns.js';
import { TIMELINE_KINDS } from '../ollama/lifecycle/timeline-kinds.js';
import { fluxString, fluxTime } from './flux.js';
import type { QueryClient } from './query-client.js';
import { DAY_MS, parseRfc3339 } from '../time.js';
import type { ReconstructionInput, TimelineEvent } from '../ollama/lifecycle/types.js';
import { EVENTS_MEASUREMENT, INVENTORY_MEASUREMENT, REQUESTS_MEASUREMENT } from '../influx/measurements.js';

/** How far before the range a session may have begun and still be shown. */
export const MAX_CONTEXT_MS = 7 * DAY_MS;

/** Distinct request methods kept as shared strings (HTTP has a handful; the rest are kept per row). */
const MAX_METHODS_KEPT = 32;

/** What readTimelineInput gives: the requests in columns, the earlier ones first. */
export type StoredTimelineInput = ReconstructionInput & { readonly requests: RequestColumns };

/** Tag and bookkeeping columns of a pivoted event row; every other column is a field. */
const NOT_FIELDS = new Set(['result', 'table', '_start', '_stop', '_time', '_measurement', 'host', 'event', 'model', 'level', 'message']);

/** Query failures propagate as the client's errors: see query-client.ts for turning them into one line. */
export async function readTimelineInput(
  client: QueryClient,
  host: string,
  start: number,
  stop: number,
  options: { readonly everyRequestFrom?: number } = {},
): Promise<StoredTimelineInput> {
  const { api } = client;
  const from = fluxString(client.influx.bucket);
  const hostLiteral = fluxString(host);
  const context = await contextStart(api, from, hostLiteral, start);
  // Requests since the context start: whether a session is still loaded depends on the chain of
  // requests that kept restarting its keep-alive timer. Before `everyRequestFrom` (the daemon's
  // paged runs) only the last request of each minute and kind is read, which keeps that chain's
  // ends while the memory no longer grows with the number of requests.
  const everyFrom = Math.min(stop, Math.max(context.start, options.everyRequestFrom ?? context.start));
  const [events, earlier, requests, inventory] = await Promise.all([
    readEvents(api, from, hostLiteral, context.start, stop),
    everyFrom > context.start ? readRequests(api, from, hostLiteral, context.start, everyFrom, true) : Promise.resolve(new RequestColumns()),
    readRequests(api, from, hostLiteral, everyFrom, stop, false),
    readInventory(api, from, hostLiteral),
  ]);
  // The configuration of a process that started before the context window still sets its keep-alive.
  if (context.config !== null && !events.some((e) => e.kind === 'server_config' && e.time <= start)) events.unshift(context.config);
  // Only the daemon's pages read earlier requests (a few per minute): the rest is never copied.
  if (earlier.length === 0) return { events, requests, inventory };
  earlier.append(requests);
  return { events, requests: earlier, inventory };
}

/** The latest server start and server config before the range; reading starts at the earlier one. */
async function contextStart(api: QueryApi, from: string, host: string, start: number) {
  const flux = `from(bucket: ${from})
  |> range(start: 0, stop: ${fluxTime(start)})
  |> filter(fn: (r) => r._measurement == "${EVENTS_MEASUREMENT}" and r.host == ${host} and (r.event == "server_start" or r.event == "server_config"))
  |> last()
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`;
  const rows = await api.collectRows<Record<string, unknown>>(flux);
  const latest = (kind: string) =>
    rows
      .filter((r) => r['event'] === kind && typeof r['message'] === 'string')
      .map(toEvent)
      .sort((a, b) => b.time - a.time)[0] ?? null;
  const serverStart = latest('server_start');
  const config = latest('server_config');
  const known = [serverStart, config].filter((e) => e !== null).map((e) => e.time);
  const began = known.length === 0 ? -Infinity : Math.min(...known);
  return { start: Math.max(began, start - MAX_CONTEXT_MS), config };
}

async function readEvents(api: QueryApi, from: string, host: string, start: number, stop: number): Promise<TimelineEvent[]> {
  const kinds = TIMELINE_KINDS.join('|');
  const flux = `from(bucket: ${from})
  |> range(start: ${fluxTime(start)}, stop: ${fluxTime(stop)})
  |> filter(fn: (r) => r._measurement == "${EVENTS_MEASUREMENT}" and r.host == ${host})
  |> filter(fn: (r) => r.event =~ /^(${kinds})$/ or r.level == "WARN" or r.level == "ERROR")
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`;
  const rows = await api.collectRows<Record<string, unknown>>(flux);
  return rows.filter((r) => typeof r['message'] === 'string').map(toEvent).sort((a, b) => a.time - b.time);
}

function toEvent(row: Record<string, unknown>): TimelineEvent {
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(row)) {
    if (NOT_FIELDS.has(key) || value === null || value === undefined || value === '') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  const model = typeof row['model'] === 'string' && row['model'] !== '' ? row['model'] : undefined;
  const level = typeof row['level'] === 'string' && row['level'] !== '' ? row['level'] : undefined;
  return {
    time: parseRfc3339(String(row['_time']))!,
    kind: String(row['event']),
    message: String(row['message']),
    fields,
    ...(model !== undefined ? { model } : {}),
    ...(level !== undefined ? { level } : {}),
  };
}

/**
 * Inference requests only (the rest never reach a model: see attribute.ts), streamed into columns: a
 * day of a busy host is hundreds of thousands of rows, and as row objects they were most of the
 * daemon's memory while it stored the timeline (bench/daemon-rss.mjs).
 */
async function readRequests(api: QueryApi, from: string, host: string, start: number, stop: number, lastPerMinute: boolean): Promise<RequestColumns> {
  const paths = INFERENCE_PATHS.map(fluxString).join(', ');
  const flux = `from(bucket: ${from})
  |> range(start: ${fluxTime(start)}, stop: ${fluxTime(stop)})
  |> filter(fn: (r) => r._measurement == "${REQUESTS_MEASUREMENT}" and r.host == ${host} and r._field == "latency_ms")
  |> filter(fn: (r) => contains(value: r.path, set: [${paths}]))${lastPerMinute ? '\n  |> window(every: 1m)\n  |> last()' : ''}
  |> keep(columns: ["_time", "_value", "method", "path", "status"])`;
  const requests = new RequestColumns();
  // Each row's strings are new; a method is one of a few, kept once.
  const methods = new Map<string, string>();
  let columnsOf: FluxTableMetaData | null = null;
  let at = { time: 0, value: 0, method: 0, path: 0, status: 0 };
  for await (const { values, tableMeta } of api.iterateRows(flux)) {
    if (tableMeta !== columnsOf) {
      columnsOf = tableMeta;
      // A table without a column (a point without that tag) reads it as absent, as collectRows did.
      const index = (name: string) => tableMeta.column(name, false)?.index ?? -1;
      at = { time: index('_time'), value: index('_value'), method: index('method'), path: index('path'), status: index('status') };
    }
    const path = values[at.path] ?? '';
    // The query asks for these paths only; a row of another (a changed query) is not one to attribute.
    if (!isInferencePath(path)) continue;
    const method = values[at.method] ?? 'undefined';
    if (!methods.has(method) && methods.size < MAX_METHODS_KEPT) methods.set(method, method);
    requests.push({
      end: parseRfc3339(values[at.time] ?? '')!,
      latencyMs: Number(values[at.value]),
      method: methods.get(method) ?? method,
      path,
      status: Number(values[at.status]),
    });
  }
  return requests;
}

/**
 * sha256 → every model name that had it in the latest scan of each name. Scans after the range count
 * too: a blob's names do not change, and the first scan may come after the lines it names.
 */
async function readInventory(api: QueryApi, from: string, host: string): Promise<Map<string, string[]>> {
  const flux = `from(bucket: ${from})
  |> range(start: 0)
  |> filter(fn: (r) => r._measurement == "${INVENTORY_MEASUREMENT}" and r.host == ${host} and r._field == "sha256")
  |> last()
  |> keep(columns: ["model_name", "_value"])`;
  const rows = await api.collectRows<Record<string, unknown>>(flux);
  const inventory = new Map<string, string[]>();
  for (const row of rows) {
    const sha = String(row['_value']);
    inventory.set(sha, [...(inventory.get(sha) ?? []), String(row['model_name'])].sort());
  }
  return inventory;
}
