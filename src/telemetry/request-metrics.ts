// ollama_requests_total and ollama_request_duration_seconds, counted in plain maps and arrays and
// handed to prom-client only when scraped. A catch-up counts hundreds of thousands of requests, and
// prom-client hashes the label object on every inc/observe: that cost more than the rest of a
// request's bookkeeping (profiled on a 300k-entry catch-up).

import { Counter, type Registry } from 'prom-client';

/** 50 ms to 10 min: a version check takes milliseconds, a long generation minutes (gin logs up to `5m0s`+). */
export const REQUEST_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

interface Latencies {
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** Labels are bounded strings (labels.ts): a map level per label, no key string built per request. */
type Nested<T> = Map<string, T>;

export class RequestMetrics {
  private readonly counts: Nested<Nested<Nested<Nested<number>>>> = new Map();
  private readonly latencies: Nested<Nested<Latencies>> = new Map();

  constructor(registry: Registry) {
    const counts = this.counts;
    new Counter({
      name: 'ollama_requests_total',
      help: 'Requests Ollama logged ([GIN] lines).',
      labelNames: ['method', 'path', 'status', 'model'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [method, byPath] of counts)
          for (const [path, byStatus] of byPath)
            for (const [status, byModel] of byStatus) for (const [model, n] of byModel) this.inc({ method, path, status, model }, n);
      },
    });
    registry.registerMetric(new LatencyHistogram(this.latencies) as never);
  }

  count(method: string, path: string, status: string, model: string, seconds: number): void {
    const byPath = child(this.counts, method, newMap<Nested<Nested<number>>>);
    const byModel = child(child(byPath, path, newMap<Nested<number>>), status, newMap<number>);
    byModel.set(model, (byModel.get(model) ?? 0) + 1);
    const latency = child(child(this.latencies, path, newMap<Latencies>), model, newLatencies);
    let bucket = 0;
    while (bucket < REQUEST_BUCKETS.length && seconds > REQUEST_BUCKETS[bucket]!) bucket++;
    latency.buckets[bucket]!++;
    latency.sum += seconds;
    latency.count++;
  }
}

function newMap<T>(): Map<string, T> {
  return new Map();
}

function newLatencies(): Latencies {
  return { buckets: new Float64Array(REQUEST_BUCKETS.length + 1), sum: 0, count: 0 };
}

function child<T>(map: Map<string, T>, key: string, create: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/**
 * The histogram as prom-client's registry reads a metric (name, help, type, get()), built from the
 * counts at scrape time: the same `_bucket` (cumulative, `le`), `_sum` and `_count` series as
 * prom-client's own Histogram.
 */
class LatencyHistogram {
  readonly name = 'ollama_request_duration_seconds';
  readonly help = 'Request latency as gin logged it.';
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(private readonly latencies: Nested<Nested<Latencies>>) {}

  get(): { name: string; help: string; type: string; aggregator: string; values: { labels: Record<string, string | number>; value: number; metricName: string }[] } {
    const values = [];
    for (const [path, byModel] of this.latencies) {
      for (const [model, latency] of byModel) {
        let cumulative = 0;
        REQUEST_BUCKETS.forEach((bound, i) => {
          cumulative += latency.buckets[i]!;
          values.push({ labels: { le: bound, path, model }, value: cumulative, metricName: `${this.name}_bucket` });
        });
        values.push({ labels: { le: '+Inf', path, model }, value: latency.count, metricName: `${this.name}_bucket` });
        values.push({ labels: { path, model }, value: latency.sum, metricName: `${this.name}_sum` });
        values.push({ labels: { path, model }, value: latency.count, metricName: `${this.name}_count` });
      }
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.latencies.clear();
  }
}
