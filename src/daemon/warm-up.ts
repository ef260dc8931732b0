// After a restart the lifecycle tracker knows nothing of the models loaded before it: rebuild its
// state from what InfluxDB already holds up to the checkpoint, so the entries read next get the
// `model` tag they would have had without the restart (the tag is part of a request point's key).

import type { CheckpointStore } from '../journal/checkpoint.js';
import type { Runtime } from '../runtime.js';
import { readTimelineInput } from '../store/timeline-source.js';
import type { OllamaActivity } from '../telemetry/ollama-activity.js';
import { DAY_MS } from '../time.js';

/** Requests and events this far before the checkpoint; sessions begun earlier come from the server start (source.ts). */
const WARM_UP_MS = DAY_MS;

export async function warmUpActivity(activity: OllamaActivity, checkpoints: CheckpointStore, runtime: Runtime): Promise<void> {
  const { config, logger } = runtime;
  const saved = checkpoints.load();
  if (saved === null) return;
  // Up to, not including, the checkpoint's millisecond: what comes after it is read again and observed.
  const stop = Math.floor(Number(saved.realtimeUs) / 1000);
  try {
    const input = await readTimelineInput(runtime.query, config.hostTag, stop - WARM_UP_MS, stop);
    activity.warmUp(input);
    logger.debug({ events: input.events.length, requests: input.requests.length }, 'lifecycle state restored from InfluxDB');
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'could not read the recent lifecycle from InfluxDB; request model tags start from what is read next');
  }
}
