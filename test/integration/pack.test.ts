// The package as shipped: `npm pack` of this tree (built by `npm test` first), installed offline with
// an empty npm cache into a temporary prefix, then run from there; and install.sh from the unpacked
// tarball, with an `npm` on PATH that fails the test if anything calls it (no dev tools on the host).

import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeJournal } from '../support/journal.js';
import { SEED_START, SEED_STOP, seedJournalEntries } from '../support/seed-journal.js';
import { writeScenarioModelsDir } from '../support/timeline-scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

function exec(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { ...options, maxBuffer: 64 << 20, timeout: 300_000 }, (err, stdout, stderr) =>
      done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr }),
    );
  });
}

describe('npm pack', () => {
  let dir: string;
  let tarball: string;
  let files: string[];

  beforeAll(async () => {
    dir = tempDir('pack');
    const pack = await exec('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: ROOT });
    expect(pack.code, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, info!.filename);
    files = info!.files.map((f) => f.path);
  }, 300_000);

  it('holds the runtime, the service files, the docs and the production dependencies, nothing else', () => {
    for (const file of ['bin/ollama-influx', 'dist/cli/main.js', 'dist/render/timeline-page.js', 'systemd/ollama-influx.service', 'systemd/journalctl-ollama', 'install.sh', 'uninstall.sh', 'config.env.example', 'README.md', 'package.json']) {
      expect(files, file).toContain(file);
    }
    expect(files.some((f) => f.startsWith('grafana/dashboards/'))).toBe(true);
    if (existsSync(join(ROOT, 'alerts'))) expect(files.some((f) => f.startsWith('alerts/'))).toBe(true);
    for (const dependency of Object.keys(PACKAGE.dependencies)) expect(files, dependency).toContain(`node_modules/${dependency}/package.json`);
    for (const dependency of Object.keys(PACKAGE.devDependencies)) expect(files.some((f) => f.startsWith(`node_modules/${dependency}/`)), dependency).toBe(false);
    expect(files.filter((f) => /^(src|test|bench|scripts|docs)\//.test(f) || f === 'package-lock.json')).toEqual([]);
  });

  it('installs offline from an empty npm cache and runs --help and timeline --journal from the prefix', async () => {
    const prefix = join(dir, 'prefix');
    const cache = join(dir, 'empty-cache');
    mkdirSync(cache);
    const install = await exec('npm', ['install', '-g', '--prefix', prefix, '--offline', '--cache', cache, '--no-audit', '--no-fund', tarball]);
    expect(install.code, install.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'ollama-influx');
    const env = { PATH: process.env['PATH'], HOME: dir };
    const help = await exec(bin, ['--help'], { env, cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ollama-influx /);
    expect(help.stdout).toContain('timeline');

    const journal = join(dir, 'journal');
    mkdirSync(journal);
    await writeJournal(journal, seedJournalEntries());
    await writeScenarioModelsDir(join(dir, 'models'));
    const run = await exec(bin, ['timeline', '--journal', '--journal-dir', journal, '--start', SEED_START, '--stop', SEED_STOP, '--format', 'csv'], {
      env: { ...env, OLLAMA_MODELS_DIR: join(dir, 'models') },
      cwd: dir,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The five sessions of the seed journal (see first-minute.test.ts), by their lifecycle bars.
    expect(run.stdout.split('\n').filter((l) => l.endsWith(',background')).map((l) => l.split(',')[3])).toEqual([
      'gemma3:12b (ctx: 2048)',
      'gemma3:1b (ctx: 8192)',
      'phi4:latest (ctx: 2048)',
      'gemma3:12b (ctx: 8192)',
      'qwen3:8b (ctx: 8192)',
    ]);
  });

  it('install.sh works from the unpacked tarball without npm (staged with --root)', async () => {
    const unpacked = join(dir, 'unpacked');
    mkdirSync(unpacked);
    expect((await exec('tar', ['xzf', tarball, '-C', unpacked])).code).toBe(0);
    // An npm that leaves a mark: install.sh must not need it for a packed release.
    const shims = join(dir, 'shims');
    mkdirSync(shims);
    writeFileSync(join(shims, 'npm'), `#!/bin/sh\necho "npm $*" >> ${join(dir, 'npm-called')}\nexit 1\n`);
    chmodSync(join(shims, 'npm'), 0o755);
    writeFileSync(join(dir, 'token'), 'a-token-for-the-staged-config\n');
    const stage = join(dir, 'stage');
    const install = await exec(
      'bash',
      [join(unpacked, 'package', 'install.sh'), '--root', stage, '--url', 'http://127.0.0.1:8086', '--org', 'o', '--bucket', 'b', '--token-file', join(dir, 'token')],
      { env: { PATH: `${shims}:${process.env['PATH']}`, HOME: dir } },
    );
    expect(install.code, install.stdout + install.stderr).toBe(0);
    expect(existsSync(join(dir, 'npm-called'))).toBe(false);
    const opt = join(stage, 'opt', 'ollama-influx');
    expect(readdirSync(join(opt, 'node_modules')).sort()).toEqual(expect.arrayContaining(Object.keys(PACKAGE.dependencies).map((d) => d.split('/')[0]!)));
    const help = await exec(join(opt, 'bin', 'ollama-influx'), ['--help'], { env: { PATH: process.env['PATH'], HOME: dir } });
    expect(help.code).toBe(0);
    expect(readFileSync(join(stage, 'etc', 'ollama-influx', 'config.env'), 'utf8')).toMatch(/^INFLUXDB_BUCKET='b'$/m);
  });
});
