// Stores a timeline's bars in `ollama_timeline`. Storing a range again overwrites its points (see
// spans.ts), so the daemon rebuilds and stores the recent past every minute.

import { type Sink, standaloneBatch } from '../influx/sink.js';
import { writeSpanLine } from './spans.js';
import { barsOf } from '../ollama/lifecycle/bars.js';
import type { Timeline } from '../ollama/lifecycle/types.js';

const LABEL = 'timeline';

/**
 * Writes the bars of an already built timeline through the sink (its retry and error handling), a
 * batch at a time into one reused batch: a day of a busy host is hundreds of thousands of request
 * bars, and holding them all (as bars and line strings) until the last write grew the daemon's heap
 * by ~100 MB between full GCs (bench/daemon-rss.mjs).
 */
export async function writeSpans(sink: Sink, timeline: Timeline): Promise<number> {
  const batch = standaloneBatch([], LABEL, timeline.stop);
  let written = 0;
  for (const bar of barsOf(timeline)) {
    writeSpanLine(batch, bar, timeline.host);
    if (batch.full()) {
      await sink.write(batch);
      written += batch.lines;
      standaloneBatch([], LABEL, timeline.stop, batch);
    }
  }
  if (batch.lines > 0) await sink.write(batch);
  return written + batch.lines;
}
