// Reads config.env and the environment once, validates every key, and freezes the result.
// Every error names its key; the CLI turns them into one line and exit 78.

import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { hostname } from 'node:os';
import { parse as parseDotenv } from 'dotenv';
import { OllamaInfluxError, configError } from '../errors.js';
import { parseDurationMs } from '../time.js';
import {
  CONFIG_KEYS,
  type Config,
  type ConfigKey,
  LOCAL_CONFIG_FILE,
  SYSTEM_CONFIG_FILE,
  LOG_LEVELS,
  type LogLevel,
  type MsgHashMode,
} from './schema.js';

export interface LoadOptions {
  /** `--config FILE`; when absent the default locations are tried. */
  readonly configFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Commands that never talk to InfluxDB (parse, inventory --json) do not need its keys. */
  readonly requireInflux?: boolean;
  /**
   * Reading the local journal needs no config at all: a default config file this user cannot read
   * (the installed one is 0640 root:ollama-influx) is then skipped with a warning instead of an error.
   */
  readonly skipUnreadableDefault?: boolean;
}

interface LoadedConfig {
  readonly config: Config;
  readonly warnings: readonly string[];
}

type Values = Partial<Record<ConfigKey, string>>;

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const { file, values: fileValues } = readConfigFile(options.configFile, warnings, options.skipUnreadableDefault ?? false);
  const values: Values = { ...fileValues };
  for (const key of CONFIG_KEYS) {
    const fromEnv = env[key];
    if (fromEnv !== undefined && fromEnv !== '') values[key] = fromEnv;
  }
  const config = buildConfig(values, file, options.requireInflux ?? true);
  return { config: Object.freeze(config), warnings };
}

function readConfigFile(explicit: string | undefined, warnings: string[], skipUnreadableDefault: boolean): { file: string | null; values: Values } {
  const file = explicit ?? defaultConfigFile(warnings);
  if (file === null) return { file, values: {} };
  let text: string;
  try {
    text = readTrustedFile(file);
  } catch (err) {
    const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (explicit === undefined && skipUnreadableDefault && code !== undefined) {
      warnings.push(`config file ${file} cannot be read (${code}): using the defaults`);
      return { file: null, values: {} };
    }
    throw err;
  }
  const parsed = parseDotenv(text);
  const values: Values = {};
  for (const [key, value] of Object.entries(parsed)) {
    if ((CONFIG_KEYS as readonly string[]).includes(key)) values[key as ConfigKey] = value;
    else warnings.push(`config file ${file}: unknown key ${key} is ignored`);
  }
  return { file, values };
}

/**
 * /etc/ollama-influx/config.env, else ./config.env when the caller owns it and nobody else can
 * write it: JOURNALCTL_COMMAND runs what the file says, so root must not pick up a file that another
 * user dropped in the working directory.
 */
function defaultConfigFile(warnings: string[]): string | null {
  if (existsSync(SYSTEM_CONFIG_FILE)) return SYSTEM_CONFIG_FILE;
  let stats;
  try {
    stats = lstatSync(LOCAL_CONFIG_FILE);
  } catch {
    return null;
  }
  const uid = process.geteuid?.() ?? stats.uid;
  if (stats.isFile() && stats.uid === uid && (stats.mode & 0o022) === 0) return LOCAL_CONFIG_FILE;
  warnings.push(`${LOCAL_CONFIG_FILE} is not read: it is not a regular file owned by you and writable only by you (pass --config to use it)`);
  return null;
}

/** Config files are a few hundred bytes; a larger one is refused rather than read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The file's text, checked on the open descriptor (no race between the check and the read). Run as
 * root, a config file that another user can change is refused: its JOURNALCTL_COMMAND would run as root.
 */
function readTrustedFile(file: string): string {
  const fail = (why: string): never => {
    throw new OllamaInfluxError('OI_ERR_CONFIG_FILE', `config file ${file}: ${why}`);
  };
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OllamaInfluxError('OI_ERR_CONFIG_FILE', `config file ${file}: ${code === 'ENOENT' ? 'does not exist' : (err as Error).message}`, { cause: err });
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) fail('is a directory');
    if (process.geteuid?.() === 0) {
      // Device files (--config /dev/null) belong to root and hold no settings anyone could plant.
      const othersCanWrite = stats.uid !== 0 || (!stats.isCharacterDevice() && (stats.mode & 0o022) !== 0);
      if (othersCanWrite) {
        fail(`refused when running as root: it is owned by uid ${stats.uid} with mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}; make it root-owned and not group/world-writable (chown root: ${file}; chmod go-w ${file})`);
      }
    }
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_CONFIG_BYTES) fail(`larger than ${MAX_CONFIG_BYTES} bytes, not a config file`);
    return buffer.toString('utf8', 0, length);
  } catch (err) {
    if (err instanceof OllamaInfluxError) throw err;
    return fail((err as Error).message);
  } finally {
    closeSync(fd);
  }
}

function buildConfig(values: Values, configFile: string | null, requireInflux: boolean): Config {
  const text = (key: ConfigKey): string | undefined => {
    const value = values[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const required = (key: ConfigKey): string => {
    const value = text(key);
    if (value === undefined && requireInflux) throw configError(`${key} is missing: set it in config.env or the environment`);
    return value ?? '';
  };

  const url = required('INFLUXDB_URL');
  // Credentials in the URL would be printed wherever the URL is (errors, logs): never accept them.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(url)) {
    throw configError('INFLUXDB_URL must not carry user:password@ (the token goes in INFLUXDB_TOKEN or INFLUXDB_TOKEN_FILE)');
  }
  if (url !== '' && !/^https?:\/\/[^\s/]+(?:\/\S*)?$/.test(url)) {
    throw configError(`INFLUXDB_URL must be an http:// or https:// URL, got "${url}"`);
  }

  return {
    configFile,
    influx: Object.freeze({
      url: url.replace(/\/+$/, ''),
      token: readToken(text('INFLUXDB_TOKEN'), text('INFLUXDB_TOKEN_FILE'), requireInflux),
      org: required('INFLUXDB_ORG'),
      bucket: required('INFLUXDB_BUCKET'),
    }),
    ollamaUnit: unitName(text('OLLAMA_UNIT') ?? 'ollama'),
    journalDir: text('JOURNAL_DIR') ?? null,
    journalctlCommand: Object.freeze((text('JOURNALCTL_COMMAND') ?? 'journalctl').split(/\s+/)),
    hostTag: hostTag(text('HOST_TAG') ?? hostname()),
    stateDir: text('STATE_DIR') ?? '/var/lib/ollama-influx',
    pollIntervalMs: positiveDuration('POLL_INTERVAL', text('POLL_INTERVAL') ?? '10s'),
    initialLookbackMs: lookback(text('INITIAL_LOOKBACK') ?? '24h'),
    msgHashMode: oneOf<MsgHashMode>('MSG_HASH_MODE', text('MSG_HASH_MODE') ?? 'tag', ['tag', 'field']),
    logLevel: oneOf<LogLevel>('LOG_LEVEL', (text('LOG_LEVEL') ?? 'info').toLowerCase(), LOG_LEVELS),
    modelsDir: text('OLLAMA_MODELS_DIR') ?? null,
    inventoryIntervalMs: positiveDuration('INVENTORY_INTERVAL', text('INVENTORY_INTERVAL') ?? '1h'),
    metricsListen: listenAddress('METRICS_LISTEN', text('METRICS_LISTEN') ?? '127.0.0.1:9464'),
    healthWriteFailureMs: positiveDuration('HEALTH_WRITE_FAILURE', text('HEALTH_WRITE_FAILURE') ?? '5m'),
    gpuMetrics: oneOf<'auto' | 'off'>('GPU_METRICS', (text('GPU_METRICS') ?? 'auto').toLowerCase(), ['auto', 'off']),
    gpuIntervalMs: positiveDuration('GPU_INTERVAL', text('GPU_INTERVAL') ?? '15s'),
  };
}

function readToken(token: string | undefined, tokenFile: string | undefined, requireInflux: boolean): string {
  if (token !== undefined && tokenFile !== undefined) {
    throw configError('INFLUXDB_TOKEN and INFLUXDB_TOKEN_FILE are both set: keep one');
  }
  if (tokenFile !== undefined) {
    let fromFile: string;
    try {
      fromFile = readFileSync(tokenFile, 'utf8').trim();
    } catch (err) {
      throw configError(`INFLUXDB_TOKEN_FILE ${tokenFile} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (fromFile === '') throw configError(`INFLUXDB_TOKEN_FILE ${tokenFile} is empty`);
    return fromFile;
  }
  if (token === undefined && requireInflux) {
    throw configError('INFLUXDB_TOKEN is missing: set it (or INFLUXDB_TOKEN_FILE) in config.env');
  }
  return token ?? '';
}

/** InfluxDB cannot store a tag value that ends in a backslash: every line would be rejected. */
function hostTag(value: string): string {
  if (value.endsWith('\\')) throw configError(`HOST_TAG must not end with a backslash, got "${value}"`);
  return value;
}

/** `host:port`, `[v6]:port` or `off`; the host must be given, so exposing the port is a visible choice. */
export function listenAddress(key: string, value: string): { host: string; port: number } | null {
  if (value.toLowerCase() === 'off') return null;
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value);
  const port = match === null ? NaN : Number(match[3]);
  if (match === null || port < 1 || port > 65535) {
    throw configError(`${key} must be host:port (127.0.0.1:9464, [::1]:9464) or off, got "${value}"`);
  }
  return { host: match[1] ?? match[2]!, port };
}

function unitName(value: string): string {
  if (!/^[A-Za-z0-9:_.@\\-]+$/.test(value)) {
    throw configError(`OLLAMA_UNIT must be a systemd unit name, got "${value}"`);
  }
  return value;
}

function positiveDuration(key: ConfigKey, value: string): number {
  const ms = parseDurationMs(value);
  if (ms === null || ms <= 0) {
    throw configError(`${key} must be a duration such as 10s, 5m or 1h, got "${value}"`);
  }
  return ms;
}

function lookback(value: string): number | null {
  if (value.toLowerCase() === 'all') return null;
  const ms = parseDurationMs(value);
  if (ms === null || ms <= 0) {
    throw configError(`INITIAL_LOOKBACK must be a duration such as 30m, 24h or 7d, or "all", got "${value}"`);
  }
  return ms;
}

function oneOf<T extends string>(key: ConfigKey, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw configError(`${key} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}
