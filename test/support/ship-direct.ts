// Runs one shipping pass in-process (shipAvailable with the real journalctl, sink and InfluxDB), with a
// hook that may throw for an entry: fault injection for what no real input triggers yet.

import type { Logger } from 'pino';
import { createByteEncoder } from '../../src/pipeline/byte-encoder.js';
import { Sink } from '../../src/influx/sink.js';
import { createWriteClient } from '../../src/influx/write-client.js';
import { LineBatchPool } from '../../src/influx/line-batch.js';
import { CheckpointStore } from '../../src/journal/checkpoint.js';
import { type ShipResult, shipAvailable } from '../../src/daemon/ship.js';
import { Stats } from '../../src/telemetry/stats.js';
import type { BucketTarget } from './influx.js';

export async function ship(
  target: BucketTarget,
  journalDir: string,
  stateDir: string,
  logger: Logger,
  before: (line: string) => void,
  pool = new LineBatchPool(),
): Promise<ShipResult> {
  const stats = new Stats();
  const signal = new AbortController().signal;
  const sink = new Sink(createWriteClient(target), { logger, stats, signal, maxAttempts: 3 });
  const encoder = createByteEncoder({ host: 'test-host', msgHashMode: 'tag', modelFor: () => null });
  return shipAvailable({
    source: { unit: 'ollama', journalDir, command: ['journalctl'] },
    initialLookbackMs: null,
    unit: 'ollama',
    checkpoints: new CheckpointStore(stateDir),
    encoder: {
      encode(line, start, end, batch) {
        encoder.encode(line, start, end, batch);
        before(line.toString('utf8', start, end));
      },
      get fallbacks() {
        return encoder.fallbacks;
      },
    },
    pool,
    sink,
    stats,
    logger,
    signal,
    now: Date.now,
  });
}
