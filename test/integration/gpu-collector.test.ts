// The GPU collector against the stand-in nvidia-smi (real public outputs) and a real InfluxDB: a
// missing nvidia-smi turns GPU metrics off with one warning, a failing one warns once per problem and
// clears the gauges, and a recovered one writes again. Never a crash.

import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { GpuCollector } from '../../src/gpu/collector.js';
import { Sink } from '../../src/influx/sink.js';
import { createWriteClient } from '../../src/influx/write-client.js';
import { Stats } from '../../src/telemetry/stats.js';
import { freshBucket, queryRows } from '../support/influx.js';

const STAND_IN_BIN = fileURLToPath(new URL('../fixtures/nvidia-smi/bin', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/nvidia-smi/${name}`, import.meta.url));
const savedPath = process.env['PATH'];

afterEach(() => {
  process.env['PATH'] = savedPath;
  delete process.env['NVIDIA_SMI_FIXTURE'];
});

async function collector() {
  const target = await freshBucket('gpu');
  const warnings: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString()) as { level: number; msg: string };
      if (line.level >= 40) warnings.push(line.msg);
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  const signal = new AbortController().signal;
  const sink = new Sink(createWriteClient(target), { logger, stats: new Stats(), signal, maxAttempts: 3 });
  const registry = new Registry();
  const gpu = new GpuCollector({ host: 'gpu-host', intervalMs: 1000, sink, registry, logger, signal });
  return { target, warnings, registry, gpu };
}

describe('GpuCollector', () => {
  it('turns itself off with one warning when nvidia-smi is not on PATH', async () => {
    process.env['PATH'] = '/nonexistent';
    const { gpu, warnings, registry } = await collector();
    expect(await gpu.sample()).toBe(false);
    expect(warnings).toEqual(['nvidia-smi is not on PATH: GPU metrics are off (set GPU_METRICS=off to silence this)']);
    expect(await registry.getSingleMetricAsString('nvidia_gpu_memory_used_bytes')).not.toMatch(/^nvidia_gpu_memory_used_bytes\{/m);
  });

  it('warns once while nvidia-smi keeps failing, clears the gauges, and recovers', async () => {
    process.env['PATH'] = `${STAND_IN_BIN}:${savedPath}`;
    const { gpu, warnings, registry, target } = await collector();
    process.env['NVIDIA_SMI_FIXTURE'] = fixture('busy-2080.json');
    expect(await gpu.sample(Date.parse('2025-07-23T00:00:00Z'))).toBe(true);
    expect(await registry.getSingleMetricAsString('nvidia_gpu_utilization')).toContain(
      'nvidia_gpu_utilization{gpu="0",uuid="GPU-22b2c6ac-2d49-4863-197c-9c469071178a",name="GeForce RTX 2080"} 86',
    );

    process.env['NVIDIA_SMI_FIXTURE'] = fixture('no-driver.json');
    for (let i = 0; i < 3; i++) expect(await gpu.sample()).toBe(true);
    expect(warnings).toEqual([
      "nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    ]);
    expect(await registry.getSingleMetricAsString('nvidia_gpu_utilization')).not.toMatch(/^nvidia_gpu_utilization\{/m);

    process.env['NVIDIA_SMI_FIXTURE'] = fixture('mig-a800.json');
    expect(await gpu.sample(Date.parse('2025-07-23T00:01:00Z'))).toBe(true);
    expect(warnings).toHaveLength(1);
    // MIG: utilization [N/A] is no gauge at all, memory is.
    expect(await registry.getSingleMetricAsString('nvidia_gpu_utilization')).not.toMatch(/^nvidia_gpu_utilization\{/m);
    expect(await registry.getSingleMetricAsString('nvidia_gpu_memory_used_bytes')).toContain(`name="NVIDIA A800-SXM4-80GB"} ${36537 * 1_048_576}`);

    const rows = await queryRows(
      target,
      `from(bucket: "${target.bucket}") |> range(start: 2025-07-22T00:00:00Z, stop: 2025-07-24T00:00:00Z) |> filter(fn: (r) => r._measurement == "gpu") |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value") |> sort(columns: ["_time"])`,
    );
    expect(rows.map((r) => [r['gpu_name'], r['utilization_percent'] ?? null, r['power_draw_watts']])).toEqual([
      ['GeForce RTX 2080', 86, 176.98],
      ['NVIDIA A800-SXM4-80GB', null, 87],
    ]);
  });
});
