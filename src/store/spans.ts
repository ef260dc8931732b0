// The timeline's bars as `ollama_timeline` points, what the Grafana lifecycle panels read with a
// short query. A point's key is host + layer + kind + session (when the bar has one) + the bar's
// start, all stable as the reconstruction is recomputed, so rewriting a range overwrites its bars instead of adding rows;
// what can change (the lane, the end of a session still open) is in fields.

import { escapeTag, fieldValue } from '../influx/points/escape.js';
import { type Bar, timelineBars } from '../ollama/lifecycle/bars.js';
import { epochNs, isoUtc } from '../time.js';
import type { Timeline } from '../ollama/lifecycle/types.js';
import { TIMELINE_MEASUREMENT } from '../influx/measurements.js';

function spanLine(bar: Bar, host: string): string {
  const fields = [`series=${fieldValue(bar.series)}`, `end=${fieldValue(isoUtc(bar.end))}`];
  for (const [key, value] of Object.entries(bar.details)) {
    const encoded = fieldValue(value);
    if (encoded !== null) fields.push(`${escapeTag(key)}=${encoded}`);
  }
  const session = bar.session === null ? '' : `,session=${escapeTag(bar.session)}`;
  const tags = `host=${escapeTag(host)},layer=${bar.layer},kind=${escapeTag(bar.kind)}${session}`;
  return `${TIMELINE_MEASUREMENT},${tags} ${fields.join(',')} ${epochNs(bar.start)}`;
}

export function spanLines(timeline: Timeline): string[] {
  return timelineBars(timeline).map((bar) => spanLine(bar, timeline.host));
}
