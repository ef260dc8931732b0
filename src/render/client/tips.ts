// The tooltip texts of the bars.

import type { LaneRequest, LaneWarning, SessionLane } from '../page-data.js';
import { clock, duration, when } from './format.js';

function candidatesNote(item: { readonly candidates?: readonly string[] }): string {
  if (item.candidates === undefined) return '';
  return `\ncandidates: ${item.candidates.length > 0 ? item.candidates.join(', ') : 'no model loaded'}`;
}

export function sessionTip(lane: SessionLane): string {
  const lines = [
    lane.label,
    `${lane.aliases.length > 0 ? `also: ${lane.aliases.join(', ')}\n` : ''}sha256: ${lane.sha256 ?? 'unknown'}`,
    `start:  ${when(lane.start)}`,
    `loaded: ${lane.loaded === null ? 'not seen' : `${when(lane.loaded)} (${lane.loadSeconds} s)`}`,
    `end:    ${when(lane.end)} — ${lane.endReason}${lane.endExact ? '' : ' (inferred)'}`,
    lane.endExact ? '' : `ended between ${when(lane.endEarliest)} and ${lane.endLatest === null ? 'not yet known' : when(lane.endLatest)}`,
    `GPU layers: ${lane.gpuLayers ?? '?'}, parallel: ${lane.parallel ?? '?'}`,
    `requests: ${lane.requests.length}, warnings: ${lane.warnings.length}`,
  ];
  return lines.filter((line) => line !== '').join('\n');
}

export function loadingTip(lane: SessionLane, loaded: number): string {
  return `loading ${lane.label}\n${when(lane.start)} → ${clock(loaded, true)} (${lane.loadSeconds} s)`;
}

export function unloadTip(lane: SessionLane): string {
  return `unloaded at ${when(lane.end)}\n${lane.endReason}${lane.endExact ? '' : ' (inferred)'}`;
}

export function requestTip(r: LaneRequest): string {
  return `${r.method} ${r.path} → ${r.status}\n${when(r.start)} → ${clock(r.end, true)} (${duration(r.latencyMs)})${candidatesNote(r)}`;
}

export function warningTip(w: LaneWarning): string {
  return `${w.kind} at ${when(w.time)}\n${w.message}${candidatesNote(w)}`;
}
