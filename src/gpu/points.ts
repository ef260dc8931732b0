// `gpu`: one point per GPU per sample. Tags host, gpu_index, gpu_uuid, gpu_name (bounded: the GPUs of
// the host); float fields, left out when nvidia-smi could not tell (a point needs at least one).

import { escapeTag } from '../influx/points/escape.js';
import type { GpuSample } from './nvidia-smi.js';
import { epochNs } from '../time.js';
import { GPU_MEASUREMENT } from '../influx/measurements.js';

const FIELDS = [
  'utilization_percent',
  'memory_total_bytes',
  'memory_used_bytes',
  'memory_free_bytes',
  'temperature_celsius',
  'power_draw_watts',
  'power_limit_watts',
] as const;

/** Tag values InfluxDB cannot store (empty, or ending in a backslash) are left out or trimmed. */
function tag(key: string, value: string): string {
  const clean = value.replace(/\\+$/, '');
  return clean === '' ? '' : `,${key}=${escapeTag(clean)}`;
}

export function gpuLines(samples: readonly GpuSample[], host: string, timeMs: number): string[] {
  const timeNs = epochNs(timeMs);
  const lines: string[] = [];
  for (const s of samples) {
    const fields = FIELDS.filter((f) => s[f] !== null).map((f) => `${f}=${s[f]}`);
    if (fields.length === 0) continue;
    const tags = `${tag('gpu_index', s.index)}${tag('gpu_name', s.name)}${tag('gpu_uuid', s.uuid)}${tag('host', host)}`;
    lines.push(`${GPU_MEASUREMENT}${tags} ${fields.join(',')} ${timeNs}`);
  }
  return lines;
}
