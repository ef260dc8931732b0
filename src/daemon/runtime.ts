// Wires config into the pipeline's parts: one place that knows how they fit together.

import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { ONE_SHOT_MAX_ATTEMPTS, Sink } from '../influx/sink.js';
import { createWriteClient } from '../influx/write-client.js';
import { CheckpointStore } from '../journal/checkpoint.js';
import { createByteEncoder } from '../pipeline/byte-encoder.js';
import { InventoryJob } from './inventory-job.js';
import { TimelineJob } from './timeline-job.js';
import { shipAvailable, type ShipResult } from './ship.js';
import { Stats } from './stats.js';

export interface Runtime {
  readonly stats: Stats;
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
  const encoder = createByteEncoder({ host: config.hostTag, msgHashMode: config.msgHashMode, modelFor: inventory.modelFor });
  const source = { unit: config.ollamaUnit, journalDir: config.journalDir, command: config.journalctlCommand };
  return {
    stats,
    sink,
    inventory,
    timeline: new TimelineJob(config, logger),
    checkpoints,
    ship: () =>
      shipAvailable({
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
      }),
  };
}
