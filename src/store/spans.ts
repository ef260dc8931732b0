// The timeline's bars as `ollama_timeline` points, what the Grafana lifecycle panels read with a
// short query. A point's key is host + layer + kind + session (when the bar has one) + the bar's
// start, all stable as the reconstruction is recomputed, so rewriting a range overwrites its bars instead of adding rows;
// what can change (the lane, the end of a session still open) is in fields.

import { escapeTag, quoteField } from '../influx/points/escape.js';
import { type Bar, timelineBars } from '../ollama/lifecycle/bars.js';
import { epochNs, isoUtc } from '../time.js';
import type { Timeline } from '../ollama/lifecycle/types.js';
import { TIMELINE_MEASUREMENT } from '../influx/measurements.js';

function fieldValue(value: string | number | boolean): string {
  if (typeof value === 'string') return quoteField(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value); // a float, as every number in the structured measurements
}

export function spanLine(bar: Bar, host: string): string {
  const fields: [string, string | number | boolean][] = [
    ['series', bar.series],
    ['end', isoUtc(bar.end)],
  ];
  for (const [key, value] of Object.entries(bar.details)) {
    if (value === null) continue;
    fields.push([key, value]);
  }
  const session = bar.session === null ? '' : `,session=${escapeTag(bar.session)}`;
  const tags = `host=${escapeTag(host)},layer=${bar.layer},kind=${escapeTag(bar.kind)}${session}`;
  return `${TIMELINE_MEASUREMENT},${tags} ${fields.map(([k, v]) => `${escapeTag(k)}=${fieldValue(v)}`).join(',')} ${epochNs(bar.start)}`;
}

export function spanLines(timeline: Timeline): string[] {
  return timelineBars(timeline).map((bar) => spanLine(bar, timeline.host));
}
