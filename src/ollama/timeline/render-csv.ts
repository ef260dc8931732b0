// The timeline in the seed's Gantt shape (gantt-flux-journal step 12): `_time,_value,endTime,series,layer`.
// `_value` names what the bar is (colour key), `series` the lane, `layer` the drawing layer.

import { isoUtc } from './time.js';
import { type Timeline, sessionLabel } from './types.js';

export const CSV_HEADER = '_time,_value,endTime,series,layer';
/** The lane of requests and warnings no single session can claim. */
export const UNATTRIBUTED_SERIES = 'unattributed';

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function row(start: number, value: string, end: number, series: string, layer: string): string {
  return [isoUtc(start), value, isoUtc(end), series, layer].map(cell).join(',');
}

export function renderCsv(timeline: Timeline): string {
  const rows = [CSV_HEADER];
  for (const session of timeline.sessions) {
    const series = sessionLabel(session);
    rows.push(row(session.start, 'model_lifecycle', session.end, series, 'background'));
    if (session.loaded !== null) rows.push(row(session.start, 'model_loading', session.loaded, series, 'loading'));
    for (const r of session.requests) rows.push(row(r.start, 'api_request', r.end, series, 'execution'));
    for (const w of session.warnings) rows.push(row(w.time, w.kind, w.time, series, 'warning'));
    if (session.endReason !== 'open') rows.push(row(session.end, 'model_unload', session.end, series, 'unload'));
  }
  for (const r of timeline.unattributedRequests) rows.push(row(r.start, 'api_request', r.end, UNATTRIBUTED_SERIES, 'execution'));
  for (const w of timeline.unattributedWarnings) rows.push(row(w.time, w.kind, w.time, UNATTRIBUTED_SERIES, 'warning'));
  return `${rows.join('\n')}\n`;
}
