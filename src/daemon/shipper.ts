// The shipping pipeline built from a command's runtime (config, logger, sink, query client): the
// inventory and timeline jobs, the checkpoint store, the lifecycle tracker behind the metrics and
// the byte encoder. `run` loops over ship(), `once` calls it once.

import type { Runtime } from '../runtime.js';
import { newestLogPoint } from '../store/newest-log-point.js';
import { CheckpointStore } from '../journal/checkpoint.js';
import { configuredJournal } from '../journal/source.js';
import { createByteEncoder } from '../pipeline/byte-encoder.js';
import { LineBatchPool } from '../influx/line-batch.js';
import { InventoryJob } from './inventory-job.js';
import { TimelineJob } from './timeline-job.js';
import { warmUpActivity } from './warm-up.js';
import { shipAvailable, type ShipResult } from './ship.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { OllamaActivity } from '../telemetry/ollama-activity.js';

export interface Shipper {
  readonly metrics: Metrics;
  readonly activity: OllamaActivity;
  readonly inventory: InventoryJob;
  readonly timeline: TimelineJob;
  readonly checkpoints: CheckpointStore;
  ship(): Promise<ShipResult>;
}

export function createShipper(runtime: Runtime): Shipper {
  const { config, logger, stats, sink, signal } = runtime;
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
    observer: activity,
  });
  let warmedUp = false;
  const source = configuredJournal(config);
  const pool = new LineBatchPool();
  return {
    metrics,
    activity,
    inventory,
    timeline: new TimelineJob(config, runtime.query, logger),
    checkpoints,
    ship: async () => {
      if (!warmedUp) {
        warmedUp = true;
        await warmUpActivity(activity, checkpoints, runtime);
      }
      return shipAvailable({
        source,
        initialLookbackMs: config.initialLookbackMs,
        unit: config.ollamaUnit,
        checkpoints,
        encoder,
        pool,
        sink,
        stats,
        logger,
        signal,
        now: Date.now,
        newestShipped: async (sinceMs) => {
          const newest = await newestLogPoint(runtime.query, config.hostTag, sinceMs);
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
