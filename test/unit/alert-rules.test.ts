// The Prometheus alert rules, checked by Prometheus's own promtool (Debian package `prometheus`):
// syntax, and alerts/ollama.rules.test.yml where each alert fires and stays silent. Then each rule is
// broken on purpose, to show the tests would catch it.

import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/journal.js';

const RULES = resolve('alerts/ollama.rules.yml');
const TESTS = resolve('alerts/ollama.rules.test.yml');

function promtool(...args: string[]) {
  const run = spawnSync('promtool', args, { encoding: 'utf8', timeout: 60_000 });
  if (run.error !== undefined) throw new Error(`promtool could not run (apt-get install -y prometheus): ${run.error.message}`);
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('alerts/ollama.rules.yml', () => {
  it('passes promtool check rules', () => {
    const { code, output } = promtool('check', 'rules', RULES);
    expect(output).toContain('SUCCESS: 7 rules found');
    expect(code).toBe(0);
  });

  it('passes promtool test rules: every alert fires and stays silent', () => {
    const { code, output } = promtool('test', 'rules', TESTS);
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
    const tests = readFileSync(TESTS, 'utf8');
    for (const alert of [...readFileSync(RULES, 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]!)) {
      const cases = [...tests.matchAll(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:( \\[\\])?`, 'g'))];
      expect(cases.some((c) => c[1] !== undefined), `${alert} has a silent case`).toBe(true);
      expect(cases.some((c) => c[1] === undefined), `${alert} has a firing case`).toBe(true);
    }
  });

  it.each([
    ['OllamaHighErrorRate', '> 0.05', '> 0.5'],
    ['OllamaSlowRequests', ') > 3', ') > 5'],
    ['GpuMemoryAlmostFull', '> 0.9', '> 0.95'],
    ['OllamaModelLoadFailures', '[15m]) > 0', '[2m]) > 0'],
    ['OllamaInfluxLagging', '> 300', '> 600'],
    ['OllamaInfluxWriteErrors', '[5m])) > 0', '[5m])) > 1'],
    ['OllamaInfluxDown', '== 0', '== 2'],
  ])('fails when %s is broken', (alert, from, to) => {
    const dir = tempDir('rules');
    const rules = readFileSync(RULES, 'utf8');
    const start = rules.indexOf(`- alert: ${alert}`);
    const end = rules.indexOf('- alert:', start + 1);
    const block = rules.slice(start, end === -1 ? undefined : end);
    expect(block).toContain(from);
    writeFileSync(join(dir, 'ollama.rules.yml'), rules.replace(block, block.replace(from, to)));
    copyFileSync(TESTS, join(dir, 'ollama.rules.test.yml'));
    const { code, output } = promtool('test', 'rules', join(dir, 'ollama.rules.test.yml'));
    expect(code).not.toBe(0);
    expect(output).toContain(alert);
  });
});
