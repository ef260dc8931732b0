// The timeline in the seed's Gantt shape (gantt-flux-journal step 12): `_time,_value,endTime,series,layer`.
// `_value` names what the bar is (colour key), `series` the lane, `layer` the drawing layer.

import { timelineBars } from '../ollama/lifecycle/bars.js';
import { isoUtc } from '../time.js';
import type { Timeline } from '../ollama/lifecycle/types.js';

export const CSV_HEADER = '_time,_value,endTime,series,layer';

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function renderCsv(timeline: Timeline): string {
  const rows = timelineBars(timeline).map((bar) => [isoUtc(bar.start), bar.kind, isoUtc(bar.end), bar.series, bar.layer].map(cell).join(','));
  return `${[CSV_HEADER, ...rows].join('\n')}\n`;
}
