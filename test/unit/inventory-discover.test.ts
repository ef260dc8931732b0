import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MODELS_DIR,
  type DiscoverOptions,
  discoverModelsDir,
  modelsDirFromServerConfig,
  parseUnitEnvironment,
} from '../../src/models-dir/discover.js';

/** Lookups that record their calls; each answers what the test says. */
function lookups(answers: { environment?: string | null | Error; log?: string | null | Error; home?: string | null | Error }) {
  const calls: string[] = [];
  const answer = async (value: string | null | Error | undefined) => {
    if (value instanceof Error) throw value;
    return value ?? null;
  };
  const options: Omit<DiscoverOptions, 'configured'> = {
    unit: 'ollama.service',
    unitEnvironment: (unit) => (calls.push(`systemctl ${unit}`), answer(answers.environment)),
    lastServerConfigModelsDir: () => (calls.push('journal'), answer(answers.log)),
    userHome: (user) => (calls.push(`passwd ${user}`), answer(answers.home)),
  };
  return { options, calls };
}

describe('discoverModelsDir order', () => {
  it('1. the OLLAMA_MODELS_DIR config key, without asking the host', async () => {
    const { options, calls } = lookups({ environment: 'OLLAMA_MODELS=/unit', log: '/log', home: '/home/ollama' });
    expect(await discoverModelsDir({ ...options, configured: '/configured/models' })).toEqual({ dir: '/configured/models', source: 'config' });
    expect(calls).toEqual([]);
  });

  it("2. the unit's OLLAMA_MODELS", async () => {
    const { options, calls } = lookups({ environment: 'OLLAMA_HOST=0.0.0.0 OLLAMA_MODELS=/data/models', log: '/log', home: '/home/ollama' });
    expect(await discoverModelsDir({ ...options, configured: null })).toEqual({ dir: '/data/models', source: 'unit-environment' });
    expect(calls).toEqual(['systemctl ollama.service']);
  });

  it('3. the last server config line when the unit does not set it', async () => {
    const { options, calls } = lookups({ environment: 'OLLAMA_HOST=0.0.0.0', log: '/from/log', home: '/home/ollama' });
    expect(await discoverModelsDir({ ...options, configured: null })).toEqual({ dir: '/from/log', source: 'server-config-log' });
    expect(calls).toEqual(['systemctl ollama.service', 'journal']);
  });

  it("4. the ollama user's ~/.ollama/models when systemctl fails and the journal has nothing", async () => {
    const { options, calls } = lookups({ environment: new Error('spawn systemctl ENOENT'), log: null, home: '/var/lib/ollama' });
    expect(await discoverModelsDir({ ...options, configured: '  ' })).toEqual({ dir: '/var/lib/ollama/.ollama/models', source: 'ollama-user-home' });
    expect(calls).toEqual(['systemctl ollama.service', 'journal', 'passwd ollama']);
  });

  it('5. the official installer path when nothing else answers', async () => {
    const { options } = lookups({ environment: null, log: new Error('journal unreadable'), home: null });
    expect(await discoverModelsDir({ ...options, configured: null })).toEqual({ dir: DEFAULT_MODELS_DIR, source: 'default' });
    expect(DEFAULT_MODELS_DIR).toBe('/usr/share/ollama/.ollama/models');
  });

  it('skips an empty OLLAMA_MODELS (Ollama treats it as the default)', async () => {
    const { options } = lookups({ environment: 'OLLAMA_MODELS=', log: '', home: '/home/ollama' });
    expect(await discoverModelsDir({ ...options, configured: null })).toEqual({ dir: '/home/ollama/.ollama/models', source: 'ollama-user-home' });
  });

  it('works without the journal lookup', async () => {
    const { options } = lookups({ environment: null, home: '/srv/ollama' });
    const { lastServerConfigModelsDir: _unused, ...rest } = options;
    expect(await discoverModelsDir({ ...rest, configured: null })).toEqual({ dir: '/srv/ollama/.ollama/models', source: 'ollama-user-home' });
  });
});

describe('the default host lookups, with fake systemctl and getent on PATH', () => {
  let bin: string;
  let savedPath: string | undefined;

  beforeEach(async () => {
    bin = await mkdtemp(join(tmpdir(), 'inventory-bin-'));
    savedPath = process.env['PATH'];
    process.env['PATH'] = bin;
  });

  afterEach(async () => {
    process.env['PATH'] = savedPath;
    await rm(bin, { recursive: true, force: true });
  });

  async function fake(name: string, script: string): Promise<void> {
    await writeFile(join(bin, name), `#!/bin/sh\n${script}\n`);
    await chmod(join(bin, name), 0o755);
  }

  it('asks systemctl show for the unit environment', async () => {
    await fake('systemctl', `[ "$*" = "show ollama -p Environment --value" ] || exit 9\necho 'OLLAMA_HOST=0.0.0.0 "OLLAMA_MODELS=/srv/my models"'`);
    expect(await discoverModelsDir({ configured: null, unit: 'ollama' })).toEqual({ dir: '/srv/my models', source: 'unit-environment' });
  });

  it('takes the home from getent when systemctl fails', async () => {
    await fake('systemctl', 'echo "System has not been booted with systemd" >&2; exit 1');
    await fake('getent', `[ "$*" = "passwd ollama" ] || exit 2\necho 'ollama:x:998:998::/opt/ollama-home:/usr/sbin/nologin'`);
    expect(await discoverModelsDir({ configured: null, unit: 'ollama' })).toEqual({ dir: '/opt/ollama-home/.ollama/models', source: 'ollama-user-home' });
  });

  it('falls back to /etc/passwd when neither systemctl nor getent exists', async () => {
    const entry = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[0] === 'ollama' && fields.length >= 7);
    const expected = entry?.[5] ? { dir: join(entry[5], '.ollama', 'models'), source: 'ollama-user-home' } : { dir: DEFAULT_MODELS_DIR, source: 'default' };
    expect(await discoverModelsDir({ configured: null, unit: 'ollama' })).toEqual(expected);
  });
});

describe('parseUnitEnvironment', () => {
  it('splits systemctl show output, unquoting and unescaping, last assignment wins', () => {
    const env = parseUnitEnvironment(
      'PATH=/usr/local/bin:/usr/bin "OLLAMA_MODELS=/data/my models" OLLAMA_KEEP_ALIVE=10m "QUOTE=a\\"b\\\\c\\$d" OLLAMA_KEEP_ALIVE=1h\n',
    );
    expect(Object.fromEntries(env)).toEqual({
      PATH: '/usr/local/bin:/usr/bin',
      OLLAMA_MODELS: '/data/my models',
      OLLAMA_KEEP_ALIVE: '1h',
      QUOTE: 'a"b\\c$d',
    });
  });

  it('is empty for empty output', () => {
    expect(parseUnitEnvironment('\n').size).toBe(0);
  });
});

describe('modelsDirFromServerConfig', () => {
  it('reads OLLAMA_MODELS from the slog form', () => {
    const message =
      'time=2025-07-23T09:20:01.120+10:00 level=INFO source=routes.go:1235 msg="server config" env="map[CUDA_VISIBLE_DEVICES: HTTPS_PROXY: OLLAMA_KEEP_ALIVE:5m0s OLLAMA_MAX_LOADED_MODELS:0 OLLAMA_MODELS:/usr/share/ollama/.ollama/models OLLAMA_MULTIUSER_CACHE:false OLLAMA_NUM_PARALLEL:1 OLLAMA_ORIGINS:[http://localhost https://localhost] ROCR_VISIBLE_DEVICES: http_proxy: https_proxy: no_proxy:]"';
    expect(modelsDirFromServerConfig(message)).toBe('/usr/share/ollama/.ollama/models');
  });

  it('reads it from the old log-package form, spaces included, and at the end of the map', () => {
    expect(modelsDirFromServerConfig('2024/05/27 12:32:31 routes.go:1028: INFO server config env="map[OLLAMA_HOST:http://0.0.0.0:11434 OLLAMA_MODELS:/data/my models OLLAMA_NOHISTORY:false]"')).toBe('/data/my models');
    expect(modelsDirFromServerConfig('server config env="map[OLLAMA_LLM_LIBRARY: OLLAMA_MODELS:/srv/models]"')).toBe('/srv/models');
  });

  it('is null when the value is empty or absent', () => {
    expect(modelsDirFromServerConfig('msg="server config" env="map[OLLAMA_MAX_QUEUE:512 OLLAMA_MODELS: OLLAMA_MULTIUSER_CACHE:false]"')).toBeNull();
    expect(modelsDirFromServerConfig('msg="server config" env="map[OLLAMA_HOST:http://127.0.0.1:11434]"')).toBeNull();
  });
});
