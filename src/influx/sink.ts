// Writes one batch until InfluxDB has taken it: retries, backs off, bisects rejected batches to
// skip only the bad lines. It resolves only when every line is written or deliberately skipped,
// which is what lets the caller move the cursor.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Stats } from '../telemetry/stats.js';
import { OllamaInfluxError } from '../errors.js';
import { LineBatch } from './line-batch.js';
import { backoffDelay, CONFIG_BACKOFF, WRITE_BACKOFF } from './backoff.js';
import { decideWrite, type WriteOutcome } from './retry.js';
import type { WriteClient } from './write-client.js';

interface SinkOptions {
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

/** A batch of lines that come from no journal entry (inventory, timeline): nothing to checkpoint. `into` is reused. */
export function standaloneBatch(lines: readonly string[], label: string, timeMs: number, into?: LineBatch): LineBatch {
  return LineBatch.standalone(lines, label, timeMs, into);
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

  async write(batch: LineBatch): Promise<void> {
    if (batch.lines > 0) await this.send(batch, 0, batch.lines);
    this.options.stats.batches_written_total++;
  }

  /** Writes lines [from, to) of the batch; a rejected range is bisected by offsets, without copying. */
  private async send(batch: LineBatch, from: number, to: number): Promise<void> {
    const { logger, stats, signal, maxAttempts } = this.options;
    const count = to - from;
    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      const body = batch.body(from, to);
      const endTimer = stats.write_duration_seconds.startTimer();
      const outcome = await this.client.write(body);
      endTimer();
      const decision = decideWrite(outcome, count);
      switch (decision.action) {
        case 'done':
          stats.countWritten(batch, from, to);
          stats.write_failing_since_ms = null;
          logger.debug({ lines: count }, 'batch written');
          return;
        case 'split': {
          stats.countWriteError(decision.errorType);
          const mid = from + Math.ceil(count / 2);
          logger.debug({ lines: count, status: statusOf(outcome) }, 'batch rejected, bisecting');
          await this.send(batch, from, mid);
          await this.send(batch, mid, to);
          return;
        }
        case 'skip':
          stats.countWriteError(decision.errorType);
          stats.lines_skipped_total++;
          logger.warn(
            { cursor: batch.cursorOfLine(from), error_type: decision.errorType, reason: reasonOf(outcome), line: batch.line(from).slice(0, 300) },
            'InfluxDB rejected a line; skipped it',
          );
          return;
        case 'retry':
        case 'config': {
          stats.countWriteError(decision.errorType);
          stats.write_failing_since_ms ??= Date.now();
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
          const details = { error_type: decision.errorType, reason: reasonOf(outcome), retry_in_ms: delay, attempt, cursor: batch.cursorOfLine(from) };
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
