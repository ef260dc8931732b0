// Stores a timeline's bars in `ollama_timeline`. Storing a range again overwrites its points (see
// spans.ts), so the daemon rebuilds and stores the recent past every minute.

import { MAX_BATCH_LINES } from '../influx/line-batch.js';
import { type Sink, standaloneBatch } from '../influx/sink.js';
import { spanLines } from './spans.js';
import type { Timeline } from '../ollama/lifecycle/types.js';

/** Writes the bars of an already built timeline through the sink (its retry and error handling). */
export async function writeSpans(sink: Sink, timeline: Timeline): Promise<number> {
  const lines = spanLines(timeline);
  for (let i = 0; i < lines.length; i += MAX_BATCH_LINES) {
    await sink.write(standaloneBatch(lines.slice(i, i + MAX_BATCH_LINES), 'timeline', timeline.stop));
  }
  return lines.length;
}
