// `ollama-influx run`: the daemon systemd starts.

import type { Command } from 'commander';
import { runDaemon } from '../../daemon/daemon.js';
import { createRuntime } from '../../daemon/runtime.js';
import { GpuCollector } from '../../gpu/collector.js';
import { startDaemonHttp } from '../../http/start.js';
import { commandContext } from '../context.js';

/** systemd's default TimeoutStopSec is 90 s; we promise 10 s and keep a margin. */
const STOP_DEADLINE_MS = 8_000;

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the shipper: every POLL_INTERVAL, write new journal entries to InfluxDB')
    .action(async (_options: unknown, command: Command) => {
      const { config, logger } = commandContext(command, { logTo: 'stdout' });
      const controller = new AbortController();
      const stop = (signal: NodeJS.Signals): void => {
        if (controller.signal.aborted) return;
        logger.info({ signal }, 'stopping');
        controller.abort();
        // An HTTP write cannot be cancelled mid-flight; its batch is simply not committed and is
        // re-sent (harmlessly) on the next start.
        setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      logger.info(
        {
          unit: config.ollamaUnit,
          journal_dir: config.journalDir,
          influxdb_url: config.influx.url,
          org: config.influx.org,
          bucket: config.influx.bucket,
          host_tag: config.hostTag,
          state_dir: config.stateDir,
          poll_interval_ms: config.pollIntervalMs,
          msg_hash_mode: config.msgHashMode,
        },
        'started',
      );
      const runtime = createRuntime(config, logger, controller.signal, 'daemon');
      const http = await startDaemonHttp(config, runtime.stats, runtime.metrics.registry, logger);
      if (config.gpuMetrics === 'auto') {
        const { sink, metrics } = runtime;
        const options = { host: config.hostTag, intervalMs: config.gpuIntervalMs, sink, registry: metrics.registry, logger, signal: controller.signal };
        new GpuCollector(options).start();
      }
      try {
        await runDaemon(runtime, config, logger, controller.signal);
      } finally {
        http?.close();
        http?.closeAllConnections();
      }
    });
}
