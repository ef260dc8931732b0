// nvidia-smi's CSV as real GPUs printed it (replayed by the stand-in in test/fixtures/nvidia-smi, each
// fixture citing its public source), parsed into readings and `gpu` points. Expected values are the
// source's numbers converted by hand (MiB × 1048576).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from '../../src/gpu/nvidia-smi.js';
import { gpuLines } from '../../src/gpu/points.js';
import { TWO_QUADRO_READINGS } from '../support/nvidia-smi.js';

const STAND_IN = fileURLToPath(new URL('../fixtures/nvidia-smi/bin/nvidia-smi', import.meta.url));

function replay(fixture: string): string {
  const path = fileURLToPath(new URL(`../fixtures/nvidia-smi/${fixture}`, import.meta.url));
  return execFileSync(STAND_IN, NVIDIA_SMI_ARGS, { encoding: 'utf8', env: { ...process.env, NVIDIA_SMI_FIXTURE: path } });
}

describe('parseNvidiaSmi', () => {
  it('reads several GPUs, one line each, and leaves unreported values null', () => {
    const { gpus, badLines } = parseNvidiaSmi(replay('two-quadro.json'));
    expect(badLines).toEqual([]);
    expect(gpus).toEqual(TWO_QUADRO_READINGS);
  });

  it('reads a busy GPU', () => {
    const [gpu] = parseNvidiaSmi(replay('busy-2080.json')).gpus;
    expect(gpu).toMatchObject({ name: 'GeForce RTX 2080', utilization_percent: 86, memory_total_bytes: 7979 * 1_048_576, power_draw_watts: 176.98, temperature_celsius: 45 });
  });

  it('turns [Not Supported] (older drivers) and MIG\'s [N/A] utilization into null, not 0', () => {
    const [old] = parseNvidiaSmi(replay('not-supported-1050ti.json')).gpus;
    expect(old).toMatchObject({ uuid: '', name: 'GeForce GTX 1050 Ti', power_draw_watts: null, power_limit_watts: 120, memory_total_bytes: 4040 * 1_048_576 });
    const [mig] = parseNvidiaSmi(replay('mig-a800.json')).gpus;
    expect(mig).toMatchObject({ name: 'NVIDIA A800-SXM4-80GB', utilization_percent: null, memory_used_bytes: 36537 * 1_048_576, memory_total_bytes: 81920 * 1_048_576, power_draw_watts: 87 });
  });

  it('sets aside lines that are not readings and keeps going', () => {
    const text = `garbage\n0, GPU-x, Tesla T4, 5, 15360, 100, 15260, 40, 30.5, 70.00\n1, 2, 3\n`;
    const { gpus, badLines } = parseNvidiaSmi(text);
    expect(gpus.map((g) => g.name)).toEqual(['Tesla T4']);
    expect(badLines).toEqual(['garbage', '1, 2, 3']);
  });
});

describe('gpuLines', () => {
  it('writes tags it can store and only the fields nvidia-smi reported', () => {
    const lines = gpuLines(parseNvidiaSmi(replay('mig-a800.json')).gpus, 'gpu box', 1_700_000_000_000);
    expect(lines).toEqual([
      'gpu,gpu_index=0,gpu_name=NVIDIA\\ A800-SXM4-80GB,host=gpu\\ box ' +
        `memory_total_bytes=${81920 * 1_048_576},memory_used_bytes=${36537 * 1_048_576},temperature_celsius=33,power_draw_watts=87,power_limit_watts=400 1700000000000000000`,
    ]);
  });
});
