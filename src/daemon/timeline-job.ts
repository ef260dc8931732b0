// Rebuilds the model lifecycle timeline of the recent past and stores its bars in `ollama_timeline`
// (what the Grafana lifecycle panels read). Storing a range again overwrites its bars, so each run
// simply covers everything since the previous run with an hour of overlap: sessions still open are
// updated, and after downtime the gap is filled.

import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Sink } from '../influx/sink.js';
import { buildTimeline } from '../ollama/timeline/build.js';
import { readTimelineInput } from '../ollama/timeline/source.js';
import { writeSpans } from '../ollama/timeline/write-spans.js';

export const TIMELINE_INTERVAL_MS = 60_000;
const OVERLAP_MS = 3_600_000;
const FIRST_RUN_WINDOW_MS = 86_400_000;

export class TimelineJob {
  private lastStop: number | null = null;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  async refresh(sink: Sink, nowMs: number): Promise<number> {
    const start = (this.lastStop ?? nowMs - FIRST_RUN_WINDOW_MS + OVERLAP_MS) - OVERLAP_MS;
    const host = this.config.hostTag;
    const input = await readTimelineInput(this.config.influx, host, start, nowMs);
    const timeline = buildTimeline(input, { host, start, stop: nowMs });
    const bars = await writeSpans(sink, timeline);
    this.lastStop = nowMs;
    this.logger.debug({ sessions: timeline.sessions.length, bars, start: new Date(start).toISOString() }, 'timeline stored');
    return bars;
  }
}
