// The typed, frozen configuration every module receives, and the keys it is built from.

export type MsgHashMode = 'tag' | 'field';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface InfluxSettings {
  readonly url: string;
  readonly token: string;
  readonly org: string;
  readonly bucket: string;
}

export interface Config {
  /** The config file that was read, or null when only the environment was used. */
  readonly configFile: string | null;
  readonly influx: InfluxSettings;
  readonly ollamaUnit: string;
  /** Read journal files from this directory (`journalctl -D`) instead of the system journal. */
  readonly journalDir: string | null;
  /** argv that runs journalctl; a sudo wrapper in sudo mode (see install.sh --journal-access sudo). */
  readonly journalctlCommand: readonly string[];
  readonly hostTag: string;
  readonly stateDir: string;
  readonly pollIntervalMs: number;
  /** How far back the first run reads; null means the whole journal. */
  readonly initialLookbackMs: number | null;
  readonly msgHashMode: MsgHashMode;
  readonly logLevel: LogLevel;
  /** Explicit models dir; null means discover it (see src/ollama/inventory). */
  readonly modelsDir: string | null;
  readonly inventoryIntervalMs: number;
  /** host:port of the HTTP server (/metrics, /health, read API); null when METRICS_LISTEN=off. */
  readonly metricsListen: { readonly host: string; readonly port: number } | null;
  /** /health turns 503 once InfluxDB writes have failed for this long. */
  readonly healthWriteFailureMs: number;
  readonly gpuMetrics: 'auto' | 'off';
  readonly gpuIntervalMs: number;
}

/** Every key the config file may hold; anything else draws a warning. */
export const CONFIG_KEYS = [
  'INFLUXDB_URL',
  'INFLUXDB_TOKEN',
  'INFLUXDB_TOKEN_FILE',
  'INFLUXDB_ORG',
  'INFLUXDB_BUCKET',
  'OLLAMA_UNIT',
  'JOURNAL_DIR',
  'JOURNALCTL_COMMAND',
  'HOST_TAG',
  'STATE_DIR',
  'POLL_INTERVAL',
  'INITIAL_LOOKBACK',
  'MSG_HASH_MODE',
  'LOG_LEVEL',
  'OLLAMA_MODELS_DIR',
  'INVENTORY_INTERVAL',
  'METRICS_LISTEN',
  'HEALTH_WRITE_FAILURE',
  'GPU_METRICS',
  'GPU_INTERVAL',
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Read when --config is not given; ./config.env only when the caller owns it and only they can write it. */
export const SYSTEM_CONFIG_FILE = '/etc/ollama-influx/config.env';
export const LOCAL_CONFIG_FILE = './config.env';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
