// Wires config into the pipeline's parts: one place that knows how they fit together.

import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { ONE_SHOT_MAX_ATTEMPTS, Sink } from '../influx/sink.js';
import { newestLogPoint } from '../store/newest-log-point.js';
import { createWriteClient } from '../influx/write-client.js';
import { CheckpointStore } from '../journal/checkpoint.js';
import { configuredJournal } from '../journal/source.js';
import { createByteEncoder } from '../pipeline/byte-encoder.js';
import { InventoryJob } from './inventory-job.js';
import { TimelineJob } from './timeline-job.js';
import { warmUpActivity } from './warm-up.js';
import { shipAvailable, type ShipResult } from './ship.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { OllamaActivity } from '../telemetry/ollama-activity.js';
import { Stats } from '../telemetry/stats.js';

export interface Runtime {
  readonly stats: Stats;
  readonly metrics: Metrics;
  readonly activity: OllamaActivity;
  readonly sink: Sink;
  readonly inventory: InventoryJob;
  readonly timeline: TimelineJob;
  readonly checkpoints: CheckpointStore;
  ship(): Promise<ShipResult>;
}

export function createRuntime(config: Config, logger: Logger, signal: AbortSignal, mode: 'daemon' | 'one-shot'): Runtime {
  const stats = new Stats();
  const sink = new Sink(createWriteClient(config.influx), {
    logger,
    stats,
    signal,
    maxAttempts: mode === 'daemon' ? null : ONE_SHOT_MAX_ATTEMPTS,
  });
  const inventory = new InventoryJob(config, logger);
  const checkpoints = new CheckpointStore(config.stateDir);
  // The lifecycle tracker runs in one-shot mode too: the `model` tag is part of a request point's key,
  // so `once` and `run` must tag the same entry alike.
  const metrics = createMetrics(stats, () => activity.loadedNow(Date.now()));
  const activity = new OllamaActivity(metrics.ollama, inventory.namesBySha256, inventory.modelFor);
  const encoder = createByteEncoder({
    host: config.hostTag,
    msgHashMode: config.msgHashMode,
    modelFor: inventory.modelFor,
    observe: activity.observe,
  });
  let warmedUp = false;
  const source = configuredJournal(config);
  return {
    stats,
    metrics,
    activity,
    sink,
    inventory,
    timeline: new TimelineJob(config, logger),
    checkpoints,
    ship: async () => {
      if (!warmedUp) {
        warmedUp = true;
        await warmUpActivity(activity, checkpoints, config, logger);
      }
      return shipAvailable({
        source,
        initialLookbackMs: config.initialLookbackMs,
        unit: config.ollamaUnit,
        checkpoints,
        encoder,
        sink,
        stats,
        logger,
        signal,
        now: Date.now,
        newestShipped: async (sinceMs) => {
          const newest = await newestLogPoint(config.influx, config.hostTag, sinceMs);
          if (newest === null) return null;
          const ours = !newest.fromOriginalTranslator;
          return {
            timeNs: newest.timeNs,
            writtenBy: ours ? 'ollama-influx' : 'original translator',
            sameKeys: ours && newest.msgHashTag === (config.msgHashMode === 'tag'),
          };
        },
      });
    },
  };
}
