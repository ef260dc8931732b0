// Stores a timeline's bars in `ollama_timeline`. Storing a range again overwrites its points (see
// spans.ts), so a scheduler can rebuild and store the last hour every minute.

import type { InfluxSettings } from '../../config/schema.js';
import { OllamaInfluxError } from '../../errors.js';
import { decideWrite } from '../../influx/retry.js';
import { createWriteClient } from '../../influx/write-client.js';
import { spanLines } from './spans.js';
import type { Timeline } from './types.js';

const BATCH_LINES = 5000;

/** Writes the bars of an already built timeline; one awaited write per batch, failures thrown. */
export async function writeSpans(influx: InfluxSettings, timeline: Timeline): Promise<number> {
  const lines = spanLines(timeline);
  const client = createWriteClient(influx);
  for (let i = 0; i < lines.length; i += BATCH_LINES) {
    const batch = lines.slice(i, i + BATCH_LINES);
    const outcome = await client.write(batch.join('\n'));
    const decision = decideWrite(outcome, batch.length);
    if (decision.action === 'done') continue;
    const reason = outcome.kind === 'http' ? `HTTP ${outcome.status}: ${outcome.body}` : outcome.kind === 'network' ? `${outcome.code}: ${outcome.message}` : '';
    if (decision.action === 'config') {
      throw decision.errorType === 'bucket_not_found'
        ? new OllamaInfluxError('OI_ERR_INFLUX_BUCKET', `InfluxDB: bucket or org not found (${reason})`)
        : new OllamaInfluxError('OI_ERR_INFLUX_AUTH', `InfluxDB refused the token for writing (${reason})`);
    }
    if (decision.action === 'retry') throw new OllamaInfluxError('OI_ERR_INFLUX_UNREACHABLE', `InfluxDB write failed (${reason})`);
    throw new Error(`InfluxDB rejected timeline points (${reason})`);
  }
  return lines.length;
}
