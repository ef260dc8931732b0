// The Prometheus registry `/metrics` serves: the shipper's own health (read from Stats when scraped),
// Ollama's activity read from its logs (OllamaActivity fills these), and the process's own metrics.
// One registry per runtime, never prom-client's global one, so tests can run several side by side.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RequestMetrics } from './request-metrics.js';
import { JOURNAL_ERROR_TYPES, type Stats, WRITE_ERROR_TYPES } from './stats.js';

const LOAD_BUCKETS = [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];

export interface OllamaMetrics {
  /** ollama_requests_total and ollama_request_duration_seconds. */
  readonly requests: RequestMetrics;
  readonly modelLoads: Counter<'model'>;
  readonly modelLoadErrors: Counter<'model'>;
  readonly modelLoadDuration: Histogram<'model'>;
  readonly promptTruncations: Counter<'model'>;
  readonly vramAvailable: Gauge<'gpu'>;
}

export interface Metrics {
  readonly registry: Registry;
  readonly ollama: OllamaMetrics;
}

/**
 * `loaded` answers the `ollama_model_loaded` gauge when scraped (model → 0/1); the shipper's counters
 * mirror Stats, which the sink and the shipper keep.
 */
export function createMetrics(stats: Stats, loaded: () => ReadonlyMap<string, number>): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // prom-client samples event-loop delay every 10 ms by default: 100 wake-ups a second, about 1.4 % of a
  // core on an idle daemon (measured). Once a second keeps the idle cost near nothing.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
  registry.registerMetric(stats.write_duration_seconds);

  mirror(registry, 'ollama_influx_entries_read_total', 'Journal entries read.', [], () => [[{}, stats.entries_read_total]]);
  mirror(registry, 'ollama_influx_points_written_total', 'Points InfluxDB acknowledged, by measurement.', ['measurement'], () =>
    Object.entries(stats.points_written_by_measurement).map(([measurement, n]) => [{ measurement }, n]),
  );
  mirror(registry, 'ollama_influx_lines_skipped_total', 'Lines InfluxDB refused for good (skipped and logged with their cursor).', [], () => [
    [{}, stats.lines_skipped_total],
  ]);
  mirror(registry, 'ollama_influx_write_errors_total', 'Failed writes to InfluxDB, by error type.', ['type'], () =>
    WRITE_ERROR_TYPES.map((type) => [{ type }, stats.write_errors_total[type] ?? 0]),
  );
  mirror(registry, 'ollama_influx_journal_errors_total', 'Journal read problems, by error type.', ['type'], () =>
    JOURNAL_ERROR_TYPES.map((type) => [{ type }, stats.journal_errors_total[type] ?? 0]),
  );
  new Gauge({
    name: 'ollama_influx_lag_seconds',
    help: 'Now minus the newest moment up to which every journal entry is in InfluxDB: about POLL_INTERVAL while caught up (absent at start).',
    registers,
    collect() {
      this.reset();
      const lag = stats.lagSeconds(Date.now());
      if (lag !== null) this.set(lag);
    },
  });

  const ollama: OllamaMetrics = {
    requests: new RequestMetrics(registry),
    modelLoads: new Counter({ name: 'ollama_model_loads_total', help: 'Model loads started.', labelNames: ['model'], registers }),
    modelLoadErrors: new Counter({ name: 'ollama_model_load_errors_total', help: 'Model loads that failed.', labelNames: ['model'], registers }),
    modelLoadDuration: new Histogram({
      name: 'ollama_model_load_duration_seconds',
      help: 'Time from starting a runner to the runner responding, as Ollama logged it.',
      labelNames: ['model'],
      buckets: LOAD_BUCKETS,
      registers,
    }),
    promptTruncations: new Counter({ name: 'ollama_prompt_truncations_total', help: 'Prompts Ollama truncated to the context size.', labelNames: ['model'], registers }),
    vramAvailable: new Gauge({ name: 'ollama_vram_available_bytes', help: 'VRAM available per GPU, as Ollama last logged it.', labelNames: ['gpu'], registers }),
  };
  new Gauge({
    name: 'ollama_model_loaded',
    help: '1 while the model is loaded per the lifecycle reconstruction, else 0.',
    labelNames: ['model'],
    registers,
    collect() {
      this.reset();
      for (const [model, value] of loaded()) this.set({ model }, value);
    },
  });
  return { registry, ollama };
}

type Sample = readonly [Record<string, string>, number];

/** A counter whose value lives in Stats: set from it at each scrape (every known label set, 0 included, so rate() works from the start). */
function mirror(registry: Registry, name: string, help: string, labelNames: string[], read: () => Sample[]): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}
