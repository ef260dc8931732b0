// The timeline's bars as `ollama_timeline` points, what the Grafana lifecycle panels read with a
// short query. A point's key is host + layer + kind + session (when the bar has one) + the bar's
// start, all stable as the reconstruction is recomputed, so rewriting a range overwrites its bars instead of adding rows;
// what can change (the lane, the end of a session still open) is in fields.

import { escapeTag, fieldValue } from '../influx/points/escape.js';
import { LineBatch } from '../influx/line-batch.js';
import { type Bar, barsOf } from '../ollama/lifecycle/bars.js';
import { epochNs, isoUtc } from '../time.js';
import type { Timeline } from '../ollama/lifecycle/types.js';
import { TIMELINE_MEASUREMENT } from '../influx/measurements.js';

/**
 * Appends a bar's line to the batch piece by piece. No line is built as a string: a busy day's timeline
 * is hundreds of thousands of lines, and their strings (and the copies V8 flattens them into) made most
 * of what the daemon allocated while storing it (bench/daemon-rss.mjs).
 */
export function writeSpanLine(batch: LineBatch, bar: Bar, host: string): void {
  batch.beginLine();
  batch.utf8(TIMELINE_MEASUREMENT);
  batch.utf8(',host=');
  batch.utf8(escapeTag(host));
  batch.utf8(',layer=');
  batch.utf8(bar.layer);
  batch.utf8(',kind=');
  batch.utf8(escapeTag(bar.kind));
  if (bar.session !== null) {
    batch.utf8(',session=');
    batch.utf8(escapeTag(bar.session));
  }
  batch.utf8(' series=');
  batch.utf8(fieldValue(bar.series)!);
  batch.utf8(',end=');
  batch.utf8(fieldValue(isoUtc(bar.end))!);
  for (const key in bar.details) {
    const encoded = fieldValue(bar.details[key]);
    if (encoded === null) continue;
    batch.utf8(',');
    batch.utf8(escapeTag(key));
    batch.utf8('=');
    batch.utf8(encoded);
  }
  batch.utf8(' ');
  batch.utf8(epochNs(bar.start));
  batch.endLine();
}

/** The lines as text (for tests and tools; the daemon writes them with writeSpanLine). */
export function spanLines(timeline: Timeline): string[] {
  const batch = new LineBatch();
  for (const bar of barsOf(timeline)) writeSpanLine(batch, bar, timeline.host);
  return Array.from({ length: batch.lines }, (_, i) => batch.line(i));
}
