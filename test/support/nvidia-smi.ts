// The stand-in nvidia-smi's fixtures (test/fixtures/nvidia-smi, each citing its public source) and
// what two-quadro.json's numbers are as readings, converted by hand (MiB × 1048576).

import { fileURLToPath } from 'node:url';

export const NVIDIA_SMI_BIN = fileURLToPath(new URL('../fixtures/nvidia-smi/bin', import.meta.url));
export const TWO_QUADRO = fileURLToPath(new URL('../fixtures/nvidia-smi/two-quadro.json', import.meta.url));
export const MIB = 1_048_576;

/** two-quadro.json: 8192 MiB total on GPU 0 (GPU 1 does not say), 1 MiB used on each, free not reported. */
export const TWO_QUADRO_READINGS = [
  {
    index: '0',
    uuid: 'GPU-c7b57be0-94ff-d352-a59b-d0ee00aeed43',
    name: 'Quadro RTX 4000',
    utilization_percent: 0,
    memory_total_bytes: 8192 * MIB,
    memory_used_bytes: MIB,
    memory_free_bytes: null,
    temperature_celsius: 25,
    power_draw_watts: 10,
    power_limit_watts: 125,
  },
  {
    index: '1',
    uuid: 'GPU-d6de6afc-bdfe-75c4-5273-0544439153fc',
    name: 'Quadro RTX 4000',
    utilization_percent: 0,
    memory_total_bytes: null,
    memory_used_bytes: MIB,
    memory_free_bytes: null,
    temperature_celsius: 25,
    power_draw_watts: 1,
    power_limit_watts: 125,
  },
];
