// The one factory of what every command runs on: the validated config, the logger, the InfluxDB
// clients and the sink. cli/main.ts makes it and hands it to each command, which opens a runtime
// with its needs once its options are parsed; the daemon's shipper is built from the same runtime.

import { loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { ONE_SHOT_MAX_ATTEMPTS, Sink } from './influx/sink.js';
import { type WriteClient, createWriteClient } from './influx/write-client.js';
import { type Logger, createLogger } from './logger.js';
import { type QueryClient, createQueryClient } from './store/query-client.js';
import { Stats } from './telemetry/stats.js';

interface RuntimeNeeds {
  /** Services log to stdout (journald keeps it); one-shot commands to stderr (stdout is their result). */
  readonly logTo: 'stdout' | 'stderr';
  /**
   * Which keys must be set: `full` (default) every one, InfluxDB's included; `no-influx` for commands
   * that never reach InfluxDB; `none` for reading this host's journal, where a config file only gives
   * defaults, so a default file this user cannot read is skipped with a warning.
   */
  readonly config?: 'full' | 'no-influx' | 'none';
  /** `daemon`: the sink keeps retrying (the journal is the buffer); `one-shot` (default): it gives up. */
  readonly mode?: 'daemon' | 'one-shot';
  /** False when the command reports the config's warnings itself (check lists them). */
  readonly reportWarnings?: boolean;
}

export interface Runtime {
  readonly config: Config;
  readonly configWarnings: readonly string[];
  readonly logger: Logger;
  /** The shipper's counters: the sink counts into them, /metrics and /health read them. */
  readonly stats: Stats;
  /** Aborted by stop(): the sink stops retrying, the daemon's loop ends. */
  readonly signal: AbortSignal;
  stop(): void;
  /** The InfluxDB clients and the sink are made on first use: commands that never write make none. */
  readonly writeClient: WriteClient;
  readonly query: QueryClient;
  readonly sink: Sink;
}

/** Opens a runtime; config errors throw OllamaInfluxError (main prints one line, exit 78). */
export type OpenRuntime = (needs: RuntimeNeeds) => Runtime;

/** `configFile` is the root `--config` option, read when a command opens its runtime (after parsing). */
export function runtimeFactory(configFile: () => string | undefined): OpenRuntime {
  return (needs) => {
    const keys = needs.config ?? 'full';
    const { config, warnings } = loadConfig({ configFile: configFile(), requireInflux: keys === 'full', skipUnreadableDefault: keys === 'none' });
    const logger = createLogger(config.logLevel, needs.logTo);
    if (needs.reportWarnings !== false) {
      for (const warning of warnings) {
        if (needs.logTo === 'stdout') logger.warn(warning);
        else process.stderr.write(`ollama-influx: warning: ${warning}\n`);
      }
    }
    const stats = new Stats();
    const controller = new AbortController();
    let writeClient: WriteClient | null = null;
    let query: QueryClient | null = null;
    let sink: Sink | null = null;
    const runtime: Runtime = {
      config,
      configWarnings: warnings,
      logger,
      stats,
      signal: controller.signal,
      stop: () => controller.abort(),
      get writeClient() {
        return (writeClient ??= createWriteClient(config.influx));
      },
      get query() {
        return (query ??= createQueryClient(config.influx));
      },
      get sink() {
        const maxAttempts = needs.mode === 'daemon' ? null : ONE_SHOT_MAX_ATTEMPTS;
        return (sink ??= new Sink(runtime.writeClient, { logger, stats, signal: controller.signal, maxAttempts }));
      },
    };
    return runtime;
  };
}
