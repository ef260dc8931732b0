// Writes one batch until InfluxDB has taken it: retries, backs off, bisects rejected batches to
// skip only the bad lines. It resolves only when every line is written or deliberately skipped,
// which is what lets the caller move the cursor.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { Stats } from '../daemon/stats.js';
import { OllamaInfluxError } from '../errors.js';
import { backoffDelay, CONFIG_BACKOFF, WRITE_BACKOFF } from './backoff.js';
import { decideWrite, type WriteOutcome } from './retry.js';
import type { WriteClient } from './write-client.js';

export interface Batch {
  readonly lines: string[];
  /** cursors[i] is the journal cursor of the entry lines[i] came from. */
  readonly cursors: string[];
  /** Entries in the batch (an entry gives one to three lines). */
  readonly entries: number;
  readonly lastCursor: string;
  readonly lastEntryMs: number;
}

export interface SinkOptions {
  readonly logger: Logger;
  readonly stats: Stats;
  readonly signal: AbortSignal;
  /**
   * Daemon: keep trying (the journal is the buffer). One-shot commands: give up after this many
   * attempts on transient errors and at once on configuration errors.
   */
  readonly maxAttempts: number | null;
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A batch of lines that come from no journal entry (inventory, timeline): nothing to checkpoint. */
export function standaloneBatch(lines: string[], label: string, timeMs: number): Batch {
  return { lines, cursors: lines.map(() => label), entries: 0, lastCursor: label, lastEntryMs: timeMs };
}

/** A sink for one-shot commands: gives up after a few attempts instead of waiting for ever. */
export function oneShotSink(client: WriteClient, logger: Logger, signal: AbortSignal = new AbortController().signal): Sink {
  return new Sink(client, { logger, stats: new Stats(), signal, maxAttempts: ONE_SHOT_MAX_ATTEMPTS });
}

/** One-shot commands give up after this many attempts on transient write errors. */
export const ONE_SHOT_MAX_ATTEMPTS = 6;

export class Sink {
  private readonly wait: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(
    private readonly client: WriteClient,
    private readonly options: SinkOptions,
  ) {
    this.wait = options.wait ?? ((ms, signal) => sleep(ms, undefined, { signal }));
  }

  async write(batch: Batch): Promise<void> {
    await this.send(batch.lines, batch.cursors);
    this.options.stats.batches_written_total++;
  }

  private async send(lines: string[], cursors: string[]): Promise<void> {
    const { logger, stats, signal, maxAttempts } = this.options;
    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      const outcome = await this.client.write(lines.join('\n'));
      const decision = decideWrite(outcome, lines.length);
      switch (decision.action) {
        case 'done':
          stats.points_written_total += lines.length;
          logger.debug({ lines: lines.length }, 'batch written');
          return;
        case 'split': {
          stats.countWriteError(decision.errorType);
          const mid = Math.ceil(lines.length / 2);
          logger.debug({ lines: lines.length, status: statusOf(outcome) }, 'batch rejected, bisecting');
          await this.send(lines.slice(0, mid), cursors.slice(0, mid));
          await this.send(lines.slice(mid), cursors.slice(mid));
          return;
        }
        case 'skip':
          stats.countWriteError(decision.errorType);
          stats.lines_skipped_total++;
          logger.warn(
            { cursor: cursors[0], error_type: decision.errorType, reason: reasonOf(outcome), line: lines[0]!.slice(0, 300) },
            'InfluxDB rejected a line; skipped it',
          );
          return;
        case 'retry':
        case 'config': {
          stats.countWriteError(decision.errorType);
          const isConfig = decision.action === 'config';
          const error = isConfig ? configFailure(decision.errorType, outcome) : null;
          if (error !== null && maxAttempts !== null) throw error;
          if (maxAttempts !== null && attempt >= maxAttempts) {
            throw new OllamaInfluxError('OI_ERR_INFLUX_UNREACHABLE', `InfluxDB write failed ${attempt} times: ${reasonOf(outcome)}`);
          }
          const delay =
            decision.action === 'retry' && decision.retryAfterMs !== null
              ? decision.retryAfterMs
              : backoffDelay(attempt, isConfig ? CONFIG_BACKOFF : WRITE_BACKOFF);
          stats.write_retries_total++;
          const details = { error_type: decision.errorType, reason: reasonOf(outcome), retry_in_ms: delay, attempt, cursor: cursors[0] };
          if (error !== null) logger.error({ ...details, code: error.code, fix: error.fix }, error.message);
          else logger.warn(details, 'InfluxDB write failed; will retry');
          await this.wait(delay, signal);
        }
      }
    }
  }
}

function statusOf(outcome: WriteOutcome): number | null {
  return outcome.kind === 'http' ? outcome.status : null;
}

function reasonOf(outcome: WriteOutcome): string {
  if (outcome.kind === 'http') return `HTTP ${outcome.status}: ${outcome.body}`;
  if (outcome.kind === 'network') return `${outcome.code}: ${outcome.message}`;
  return 'ok';
}

function configFailure(errorType: string, outcome: WriteOutcome): OllamaInfluxError {
  return errorType === 'bucket_not_found'
    ? new OllamaInfluxError('OI_ERR_INFLUX_BUCKET', `InfluxDB: bucket or org not found (${reasonOf(outcome)})`)
    : new OllamaInfluxError('OI_ERR_INFLUX_AUTH', `InfluxDB refused the token (${reasonOf(outcome)})`);
}
