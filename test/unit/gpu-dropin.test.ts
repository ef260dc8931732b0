// The GPU drop-in merged into the unit as systemd would (its settings override or add to the unit's),
// scored by systemd-analyze security offline: the exposure README states.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/journal.js';

function exposure(unitText: string): string {
  const dir = tempDir('unit');
  writeFileSync(join(dir, 'ollama-influx.service'), unitText);
  const run = spawnSync('systemd-analyze', ['security', '--offline=true', join(dir, 'ollama-influx.service')], { encoding: 'utf8' });
  return /Overall exposure level for ollama-influx\.service: ([\d.]+)/.exec(run.stdout)?.[1] ?? `no score: ${run.stderr}`;
}

describe('systemd/gpu-metrics.conf', () => {
  const unit = readFileSync('systemd/ollama-influx.service', 'utf8');
  const dropIn = readFileSync('systemd/gpu-metrics.conf', 'utf8');
  const settings = dropIn.split('\n').filter((line) => /^\w+=/.test(line));

  it('opens only the NVIDIA devices and /proc/driver, at an exposure of 1.4 (1.2 without it)', () => {
    expect(settings).toEqual([
      'PrivateDevices=no',
      'DevicePolicy=closed',
      'DeviceAllow=char-nvidia-frontend rw',
      'DeviceAllow=char-nvidia-caps r',
      'ProcSubset=all',
    ]);
    // Single-value settings override the unit's; DeviceAllow= adds to its list.
    let merged = unit;
    for (const line of settings) {
      const key = line.slice(0, line.indexOf('='));
      if (key !== 'DeviceAllow' && new RegExp(`^${key}=.*$`, 'm').test(merged)) merged = merged.replace(new RegExp(`^${key}=.*$`, 'm'), line);
      else merged = merged.replace(/^DevicePolicy=.*$/m, (policy) => `${policy}\n${line}`);
    }
    expect(exposure(unit)).toBe('1.2');
    expect(exposure(merged)).toBe('1.4');
  });
});
