// One pass of the pipeline: read every entry after the checkpoint, write it, move the checkpoint.
// Batches are written at most three at a time and committed strictly in order, each only after
// InfluxDB acknowledged it (an ordered finalizer), so a crash at any point loses nothing and a
// replay only overwrites identical points.

import type { Logger } from 'pino';
import type { CheckpointStore } from '../journal/checkpoint.js';
import { entryTimeMs, type JournalEntry } from '../journal/entry.js';
import { readJournal, type JournalSourceSettings, type ReadPosition } from '../journal/source.js';
import type { EntryEncoder } from '../influx/points/encode.js';
import type { Batch, Sink } from '../influx/sink.js';
import type { Stats } from './stats.js';

export const MAX_BATCH_LINES = 5000;
const MAX_BATCH_BYTES = 2 * 1024 * 1024;
export const MAX_IN_FLIGHT = 3;

export interface ShipDeps {
  readonly source: JournalSourceSettings;
  /** First run only: how far back to start (null: the whole journal). */
  readonly initialLookbackMs: number | null;
  readonly unit: string;
  readonly checkpoints: CheckpointStore;
  readonly encode: EntryEncoder;
  readonly sink: Sink;
  readonly stats: Stats;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly now: () => number;
}

export interface ShipResult {
  read: number;
  written: number;
  skipped: number;
  cursor: string | null;
}

export async function shipAvailable(deps: ShipDeps): Promise<ShipResult> {
  const { stats, logger, checkpoints } = deps;
  const saved = checkpoints.load();
  const position: ReadPosition = saved !== null
    ? { cursor: saved.cursor }
    : { sinceMs: deps.initialLookbackMs === null ? null : deps.now() - deps.initialLookbackMs };
  const before = { written: stats.points_written_total, skipped: stats.lines_skipped_total };
  const result: ShipResult = { read: 0, written: 0, skipped: 0, cursor: saved?.cursor ?? null };

  const inFlight: { batch: Batch; done: Promise<void> }[] = [];
  const commitOldest = async (): Promise<void> => {
    const { batch, done } = inFlight.shift()!;
    await done;
    checkpoints.save({ cursor: batch.lastCursor, realtimeUs: String(Math.round(batch.lastEntryMs * 1000)), unit: deps.unit });
    stats.last_acked_entry_ms = batch.lastEntryMs;
    result.cursor = batch.lastCursor;
  };
  const submit = async (batch: Batch): Promise<void> => {
    const done = deps.sink.write(batch);
    done.catch(() => undefined); // observed in commitOldest; avoids an unhandled rejection meanwhile
    inFlight.push({ batch, done });
    if (inFlight.length >= MAX_IN_FLIGHT) await commitOldest();
  };

  let builder = new BatchBuilder();
  try {
    const hooks = {
      signal: deps.signal,
      onCursorLost: (cursor: string, resumedAt: JournalEntry) => {
        stats.countJournalError('cursor_lost');
        logger.warn(
          { error_type: 'cursor_lost', lost_cursor: cursor, resumed_at: new Date(entryTimeMs(resumedAt)).toISOString() },
          'the saved journal cursor no longer exists (journal vacuumed or rotated); resuming at the oldest entry',
        );
      },
    };
    for await (const entries of readJournal(deps.source, position, hooks)) {
      for (const entry of entries) {
        builder.add(entry, deps.encode);
        if (builder.full()) {
          await submit(builder.finish());
          builder = new BatchBuilder();
        }
      }
      result.read += entries.length;
      stats.entries_read_total += entries.length;
    }
    if (!builder.empty()) await submit(builder.finish());
    while (inFlight.length > 0) await commitOldest();
  } finally {
    result.written = stats.points_written_total - before.written;
    result.skipped = stats.lines_skipped_total - before.skipped;
  }
  return result;
}

class BatchBuilder {
  private readonly lines: string[] = [];
  private readonly cursors: string[] = [];
  private bytes = 0;
  private entries = 0;
  private last: JournalEntry | null = null;

  add(entry: JournalEntry, encode: EntryEncoder): void {
    const start = this.lines.length;
    encode(entry, this.lines);
    for (let i = start; i < this.lines.length; i++) {
      this.cursors.push(entry.cursor);
      this.bytes += this.lines[i]!.length + 1;
    }
    this.entries++;
    this.last = entry;
  }

  full(): boolean {
    return this.lines.length >= MAX_BATCH_LINES || this.bytes >= MAX_BATCH_BYTES;
  }

  empty(): boolean {
    return this.entries === 0;
  }

  finish(): Batch {
    const last = this.last!;
    return { lines: this.lines, cursors: this.cursors, entries: this.entries, lastCursor: last.cursor, lastEntryMs: entryTimeMs(last) };
  }
}
