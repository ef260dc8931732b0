// Samples the GPUs every GPU_INTERVAL with nvidia-smi: writes the `gpu` measurement and sets the
// `nvidia_gpu_*` gauges. No nvidia-smi, or one that fails (no driver, GPU lost), is a warning once per
// distinct problem, never a crash; the daemon keeps shipping logs either way.

import { execFile } from 'node:child_process';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { type Sink, standaloneBatch } from '../influx/sink.js';
import { NVIDIA_SMI_ARGS, type GpuSample, parseNvidiaSmi } from './nvidia-smi.js';
import { gpuLines } from './points.js';

const TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 1 << 20;

type GaugeField = 'memory_used_bytes' | 'memory_total_bytes' | 'utilization_percent' | 'power_draw_watts' | 'temperature_celsius';

const GAUGES: readonly [string, string, GaugeField][] = [
  ['nvidia_gpu_memory_used_bytes', 'GPU memory in use (nvidia-smi memory.used).', 'memory_used_bytes'],
  ['nvidia_gpu_memory_total_bytes', 'GPU memory in total (nvidia-smi memory.total).', 'memory_total_bytes'],
  ['nvidia_gpu_utilization', 'Percent of time a kernel ran (nvidia-smi utilization.gpu); absent under MIG.', 'utilization_percent'],
  ['nvidia_gpu_power_usage_watts', 'Power draw (nvidia-smi power.draw).', 'power_draw_watts'],
  ['nvidia_gpu_temperature_celsius', 'GPU core temperature (nvidia-smi temperature.gpu).', 'temperature_celsius'],
];

interface GpuCollectorOptions {
  readonly host: string;
  readonly intervalMs: number;
  readonly sink: Sink;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

export class GpuCollector {
  private readonly gauges: [Gauge<'gpu' | 'uuid' | 'name'>, GaugeField][];
  private lastProblem: string | null = null;

  constructor(private readonly options: GpuCollectorOptions) {
    this.gauges = GAUGES.map(([name, help, field]) => [
      new Gauge({ name, help, labelNames: ['gpu', 'uuid', 'name'], registers: [options.registry] }),
      field,
    ]);
  }

  /** Samples now and then every interval until the signal aborts; stops for good when nvidia-smi is absent. */
  start(): void {
    const { signal, intervalMs } = this.options;
    const tick = async (): Promise<void> => {
      const keepGoing = await this.sample();
      if (keepGoing && !signal.aborted) setTimeout(() => void tick(), intervalMs).unref();
    };
    void tick();
  }

  /** One sample; false when nvidia-smi does not exist (nothing to retry). */
  async sample(nowMs = Date.now()): Promise<boolean> {
    const { logger } = this.options;
    let stdout: string;
    try {
      stdout = await runNvidiaSmi();
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
      if (e.code === 'ENOENT') {
        logger.warn('nvidia-smi is not on PATH: GPU metrics are off (set GPU_METRICS=off to silence this)');
        return false;
      }
      const detail = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim().split('\n')[0]?.slice(0, 300) || e.message;
      this.problem(`nvidia-smi failed: ${detail}`, { exit_code: e.code ?? null });
      this.clearGauges();
      return true;
    }
    const { gpus, badLines } = parseNvidiaSmi(stdout);
    if (badLines.length > 0) this.problem('nvidia-smi printed lines that are not GPU readings; they are ignored', { line: badLines[0] });
    else this.lastProblem = null;
    this.setGauges(gpus);
    const lines = gpuLines(gpus, this.options.host, nowMs);
    if (lines.length > 0) {
      try {
        await this.options.sink.write(standaloneBatch(lines, 'gpu', nowMs));
      } catch (err) {
        if (!this.options.signal.aborted) logger.warn({ err: (err as Error).message }, 'writing GPU metrics failed; the next sample tries again');
      }
    }
    return true;
  }

  /** Logs a problem when it differs from the last one: a failing nvidia-smi does not flood the log. */
  private problem(message: string, details: object): void {
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.options.logger.warn(details, message);
  }

  private setGauges(gpus: readonly GpuSample[]): void {
    this.clearGauges();
    for (const gpu of gpus) {
      const labels = { gpu: gpu.index, uuid: gpu.uuid, name: gpu.name };
      for (const [gauge, field] of this.gauges) {
        const value = gpu[field];
        if (value !== null) gauge.set(labels, value);
      }
    }
  }

  private clearGauges(): void {
    for (const [gauge] of this.gauges) gauge.reset();
  }
}

function runNvidiaSmi(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err !== null) reject(Object.assign(err, { stdout, stderr }));
      else resolve(stdout);
    });
  });
}
