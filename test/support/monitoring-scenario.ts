// The timeline scenario's journal moved to just before now (the read API's windows end now), with
// what a person reads off its lines by hand: each [GIN] line's end, latency, status and the model that
// alone can have served it (see the comments in timeline-scenario.ts).

import type { FixtureEntry } from './journal.js';
import { isoToMs, scenarioJournalEntries } from './timeline-scenario.js';

/** [end (scenario time), latency ms as gin printed it, status, model or null] for the 16 [GIN] lines. */
export const SCENARIO_REQUESTS: readonly (readonly [string, number, number, string | null])[] = [
  ['2025-07-22T23:21:00.000Z', 0.04107, 200, null], // HEAD /
  ['2025-07-22T23:21:30.000Z', 0.5121, 404, null],
  ['2025-07-22T23:26:41.533557Z', 18133.557, 200, 'gemma3:12b'],
  ['2025-07-22T23:26:42.564446Z', 5062.093, 200, 'gemma3:12b'],
  ['2025-07-22T23:26:50.000Z', 1.203, 200, null], // GET /api/tags
  ['2025-07-22T23:27:25.671126Z', 528.425, 200, 'gemma3:1b'],
  ['2025-07-22T23:27:34.994052Z', 20894.052, 200, 'gemma3:1b'],
  ['2025-07-22T23:28:30.100Z', 15100, 200, null],
  ['2025-07-22T23:29:21.458032Z', 33182.823, 200, null],
  ['2025-07-23T00:32:10.000Z', 6100, 200, 'phi4:latest'],
  ['2025-07-23T00:33:00.000Z', 2500, 200, 'phi4:latest'],
  ['2025-07-23T00:40:10.000Z', 10200, 200, 'qwen3:8b'],
  ['2025-07-23T00:45:04.010Z', 4200, 500, null],
  ['2025-07-23T00:47:00.000Z', 1.2, 200, 'qwen3:8b'],
  ['2025-07-23T00:50:05.000Z', 5100, 200, 'gemma3:1b'],
  ['2025-07-23T00:52:20.000Z', 20050, 200, 'phi4:latest'],
];

/** The scenario's last line, put this long before the moment the journal is written. */
const LAST_LINE_AGO_MS = 180_000;

/** Milliseconds to add to a scenario time (whole ms, so µs stay exact). */
export function shiftFor(nowMs: number): number {
  return Math.round(nowMs - LAST_LINE_AGO_MS - isoToMs('2025-07-23T00:52:20Z'));
}

export function shiftedEntries(shiftMs: number): FixtureEntry[] {
  return scenarioJournalEntries().map((e) => ({ ...e, realtimeUs: e.realtimeUs + BigInt(shiftMs) * 1000n }));
}
