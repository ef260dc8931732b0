// The read API's data from InfluxDB: what the shipper stored (ollama_requests, ollama_events, gpu) for
// any host of a fleet. Sums are computed by Flux so a day of requests never travels over the wire.

import type { QueryApi } from '@influxdata/influxdb-client';
import { fluxString, fluxTime } from '../store/flux.js';
import type { QueryClient } from '../store/query-client.js';
import { readTimelineInput } from '../store/timeline-source.js';
import { epochNs, parseRfc3339 } from '../time.js';
import type { GpuReading, ModelTotals, ReadSource, RequestTotals, StepTotals } from './source.js';
import { EVENTS_MEASUREMENT, GPU_MEASUREMENT, REQUESTS_MEASUREMENT } from '../influx/measurements.js';

type Row = Record<string, unknown>;

const TOTALS = `reduce(
      identity: {requests: 0, errors: 0, latency_sum: 0.0},
      fn: (r, accumulator) => ({
        requests: accumulator.requests + 1,
        errors: accumulator.errors + (if r.status =~ /^5[0-9][0-9]$/ then 1 else 0),
        latency_sum: accumulator.latency_sum + r._value,
      }),
    )`;

function totals(row: Row | undefined): RequestTotals {
  return { requests: Number(row?.['requests'] ?? 0), errors: Number(row?.['errors'] ?? 0), latencySumMs: Number(row?.['latency_sum'] ?? 0) };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export class InfluxReadSource implements ReadSource {
  private readonly api: QueryApi;
  private readonly bucket: string;

  constructor(
    private readonly client: QueryClient,
    readonly defaultHost: string,
  ) {
    this.api = client.api;
    this.bucket = fluxString(client.influx.bucket);
  }

  async check(): Promise<void> {
    await this.api.collectRows(`from(bucket: ${this.bucket}) |> range(start: -1m) |> limit(n: 1)`);
  }

  private requests(host: string, start: number, stop: number): string {
    return `from(bucket: ${this.bucket})
  |> range(start: ${fluxTime(start)}, stop: ${fluxTime(stop)})
  |> filter(fn: (r) => r._measurement == "${REQUESTS_MEASUREMENT}" and r.host == ${fluxString(host)} and r._field == "latency_ms")`;
  }

  async requestTotals(host: string, start: number, stop: number): Promise<RequestTotals> {
    const rows = await this.api.collectRows<Row>(`${this.requests(host, start, stop)}
  |> group()
  |> ${TOTALS}`);
    return totals(rows[0]);
  }

  async requestSteps(host: string, start: number, stop: number, stepMs: number): Promise<StepTotals[]> {
    // Steps counted from `start` (not from the epoch, as window() would): step k is [start + k·step, …).
    const rows = await this.api.collectRows<Row>(`${this.requests(host, start, stop)}
  |> map(fn: (r) => ({r with step: (int(v: r._time) - ${epochNs(start)}) / ${BigInt(Math.round(stepMs)) * 1_000_000n}}))
  |> group(columns: ["step"])
  |> ${TOTALS}`);
    return rows
      .map((row) => ({ start: start + Number(row['step']) * stepMs, ...totals(row) }))
      .sort((a, b) => a.start - b.start);
  }

  async requestsByModel(host: string, start: number, stop: number): Promise<ModelTotals[]> {
    const rows = await this.api.collectRows<Row>(`${this.requests(host, start, stop)}
  |> group(columns: ["model"])
  |> ${TOTALS}`);
    return rows.map((row) => ({ model: typeof row['model'] === 'string' && row['model'] !== '' ? row['model'] : null, ...totals(row) }));
  }

  async lastServerStart(host: string, stop: number): Promise<number | null> {
    const rows = await this.api.collectRows<Row>(`from(bucket: ${this.bucket})
  |> range(start: 0, stop: ${fluxTime(stop)})
  |> filter(fn: (r) => r._measurement == "${EVENTS_MEASUREMENT}" and r.host == ${fluxString(host)} and r.event == "server_start" and r._field == "message")
  |> group()
  |> last()`);
    return rows.length === 0 ? null : parseRfc3339(String(rows[0]!['_time']));
  }

  async gpus(host: string, start: number, stop: number): Promise<GpuReading[]> {
    const rows = await this.api.collectRows<Row>(`from(bucket: ${this.bucket})
  |> range(start: ${fluxTime(start)}, stop: ${fluxTime(stop)})
  |> filter(fn: (r) => r._measurement == "${GPU_MEASUREMENT}" and r.host == ${fluxString(host)})
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> group(columns: ["gpu_index"])
  |> last(column: "_time")`);
    return rows
      .map((r) => ({
        time: parseRfc3339(String(r['_time']))!,
        index: String(r['gpu_index'] ?? ''),
        uuid: String(r['gpu_uuid'] ?? ''),
        name: String(r['gpu_name'] ?? ''),
        utilization_percent: numberOrNull(r['utilization_percent']),
        memory_total_bytes: numberOrNull(r['memory_total_bytes']),
        memory_used_bytes: numberOrNull(r['memory_used_bytes']),
        memory_free_bytes: numberOrNull(r['memory_free_bytes']),
        temperature_celsius: numberOrNull(r['temperature_celsius']),
        power_draw_watts: numberOrNull(r['power_draw_watts']),
        power_limit_watts: numberOrNull(r['power_limit_watts']),
      }))
      .sort((a, b) => a.index.localeCompare(b.index, 'en', { numeric: true }));
  }

  timelineInput(host: string, start: number, stop: number) {
    return readTimelineInput(this.client, host, start, stop);
  }
}
