// Issue 9, item 7: config files that another user can change are never trusted by root, and
// ./config.env is read only when the caller owns it and nobody else can write it
// (its JOURNALCTL_COMMAND runs as whoever runs the CLI).

import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { EXIT_CONFIG, OllamaInfluxError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'ollama-influx-config-trust-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isRoot = process.geteuid?.() === 0;
const NOBODY = 65534;
const SETTINGS = 'INFLUXDB_URL=http://influx.example:8086\nINFLUXDB_TOKEN=t\nINFLUXDB_ORG=o\nINFLUXDB_BUCKET=b\nJOURNALCTL_COMMAND=/tmp/planted-script\n';

let count = 0;
function file(mode: number, uid?: number): string {
  const path = join(dir, `config-${++count}.env`);
  writeFileSync(path, SETTINGS);
  chmodSync(path, mode);
  if (uid !== undefined) chownSync(path, uid, 0);
  return path;
}

function refusal(path: string): OllamaInfluxError {
  try {
    loadConfig({ configFile: path, env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(OllamaInfluxError);
    const error = err as OllamaInfluxError;
    expect(error.exitCode).toBe(EXIT_CONFIG);
    expect(error.code).toBe('OI_ERR_CONFIG_FILE');
    expect(error.message).toContain(path);
    expect(error.message).not.toContain('\n');
    return error;
  }
  throw new Error(`${path} was accepted`);
}

describe.runIf(isRoot)('config file run as root', () => {
  it.each([
    ['world-writable', 0o666],
    ['group-writable', 0o660],
  ])('refuses a %s config file (exit 78, one line naming the file)', (_what, mode) => {
    expect(refusal(file(mode)).message).toMatch(/refused when running as root/);
  });

  it('refuses a config file owned by another user, even 0600', () => {
    expect(refusal(file(0o600, NOBODY)).message).toContain(`uid ${NOBODY}`);
  });

  it('accepts a root-owned 0640 file and --config /dev/null', () => {
    const path = file(0o640);
    expect(loadConfig({ configFile: path, env: {} }).config.journalctlCommand).toEqual(['/tmp/planted-script']);
    expect(loadConfig({ configFile: '/dev/null', env: {}, requireInflux: false }).config.configFile).toBe('/dev/null');
  });
});

describe.skipIf(existsSync('/etc/ollama-influx/config.env'))('implicit ./config.env', () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  function inDirWith(mode: number, uid?: number): void {
    const work = mkdtempSync(join(dir, 'cwd-'));
    chmodSync(work, 0o755);
    writeFileSync(join(work, 'config.env'), SETTINGS);
    chmodSync(join(work, 'config.env'), mode);
    if (uid !== undefined) chownSync(join(work, 'config.env'), uid, 0);
    process.chdir(work);
  }

  it('is read when the caller owns it and only the caller can write it', () => {
    inDirWith(0o600);
    const { config, warnings } = loadConfig({ env: {} });
    expect(config.configFile).toBe('./config.env');
    expect(config.journalctlCommand).toEqual(['/tmp/planted-script']);
    expect(warnings).toEqual([]);
  });

  it('is ignored, with a warning, when it is group- or world-writable', () => {
    inDirWith(0o666);
    const { config, warnings } = loadConfig({ env: {}, requireInflux: false });
    expect(config.configFile).toBeNull();
    expect(config.journalctlCommand).toEqual(['journalctl']);
    expect(warnings.join('\n')).toMatch(/\.\/config\.env is not read/);
  });

  it.runIf(isRoot)('is ignored when another user owns it (a file dropped in the directory root works in)', () => {
    inDirWith(0o600, NOBODY);
    const { config, warnings } = loadConfig({ env: {}, requireInflux: false });
    expect(config.configFile).toBeNull();
    expect(config.journalctlCommand).toEqual(['journalctl']);
    expect(warnings).toHaveLength(1);
  });
});

describe('INFLUXDB_URL with credentials', () => {
  it('is refused (exit 78) and the message never repeats the password', () => {
    for (const url of ['http://admin:s3cret-pw@influx:8086', 'https://s3cret-pw@influx.example/', 'http://u:s3cret-pw@influx']) {
      try {
        loadConfig({ configFile: '/dev/null', env: { INFLUXDB_URL: url, INFLUXDB_TOKEN: 't', INFLUXDB_ORG: 'o', INFLUXDB_BUCKET: 'b' } });
        throw new Error(`${url} was accepted`);
      } catch (err) {
        expect(err).toBeInstanceOf(OllamaInfluxError);
        expect((err as OllamaInfluxError).exitCode).toBe(EXIT_CONFIG);
        expect((err as Error).message).toContain('INFLUXDB_URL');
        expect((err as Error).message).not.toContain('s3cret-pw');
      }
    }
    // An @ in the path is not a credential.
    expect(loadConfig({ configFile: '/dev/null', env: { INFLUXDB_URL: 'http://influx:8086/a@b', INFLUXDB_TOKEN: 't', INFLUXDB_ORG: 'o', INFLUXDB_BUCKET: 'b' } }).config.influx.url).toBe('http://influx:8086/a@b');
  });
});
