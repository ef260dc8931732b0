import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDurationMs } from '../../src/time.js';
import { loadConfig, type LoadOptions } from '../../src/config/load.js';
import { CONFIG_KEYS } from '../../src/config/schema.js';
import { EXIT_CONFIG, OllamaInfluxError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'ollama-influx-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function configFile(text: string): string {
  const path = join(dir, `config-${++fileCount}.env`);
  writeFileSync(path, text);
  return path;
}

const REQUIRED = [
  'INFLUXDB_URL=http://influx.example:8086',
  'INFLUXDB_TOKEN=file-token-123',
  'INFLUXDB_ORG=acme',
  'INFLUXDB_BUCKET=ollama',
].join('\n');

/** Loads with an explicit env (never the process's) and an explicit file. */
function load(fileText: string, env: NodeJS.ProcessEnv = {}, options: Omit<LoadOptions, 'env' | 'configFile'> = {}) {
  return loadConfig({ ...options, configFile: configFile(fileText), env });
}

/** The error thrown by `fn`, asserted to be a config error (exit 78). */
function configErrorOf(fn: () => unknown): OllamaInfluxError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OllamaInfluxError);
    const error = err as OllamaInfluxError;
    expect(error.exitCode).toBe(EXIT_CONFIG);
    return error;
  }
  throw new Error('expected a config error, nothing was thrown');
}

function invalid(key: string, value: string): OllamaInfluxError {
  const error = configErrorOf(() => load(REQUIRED, { [key]: value }));
  expect(error.code).toBe('OI_ERR_CONFIG_INVALID');
  expect(error.message).toContain(key);
  return error;
}

describe('parseDurationMs', () => {
  it('reads every unit', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('10s')).toBe(10_000);
    expect(parseDurationMs('30m')).toBe(1_800_000);
    expect(parseDurationMs('24h')).toBe(86_400_000);
    expect(parseDurationMs('7d')).toBe(604_800_000);
    expect(parseDurationMs(' 1.5s ')).toBe(1500);
    expect(parseDurationMs('2w')).toBe(1_209_600_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(load(REQUIRED, { POLL_INTERVAL: '1m30s' }).config.pollIntervalMs).toBe(90_000);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', '10', 's', '10 sec', '-5s', '5y', 'all', '1h 30m', '1.h', '.5s']) {
      expect(parseDurationMs(text), text).toBeNull();
    }
  });
});

describe('loadConfig', () => {
  it('fills in the defaults', () => {
    const path = configFile(REQUIRED);
    const { config, warnings } = loadConfig({ configFile: path, env: {} });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      configFile: path,
      influx: { url: 'http://influx.example:8086', token: 'file-token-123', org: 'acme', bucket: 'ollama' },
      ollamaUnit: 'ollama',
      journalDir: null,
      journalctlCommand: ['journalctl'],
      hostTag: hostname(),
      stateDir: '/var/lib/ollama-influx',
      pollIntervalMs: 10_000,
      initialLookbackMs: 24 * 3_600_000,
      msgHashMode: 'tag',
      logLevel: 'info',
      modelsDir: null,
      inventoryIntervalMs: 3_600_000,
      metricsListen: { host: '127.0.0.1', port: 9464 },
      healthWriteFailureMs: 300_000,
      gpuMetrics: 'auto',
      gpuIntervalMs: 15_000,
    });
  });

  it('reads METRICS_LISTEN as host:port or off, and names the key when it is neither', () => {
    const listen = (value: string) => loadConfig({ configFile: configFile(REQUIRED), env: { METRICS_LISTEN: value } }).config.metricsListen;
    expect(listen('0.0.0.0:9100')).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(listen('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(listen('OFF')).toBeNull();
    for (const bad of ['9464', 'localhost:0', 'localhost:70000', 'a b:1', ':9464']) {
      expect(() => listen(bad)).toThrow(/^METRICS_LISTEN must be host:port/);
    }
    expect(() => loadConfig({ configFile: configFile(REQUIRED), env: { GPU_METRICS: 'on' } })).toThrow(/^GPU_METRICS must be one of auto, off/);
  });

  it('reads every key from the file, trims values, drops a trailing slash from the URL', () => {
    const { config } = load(
      [
        'INFLUXDB_URL=https://influx.example/ ',
        'INFLUXDB_TOKEN="  quoted-token  "',
        'INFLUXDB_ORG=acme',
        'INFLUXDB_BUCKET=ollama',
        'OLLAMA_UNIT=ollama@gpu0.service',
        'JOURNAL_DIR=/srv/journal',
        'JOURNALCTL_COMMAND=sudo  -n /usr/local/libexec/ollama-influx/journalctl-ollama',
        'HOST_TAG=gpu-box',
        'STATE_DIR=/tmp/state',
        'POLL_INTERVAL=500ms',
        'INITIAL_LOOKBACK=7d',
        'MSG_HASH_MODE=field',
        'LOG_LEVEL=DEBUG',
        'OLLAMA_MODELS_DIR=/data/models',
        'INVENTORY_INTERVAL=30m',
      ].join('\n'),
    );
    expect(config.influx).toEqual({ url: 'https://influx.example', token: 'quoted-token', org: 'acme', bucket: 'ollama' });
    expect(config.ollamaUnit).toBe('ollama@gpu0.service');
    expect(config.journalDir).toBe('/srv/journal');
    expect(config.journalctlCommand).toEqual(['sudo', '-n', '/usr/local/libexec/ollama-influx/journalctl-ollama']);
    expect(config.hostTag).toBe('gpu-box');
    expect(config.stateDir).toBe('/tmp/state');
    expect(config.pollIntervalMs).toBe(500);
    expect(config.initialLookbackMs).toBe(7 * 86_400_000);
    expect(config.msgHashMode).toBe('field');
    expect(config.logLevel).toBe('debug');
    expect(config.modelsDir).toBe('/data/models');
    expect(config.inventoryIntervalMs).toBe(1_800_000);
  });

  it('lets the environment override the file, but not with an empty value', () => {
    const { config } = load(`${REQUIRED}\nHOST_TAG=from-file\nPOLL_INTERVAL=30s`, {
      INFLUXDB_TOKEN: 'env-token',
      HOST_TAG: 'from-env',
      POLL_INTERVAL: '',
      UNRELATED: 'ignored',
    });
    expect(config.influx.token).toBe('env-token');
    expect(config.hostTag).toBe('from-env');
    expect(config.pollIntervalMs).toBe(30_000);
  });

  it('takes every key from the environment alone', () => {
    const env = {
      INFLUXDB_URL: 'http://127.0.0.1:8086',
      INFLUXDB_TOKEN: 't',
      INFLUXDB_ORG: 'o',
      INFLUXDB_BUCKET: 'b',
      INITIAL_LOOKBACK: '30m',
    };
    const { config } = load('', env);
    expect(config.influx).toEqual({ url: 'http://127.0.0.1:8086', token: 't', org: 'o', bucket: 'b' });
    expect(config.initialLookbackMs).toBe(1_800_000);
  });

  it('fails with OI_ERR_CONFIG_FILE (exit 78) when --config names a missing file', () => {
    const missing = join(dir, 'nope', 'config.env');
    const error = configErrorOf(() => loadConfig({ configFile: missing, env: {} }));
    expect(error.code).toBe('OI_ERR_CONFIG_FILE');
    expect(error.message).toContain(missing);
  });

  it('fails with OI_ERR_CONFIG_FILE when --config names something unreadable', () => {
    const directory = join(dir, 'a-directory.env');
    mkdirSync(directory);
    const error = configErrorOf(() => loadConfig({ configFile: directory, env: {} }));
    expect(error.code).toBe('OI_ERR_CONFIG_FILE');
    expect(error.message).toContain(directory);
  });

  it('warns about unknown keys in the file and still loads', () => {
    const path = configFile(`${REQUIRED}\nINFLUX_URL=http://typo:8086\nPOLL_INTERVAL=5s`);
    const { config, warnings } = loadConfig({ configFile: path, env: {} });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('INFLUX_URL');
    expect(warnings[0]).toContain(path);
    expect(config.pollIntervalMs).toBe(5000);
  });

  it('returns an immutable object', () => {
    const { config } = load(REQUIRED);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.influx)).toBe(true);
    expect(Object.isFrozen(config.journalctlCommand)).toBe(true);
    expect(() => {
      (config as { hostTag: string }).hostTag = 'x';
    }).toThrow(TypeError);
    expect(() => {
      (config.influx as { token: string }).token = 'x';
    }).toThrow(TypeError);
  });

  it('does not need the InfluxDB keys with requireInflux: false', () => {
    const { config } = load('', {}, { requireInflux: false });
    expect(config.influx).toEqual({ url: '', token: '', org: '', bucket: '' });
    expect(config.ollamaUnit).toBe('ollama');
  });

  it('still validates InfluxDB keys that are given with requireInflux: false', () => {
    const error = configErrorOf(() => load('INFLUXDB_URL=localhost:8086', {}, { requireInflux: false }));
    expect(error.message).toContain('INFLUXDB_URL');
  });

  it.each(['INFLUXDB_URL', 'INFLUXDB_TOKEN', 'INFLUXDB_ORG', 'INFLUXDB_BUCKET'])('names %s when it is missing', (key) => {
    const text = REQUIRED.split('\n')
      .filter((line) => !line.startsWith(`${key}=`))
      .join('\n');
    const error = configErrorOf(() => load(text));
    expect(error.code).toBe('OI_ERR_CONFIG_INVALID');
    expect(error.message).toContain(key);
  });

  describe('every invalid value names its key', () => {
    it.each(['localhost:8086', 'ftp://influx:21', 'http://', 'http:///path', 'http://influx host:8086', 'http://influx:8086 x'])(
      'INFLUXDB_URL=%s',
      (value) => {
        invalid('INFLUXDB_URL', value);
      },
    );

    it.each(['0s', '10', 'fast', '-1s', '1h 30m'])('POLL_INTERVAL=%s', (value) => {
      expect(invalid('POLL_INTERVAL', value).message).toContain(value);
    });

    it.each(['0s', 'forever', 'none', '24', '1y'])('INITIAL_LOOKBACK=%s', (value) => {
      invalid('INITIAL_LOOKBACK', value);
    });

    it('HOST_TAG ending in a backslash (InfluxDB cannot store it)', () => {
      invalid('HOST_TAG', 'gpu-box\\');
    });

    it.each(['0s', 'hourly'])('INVENTORY_INTERVAL=%s', (value) => {
      invalid('INVENTORY_INTERVAL', value);
    });

    it.each(['hash', 'Tag', 'tags', 'none'])('MSG_HASH_MODE=%s', (value) => {
      invalid('MSG_HASH_MODE', value);
    });

    it.each(['verbose', 'warning', '6'])('LOG_LEVEL=%s', (value) => {
      invalid('LOG_LEVEL', value);
    });

    it.each(['ollama service', 'ollama;reboot', 'ollama/..', '$(id)'])('OLLAMA_UNIT=%s', (value) => {
      invalid('OLLAMA_UNIT', value);
    });
  });

  it('accepts INITIAL_LOOKBACK all (any case), 30m and 7d', () => {
    expect(load(REQUIRED, { INITIAL_LOOKBACK: 'all' }).config.initialLookbackMs).toBeNull();
    expect(load(REQUIRED, { INITIAL_LOOKBACK: 'ALL' }).config.initialLookbackMs).toBeNull();
    expect(load(REQUIRED, { INITIAL_LOOKBACK: '30m' }).config.initialLookbackMs).toBe(30 * 60_000);
    expect(load(REQUIRED, { INITIAL_LOOKBACK: '7d' }).config.initialLookbackMs).toBe(7 * 24 * 3_600_000);
  });

  it('accepts every log level', () => {
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']) {
      expect(load(REQUIRED, { LOG_LEVEL: level }).config.logLevel).toBe(level);
    }
  });

  describe('INFLUXDB_TOKEN_FILE', () => {
    const base = REQUIRED.split('\n')
      .filter((line) => !line.startsWith('INFLUXDB_TOKEN='))
      .join('\n');

    it('reads the token from the file, trimmed', () => {
      const tokenFile = configFile('  secret-from-file\n');
      expect(load(base, { INFLUXDB_TOKEN_FILE: tokenFile }).config.influx.token).toBe('secret-from-file');
    });

    it('refuses INFLUXDB_TOKEN and INFLUXDB_TOKEN_FILE both set', () => {
      const tokenFile = configFile('secret-from-file');
      const error = configErrorOf(() => load(REQUIRED, { INFLUXDB_TOKEN_FILE: tokenFile }));
      expect(error.code).toBe('OI_ERR_CONFIG_INVALID');
      expect(error.message).toContain('INFLUXDB_TOKEN ');
      expect(error.message).toContain('INFLUXDB_TOKEN_FILE');
    });

    it('names the key when the file does not exist', () => {
      const missing = join(dir, 'no-such-token');
      const error = configErrorOf(() => load(base, { INFLUXDB_TOKEN_FILE: missing }));
      expect(error.message).toContain('INFLUXDB_TOKEN_FILE');
      expect(error.message).toContain(missing);
      expect(error.message).toContain('ENOENT');
    });

    it('names the key when the file cannot be read', () => {
      const directory = join(dir, 'token-dir');
      mkdirSync(directory);
      const error = configErrorOf(() => load(base, { INFLUXDB_TOKEN_FILE: directory }));
      expect(error.message).toContain('INFLUXDB_TOKEN_FILE');
      expect(error.message).toContain('EISDIR');
    });

    it.skipIf(process.getuid?.() === 0)('names the key when the file is not readable by this user', () => {
      const tokenFile = configFile('secret');
      chmodSync(tokenFile, 0o000);
      const error = configErrorOf(() => load(base, { INFLUXDB_TOKEN_FILE: tokenFile }));
      expect(error.message).toContain('INFLUXDB_TOKEN_FILE');
      expect(error.message).toContain('EACCES');
    });

    it('names the key when the file is empty or blank', () => {
      for (const text of ['', ' \n\n']) {
        const tokenFile = configFile(text);
        const error = configErrorOf(() => load(base, { INFLUXDB_TOKEN_FILE: tokenFile }));
        expect(error.message).toContain('INFLUXDB_TOKEN_FILE');
        expect(error.message).toContain('empty');
      }
    });

    it('never puts the token itself into an error message', () => {
      const tokenFile = configFile('super-secret-token');
      const error = configErrorOf(() =>
        load(REQUIRED.replace('file-token-123', 'super-secret-token'), { INFLUXDB_TOKEN_FILE: tokenFile }),
      );
      expect(error.message).not.toContain('super-secret-token');
    });
  });

  it('knows every key it documents', () => {
    // A key in CONFIG_KEYS set in the file never draws an "unknown key" warning.
    const text = CONFIG_KEYS.map((key) => `${key}=`).join('\n');
    const { warnings } = load(`${text}\n${REQUIRED}`);
    expect(warnings).toEqual([]);
  });
});
