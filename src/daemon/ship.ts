// One pass of the pipeline: read every entry after the checkpoint, write it, move the checkpoint.
// Batches are written at most three at a time and committed strictly in order, each only after
// InfluxDB acknowledged it (an ordered finalizer), so a crash at any point loses nothing and a
// replay only overwrites identical points. Batches are bytes in a few pooled buffers (LineBatch):
// nothing per line stays on the JS heap while InfluxDB has a batch.

import type { Logger } from 'pino';
import type { Checkpoint, CheckpointStore } from '../journal/checkpoint.js';
import { entryTimeMs, type JournalEntry } from '../journal/entry.js';
import { JournalDecodeError } from '../journal/decode.js';
import { forEachLine, MAX_LINE_BYTES } from '../journal/lines.js';
import { rawEntryPlace, readJournalChunks, type JournalSourceSettings, type ReadPosition } from '../journal/source.js';
import type { LineBatch, LineBatchPool } from '../influx/line-batch.js';
import type { Sink } from '../influx/sink.js';
import type { ByteEncoder } from '../pipeline/byte-encoder.js';
import type { Stats } from '../telemetry/stats.js';

export const MAX_IN_FLIGHT = 3;
/** While batches keep coming, the checkpoint is saved at most this often (and always at the end of a pass). */
const CHECKPOINT_EVERY_MS = 1000;

interface ShipDeps {
  readonly source: JournalSourceSettings;
  /** First run only: how far back to start (null: the whole journal). */
  readonly initialLookbackMs: number | null;
  readonly unit: string;
  readonly checkpoints: CheckpointStore;
  readonly encoder: ByteEncoder;
  /**
   * The batches' buffers, kept from pass to pass: an idle pass then allocates none (a fresh 2.5 MB
   * buffer per pass counts as external memory and brings on a full GC every few passes).
   */
  readonly pool: LineBatchPool;
  readonly sink: Sink;
  readonly stats: Stats;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly now: () => number;
  /** First run only: the newest `ollama_logs` point this host already has (see newest-log-point.ts). */
  readonly newestShipped?: (sinceMs: number | null) => Promise<NewestShipped | null>;
}

interface NewestShipped {
  readonly timeNs: bigint;
  /** Who wrote it, for the log line. */
  readonly writtenBy: 'original translator' | 'ollama-influx';
  /** Re-sending its entries would produce the very same keys (ours, with the same MSG_HASH_MODE). */
  readonly sameKeys: boolean;
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
  let position: ReadPosition = saved !== null
    ? { cursor: saved.cursor }
    : { sinceMs: deps.initialLookbackMs === null ? null : deps.now() - deps.initialLookbackMs };
  // Entries at or before this microsecond are already in the bucket (first run after another tool).
  let shippedThroughUs: bigint | null = null;
  if (saved === null && 'sinceMs' in position && deps.newestShipped !== undefined) {
    const newest = await deps.newestShipped(position.sinceMs);
    if (newest !== null) {
      // With the same keys, the newest microsecond is sent again (a burst may have been cut between two
      // batches; re-sending overwrites). With other keys (the original translator's, or the other
      // MSG_HASH_MODE) re-sending would add rows, so that microsecond is passed over as a whole.
      const newestUs = newest.timeNs / 1000n;
      shippedThroughUs = newest.sameKeys ? newestUs - 1n : newestUs;
      position = { sinceMs: Number(newestUs / 1000n) };
      logger.info(
        { newest_point: new Date(Number(newestUs / 1000n)).toISOString(), written_by: newest.writtenBy },
        'first run: the bucket already has ollama_logs for this host; starting after its newest point',
      );
    }
  }
  const before = { written: stats.points_written_total, skipped: stats.lines_skipped_total };
  const result: ShipResult = { read: 0, written: 0, skipped: 0, cursor: saved?.cursor ?? null };

  const { pool } = deps;
  const inFlight: { batch: LineBatch; done: Promise<void> }[] = [];
  // Checkpoints are saved one after another in acknowledgement order, without holding up the pass
  // (an fsync takes milliseconds), and at most once per CHECKPOINT_EVERY_MS while batches keep coming:
  // a catch-up acknowledges a batch every few milliseconds, and each save is four syscalls and two
  // fsyncs. The pass saves the newest one before it returns. A crash before a save only means re-sending
  // what it would have covered, which overwrites identical points.
  let saving: Promise<void> = Promise.resolve();
  let unsaved: { checkpoint: Checkpoint; lastEntryMs: number } | null = null;
  let lastSaveAt = -Infinity;
  const saveNewest = (): void => {
    if (unsaved === null) return;
    const { checkpoint, lastEntryMs } = unsaved;
    unsaved = null;
    lastSaveAt = deps.now();
    saving = saving.then(async () => {
      await checkpoints.save(checkpoint);
      stats.last_acked_entry_ms = lastEntryMs;
      result.cursor = checkpoint.cursor;
    });
    saving.catch(() => undefined); // surfaced by the await at the end of the pass
  };
  const commitOldest = async (): Promise<void> => {
    const { batch, done } = inFlight.shift()!;
    await done;
    const lastEntryMs = batch.lastEntryMs;
    unsaved = { checkpoint: { cursor: batch.lastCursor(), realtimeUs: String(Math.round(lastEntryMs * 1000)), unit: deps.unit }, lastEntryMs };
    pool.release(batch);
    if (deps.now() - lastSaveAt >= CHECKPOINT_EVERY_MS) saveNewest();
  };
  const submit = async (batch: LineBatch): Promise<void> => {
    // A batch of skipped entries only has a cursor to commit.
    const done = batch.lines === 0 ? Promise.resolve() : deps.sink.write(batch);
    done.catch(() => undefined); // observed in commitOldest; avoids an unhandled rejection meanwhile
    inFlight.push({ batch, done });
    if (inFlight.length >= MAX_IN_FLIGHT) await commitOldest();
  };

  let batch = pool.acquire();
  try {
    const hooks = {
      signal: deps.signal,
      onCursorLost: (cursor: string, resumedAt: JournalEntry | null) => {
        stats.countJournalError('cursor_lost');
        logger.warn(
          { error_type: 'cursor_lost', lost_cursor: cursor, resumed_at: resumedAt === null ? null : new Date(entryTimeMs(resumedAt)).toISOString() },
          'the saved journal cursor no longer exists (journal vacuumed or rotated); resuming at the oldest entry',
        );
      },
      onOversizedLine: (ends: string, bytes: number) => {
        result.read++;
        stats.entries_read_total++;
        skipEntry(ends, 'decode_failed', `entry of ${bytes} bytes is longer than a journal line may be (${MAX_LINE_BYTES} bytes)`);
      },
    };
    // A poison pill (an entry that cannot be decoded, or whose encoding throws) is counted, logged
    // with its cursor and passed over: one bad entry must not stop this pass and every later one.
    const skipEntry = (text: string, errorType: 'decode_failed' | 'parse_failed', reason: string): void => {
      const { cursor, realtimeUs } = rawEntryPlace(text);
      stats.countJournalError(errorType);
      logger.warn({ error_type: errorType, cursor, realtime_us: realtimeUs, reason: reason.slice(0, MAX_REASON_CHARS) }, 'journal entry skipped');
      // An entry without lines: the checkpoint moves past it once the batch is acknowledged.
      if (cursor !== null && realtimeUs !== null) {
        const bytes = Buffer.from(cursor, 'latin1');
        batch.beginEntry(bytes, 0, bytes.length, Number(realtimeUs) / 1000);
      }
    };
    for await (const chunk of readJournalChunks(deps.source, position, hooks)) {
      let read = 0;
      const full: LineBatch[] = [];
      forEachLine(chunk, (start, end) => {
        if (shippedThroughUs !== null) {
          const { cursor, realtimeUs } = rawEntryPlace(lineEnds(chunk, start, end));
          if (cursor !== null && realtimeUs !== null && BigInt(realtimeUs) <= shippedThroughUs) {
            const bytes = Buffer.from(cursor, 'latin1');
            batch.beginEntry(bytes, 0, bytes.length, Number(realtimeUs) / 1000);
            read++;
            return;
          }
          shippedThroughUs = null;
        }
        batch.mark();
        try {
          deps.encoder.encode(chunk, start, end, batch);
        } catch (err) {
          batch.rollback();
          skipEntry(lineEnds(chunk, start, end), err instanceof JournalDecodeError ? 'decode_failed' : 'parse_failed', (err as Error)?.message ?? String(err));
        }
        read++;
        if (batch.full()) {
          full.push(batch);
          batch = pool.acquire();
        }
      });
      for (const ready of full) await submit(ready);
      result.read += read;
      stats.entries_read_total += read;
    }
    // An idle pass fills nothing: its batch goes back to the pool (not to the garbage collector).
    if (batch.entries > 0) await submit(batch);
    else pool.release(batch);
    while (inFlight.length > 0) await commitOldest();
    saveNewest();
    await saving;
  } finally {
    // A catch-up's batches go back to the garbage collector; one stays for the next pass.
    pool.trim(1);
    // A failed pass still saves what InfluxDB acknowledged and lets its saves finish: the next pass
    // must not race them.
    saveNewest();
    await saving.catch(() => undefined);
    result.written = stats.points_written_total - before.written;
    result.skipped = stats.lines_skipped_total - before.skipped;
  }
  return result;
}

/** A skipped entry's reason in the log: the error's first words, not a quoted megabyte line. */
const MAX_REASON_CHARS = 300;
/** Of an oversized line, this much of each end is kept: enough for the cursor and the time. */
const LINE_END_BYTES = 8192;

/** The two ends of a line as text: journalctl prints the cursor first, or last with --output-fields (systemd 252). */
function lineEnds(chunk: Buffer, start: number, end: number): string {
  if (end - start <= 2 * LINE_END_BYTES) return chunk.toString('utf8', start, end);
  return `${chunk.toString('utf8', start, start + LINE_END_BYTES)}\n${chunk.toString('utf8', end - LINE_END_BYTES, end)}`;
}
