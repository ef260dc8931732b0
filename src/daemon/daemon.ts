// The long-running loop: ship what is new every POLL_INTERVAL, rescan the inventory every
// INVENTORY_INTERVAL, store the lifecycle timeline every minute, log a summary each minute, stop
// promptly when the signal aborts.

import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT_CONFIG, type ErrorCode, OllamaInfluxError } from '../errors.js';
import { logFailure } from '../logger.js';
import type { Runtime } from '../runtime.js';
import type { JournalErrorType } from '../telemetry/stats.js';
import type { Shipper } from './shipper.js';
import { TIMELINE_INTERVAL_MS } from './timeline-job.js';
import { MINUTE_MS } from '../time.js';

const SUMMARY_INTERVAL_MS = MINUTE_MS;

/** A pass that failed reading the journal, counted by what went wrong (the ollama_influx_journal_errors_total label). */
const JOURNAL_ERROR_OF: Partial<Record<ErrorCode, JournalErrorType>> = {
  OI_ERR_JOURNALCTL_MISSING: 'journalctl_missing',
  OI_ERR_JOURNAL_PERMISSION: 'permission_denied',
  OI_ERR_JOURNAL_READ: 'journalctl_failed',
};

export async function runDaemon(runtime: Runtime, shipper: Shipper): Promise<void> {
  const { config, logger, signal, stats } = runtime;
  const summary = setInterval(() => logger.info(stats.snapshot(Date.now()), 'summary'), SUMMARY_INTERVAL_MS);
  let nextInventoryMs = 0;
  let nextTimelineMs = 0;
  try {
    while (!signal.aborted) {
      if (Date.now() >= nextInventoryMs) {
        await refreshInventory(runtime, shipper);
        nextInventoryMs = Date.now() + config.inventoryIntervalMs;
      }
      try {
        const startedMs = Date.now();
        const result = await shipper.ship();
        stats.last_poll = { atMs: Date.now(), error: null };
        stats.caught_up_to_ms = startedMs;
        if (result.read > 0) logger.debug(result, 'poll shipped');
      } catch (err) {
        if (signal.aborted) break;
        stats.last_poll = { atMs: Date.now(), error: err instanceof Error ? err.message : String(err) };
        const journalError = err instanceof OllamaInfluxError ? JOURNAL_ERROR_OF[err.code] : undefined;
        if (journalError !== undefined) stats.countJournalError(journalError);
        // Nothing to retry when the machine itself is misconfigured (journalctl missing).
        if (err instanceof OllamaInfluxError && err.exitCode === EXIT_CONFIG) throw err;
        logFailure(logger, err, 'shipping failed; the cursor is kept and the next poll retries');
      }
      if (Date.now() >= nextTimelineMs && !signal.aborted) {
        await refreshTimeline(runtime, shipper);
        nextTimelineMs = Date.now() + TIMELINE_INTERVAL_MS;
      }
      await sleep(config.pollIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    clearInterval(summary);
    logger.info(stats.snapshot(Date.now()), 'stopped');
  }
}

async function refreshInventory(runtime: Runtime, shipper: Shipper): Promise<void> {
  try {
    await shipper.inventory.refresh(runtime.sink, Date.now());
  } catch (err) {
    logFailure(runtime.logger, err, 'model inventory scan failed; model names keep their previous values');
  }
}

async function refreshTimeline(runtime: Runtime, shipper: Shipper): Promise<void> {
  try {
    await shipper.timeline.refresh(runtime.sink, Date.now());
  } catch (err) {
    logFailure(runtime.logger, err, 'storing the model lifecycle timeline failed; the next run covers this range again');
  }
}
