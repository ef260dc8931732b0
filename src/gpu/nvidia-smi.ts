// Reading `nvidia-smi --query-gpu=… --format=csv,noheader,nounits`: one line per GPU, values in the
// order asked. A value the GPU cannot report is `[N/A]` or `[Not Supported]` (older drivers print
// the latter, some fields plain `N/A`); with MIG enabled, utilization is `[N/A]`. Those become null,
// never zero: a dashboard must show a gap, not an idle GPU.

/** The properties asked for, in order (see `nvidia-smi --help-query-gpu`). */
const QUERY_FIELDS = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'memory.total',
  'memory.used',
  'memory.free',
  'temperature.gpu',
  'power.draw',
  'power.limit',
] as const;

export const NVIDIA_SMI_ARGS = [`--query-gpu=${QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];

export interface GpuSample {
  readonly index: string;
  readonly uuid: string;
  readonly name: string;
  readonly utilization_percent: number | null;
  readonly memory_total_bytes: number | null;
  readonly memory_used_bytes: number | null;
  readonly memory_free_bytes: number | null;
  readonly temperature_celsius: number | null;
  readonly power_draw_watts: number | null;
  readonly power_limit_watts: number | null;
}

interface ParsedGpus {
  readonly gpus: GpuSample[];
  /** Lines that could not be read (wrong number of values): reported, never fatal. */
  readonly badLines: string[];
}

const MIB = 1024 * 1024;
const MAX_TEXT = 200;

/** A number, or null for [N/A], [Not Supported], N/A, empty or anything else that is not one. */
function value(text: string, scale = 1): number | null {
  if (!/^-?\d+(?:\.\d+)?$/.test(text)) return null;
  const n = Number(text) * scale;
  return Number.isFinite(n) ? n : null;
}

function label(text: string): string {
  return /^\[?(?:N\/A|Not Supported)\]?$/.test(text) ? '' : text.slice(0, MAX_TEXT);
}

export function parseNvidiaSmi(stdout: string): ParsedGpus {
  const gpus: GpuSample[] = [];
  const badLines: string[] = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    // nvidia-smi separates values by ", "; a GPU name holds no comma.
    const values = line.split(',').map((v) => v.trim());
    if (values.length !== QUERY_FIELDS.length) {
      badLines.push(line.slice(0, MAX_TEXT));
      continue;
    }
    const [index, uuid, name, util, total, used, free, temperature, draw, limit] = values as [string, ...string[]] as string[];
    if (!/^\d{1,4}$/.test(index!)) {
      badLines.push(line.slice(0, MAX_TEXT));
      continue;
    }
    gpus.push({
      index: index!,
      uuid: label(uuid!),
      name: label(name!),
      utilization_percent: value(util!),
      memory_total_bytes: value(total!, MIB),
      memory_used_bytes: value(used!, MIB),
      memory_free_bytes: value(free!, MIB),
      temperature_celsius: value(temperature!),
      power_draw_watts: value(draw!),
      power_limit_watts: value(limit!),
    });
  }
  return { gpus, badLines };
}
