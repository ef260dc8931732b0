// `ollama-influx run`: the daemon systemd starts.

import type { Command } from 'commander';
import { runDaemon } from '../../daemon/daemon.js';
import { createShipper } from '../../daemon/shipper.js';
import { GpuCollector } from '../../gpu/collector.js';
import { startDaemonHttp } from '../../http/start.js';
import type { OpenRuntime } from '../../runtime.js';

/** systemd's default TimeoutStopSec is 90 s; we promise 10 s and keep a margin. */
const STOP_DEADLINE_MS = 8_000;

export function registerRunCommand(program: Command, open: OpenRuntime): void {
  program
    .command('run')
    .description('run the shipper: every POLL_INTERVAL, write new journal entries to InfluxDB')
    .action(async () => {
      const runtime = open({ logTo: 'stdout', mode: 'daemon' });
      const { config, logger } = runtime;
      const stop = (signal: NodeJS.Signals): void => {
        if (runtime.signal.aborted) return;
        logger.info({ signal }, 'stopping');
        runtime.stop();
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
      const shipper = createShipper(runtime);
      const { registry } = shipper.metrics;
      const http = await startDaemonHttp(runtime, registry);
      if (config.gpuMetrics === 'auto') {
        const { sink, signal } = runtime;
        new GpuCollector({ host: config.hostTag, intervalMs: config.gpuIntervalMs, sink, registry, logger, signal }).start();
      }
      try {
        await runDaemon(runtime, shipper);
      } finally {
        http?.close();
        http?.closeAllConnections();
      }
    });
}
