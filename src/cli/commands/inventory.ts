// `ollama-influx inventory`: the installed models as `ollama list` names them, with the model
// blob's sha256, size and details; --write also stores them in ollama_model_inventory.

import type { Command } from 'commander';
import { inventoryLines } from '../../models-dir/points.js';
import { standaloneBatch } from '../../influx/sink.js';
import { discoverModelsDir } from '../../models-dir/discover.js';
import type { InventoryModel } from '../../ollama/inventory/manifest.js';
import { scanModels } from '../../models-dir/scan.js';
import type { OpenRuntime } from '../../runtime.js';
import { epochNs } from '../../time.js';

interface InventoryOptions {
  readonly modelsDir?: string;
  readonly json?: boolean;
  readonly write?: boolean;
}

export function registerInventoryCommand(program: Command, open: OpenRuntime): void {
  program
    .command('inventory')
    .description('List the installed Ollama models (names as `ollama list` shows them); --write also stores them in InfluxDB')
    .option('--models-dir <dir>', 'Ollama models directory (default: OLLAMA_MODELS_DIR, else discovered)')
    .option('--json', 'print a JSON array instead of a table')
    .option('--write', 'also write the rows to InfluxDB (measurement ollama_model_inventory)')
    .action(async (options: InventoryOptions) => {
      const write = options.write === true;
      const runtime = open({ logTo: 'stderr', config: write ? 'full' : 'no-influx' });
      const { config } = runtime;

      const { dir, source } =
        options.modelsDir !== undefined
          ? { dir: options.modelsDir, source: '--models-dir' }
          : await discoverModelsDir({ configured: config.modelsDir, unit: config.ollamaUnit });
      process.stderr.write(`models dir ${dir} (from ${source})\n`);

      const { models, warnings } = await scanModels(dir);
      for (const warning of warnings) warn(warning);
      process.stdout.write(options.json === true ? `${JSON.stringify(models.map(toJson), null, 2)}\n` : table(models));

      if (write) {
        const timeNs = epochNs(Date.now());
        const lines = inventoryLines(models, config.hostTag, timeNs);
        // Through the sink: its retries, bisecting and coded errors, as every other writer.
        if (lines.length > 0) await runtime.sink.write(standaloneBatch(lines, 'inventory', Date.now()));
        process.stderr.write(`wrote ${models.length} inventory row(s) for host ${config.hostTag} to bucket ${config.influx.bucket}\n`);
      }
    });
}

function warn(message: string): void {
  process.stderr.write(`ollama-influx: warning: ${message}\n`);
}

/** Fixed key order: this JSON is an interface scripts rely on. */
function toJson(model: InventoryModel): InventoryModel {
  const { model_name, sha256, size, model_size, family, parameter_size, quantization } = model;
  return { model_name, sha256, size, model_size, family, parameter_size, quantization };
}

const COLUMNS = ['NAME', 'SHA256', 'SIZE', 'FAMILY', 'PARAMETERS', 'QUANTIZATION'] as const;

function table(models: readonly InventoryModel[]): string {
  const rows = models.map((m) => [m.model_name, m.sha256.slice(0, 12), humanBytes(m.size), m.family ?? '-', m.parameter_size ?? '-', m.quantization ?? '-']);
  const all: string[][] = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  return all.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** Decimal units like `ollama list` (4.7 GB). */
function humanBytes(bytes: number): string {
  const units: [number, string][] = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'KB'],
  ];
  for (const [scale, unit] of units) {
    if (bytes < scale) continue;
    const value = bytes / scale;
    return value >= 10 || Number.isInteger(value) ? `${Math.trunc(value)} ${unit}` : `${value.toFixed(1)} ${unit}`;
  }
  return `${bytes} B`;
}
