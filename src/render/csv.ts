// The timeline in the seed's Gantt shape (gantt-flux-journal step 12): `_time,_value,endTime,series,layer`.
// `_value` names what the bar is (colour key), `series` the lane, `layer` the drawing layer.

import { timelineBars } from '../ollama/lifecycle/bars.js';
import { isoUtc } from '../time.js';
import type { Timeline } from '../ollama/lifecycle/types.js';

export const CSV_HEADER = '_time,_value,endTime,series,layer';

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Unattributed requests turned into bars at a time: a week of them is never one list of bars. */
const BARS_AT_ONCE = 1000;

function* rows(timeline: Timeline): Generator<string> {
  for (const bar of timelineBars(timeline)) yield `${[isoUtc(bar.start), bar.kind, isoUtc(bar.end), bar.series, bar.layer].map(cell).join(',')}\n`;
}

/** The CSV in pieces, a session (or a thousand unattributed requests) at a time, in timelineBars' order. */
export function* renderCsvChunks(timeline: Timeline): Generator<string> {
  yield `${CSV_HEADER}\n`;
  const none = { sessions: [], unattributedRequests: [], unattributedWarnings: [] };
  for (const session of timeline.sessions) yield* rows({ ...timeline, ...none, sessions: [session] });
  for (let i = 0; i < timeline.unattributedRequests.length; i += BARS_AT_ONCE) {
    yield* rows({ ...timeline, ...none, unattributedRequests: timeline.unattributedRequests.slice(i, i + BARS_AT_ONCE) });
  }
  yield* rows({ ...timeline, ...none, unattributedWarnings: timeline.unattributedWarnings });
}

export function renderCsv(timeline: Timeline): string {
  return [...renderCsvChunks(timeline)].join('');
}
