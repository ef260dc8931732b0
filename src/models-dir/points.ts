// `ollama_model_inventory`: one point per model name per scan (the public data contract).
// Tags host, model_name; fields sha256 (string), size (integer, all layers), model_size (integer,
// the model blob), family, parameter_size,
// quantization (strings, omitted when unknown). Field types never change: InfluxDB rejects a
// write whose field type differs from what the bucket already holds.

import type { InventoryModel } from '../ollama/inventory/manifest.js';
import { escapeMeasurement, escapeTag, quoteField } from '../influx/points/escape.js';
import { INVENTORY_MEASUREMENT } from '../influx/measurements.js';

/** Line protocol for one scan; every line carries the same timestamp (ns since the epoch). */
export function inventoryLines(models: readonly InventoryModel[], host: string, timeNs: string): string[] {
  if (!/^\d+$/.test(timeNs)) throw new RangeError(`inventory timestamp must be integer nanoseconds, got "${timeNs}"`);
  if (host === '') throw new RangeError('inventory host tag must not be empty');
  const measurement = escapeMeasurement(INVENTORY_MEASUREMENT);
  return models.map((model) => {
    if (!Number.isSafeInteger(model.size) || model.size < 0) {
      throw new RangeError(`inventory size of ${model.model_name} must be a non-negative integer, got ${model.size}`);
    }
    const fields = [`sha256=${quoteField(model.sha256)}`, `size=${model.size}i`];
    // The model blob alone (size is every layer, as `ollama list` shows it).
    if (Number.isSafeInteger(model.model_size) && model.model_size >= 0) fields.push(`model_size=${model.model_size}i`);
    if (model.family !== null) fields.push(`family=${quoteField(model.family)}`);
    if (model.parameter_size !== null) fields.push(`parameter_size=${quoteField(model.parameter_size)}`);
    if (model.quantization !== null) fields.push(`quantization=${quoteField(model.quantization)}`);
    // Tags in key order: InfluxDB sorts them anyway, and pre-sorted lines parse faster.
    return `${measurement},host=${escapeTag(host)},model_name=${escapeTag(model.model_name)} ${fields.join(',')} ${timeNs}`;
  });
}
