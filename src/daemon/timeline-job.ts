// Rebuilds the model lifecycle timeline of the recent past and stores its bars in `ollama_timeline`
// (what the Grafana lifecycle panels read). Storing a range again overwrites its bars, so each run
// simply covers everything since the previous run with an hour of overlap: sessions still open are
// updated, and after downtime the gap is filled.

import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Sink } from '../influx/sink.js';
import type { QueryClient } from '../store/query-client.js';
import { buildTimeline } from '../ollama/lifecycle/build.js';
import { readTimelineInput } from '../store/timeline-source.js';
import { writeSpans } from '../store/write-spans.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time.js';

export const TIMELINE_INTERVAL_MS = MINUTE_MS;
const OVERLAP_MS = HOUR_MS;
const FIRST_RUN_WINDOW_MS = DAY_MS;
const PAGE_MS = HOUR_MS;

export class TimelineJob {
  private lastStop: number | null = null;

  constructor(
    private readonly config: Config,
    private readonly query: QueryClient,
    private readonly logger: Logger,
  ) {}

  async refresh(sink: Sink, nowMs: number): Promise<number> {
    const start = (this.lastStop ?? nowMs - FIRST_RUN_WINDOW_MS + OVERLAP_MS) - OVERLAP_MS;
    const host = this.config.hostTag;
    let bars = 0;
    let sessions = 0;
    // One page at a time: each holds the requests of one hour, whatever the day's total (a busy
    // host logs hundreds of thousands), and earlier requests only as the keep-alive chain needs them.
    // A session spanning pages is stored again by each; its key does not change, so the last wins.
    for (let pageStart = start; pageStart < nowMs; pageStart += PAGE_MS) {
      const pageStop = Math.min(nowMs, pageStart + PAGE_MS);
      const input = await readTimelineInput(this.query, host, pageStart, pageStop, { everyRequestFrom: pageStart });
      const timeline = buildTimeline(input, { host, start: pageStart, stop: pageStop });
      bars += await writeSpans(sink, timeline);
      sessions = Math.max(sessions, timeline.sessions.length);
    }
    this.lastStop = nowMs;
    this.logger.debug({ sessions, bars, start: new Date(start).toISOString() }, 'timeline stored');
    return bars;
  }
}
