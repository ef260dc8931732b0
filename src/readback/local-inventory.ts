// Model names without InfluxDB: the models dir of this host, found as the daemon finds it
// (src/models-dir/discover.ts) and scanned as the daemon scans it. When it cannot be read the
// timeline still works: sessions are then labelled by the start of their sha256, and the reader is told
// once why.

import { discoverModelsDir } from '../models-dir/discover.js';
import { namesBySha256, scanModels } from '../models-dir/scan.js';

export interface LocalInventoryOptions {
  /** OLLAMA_MODELS_DIR, or null to discover it. */
  readonly configured: string | null;
  readonly unit: string;
  /** OLLAMA_MODELS of the latest `server config` line already read, or null. */
  readonly serverConfigModelsDir: string | null;
  /** One line for the reader (standard error). */
  readonly warn: (message: string) => void;
}

/** sha256 → the blob's `ollama list` names (sorted); empty when the models dir cannot be read. */
export async function localInventory(options: LocalInventoryOptions): Promise<Map<string, string[]>> {
  const { dir, source } = await discoverModelsDir({
    configured: options.configured,
    unit: options.unit,
    lastServerConfigModelsDir: async () => options.serverConfigModelsDir,
  });
  const hint = 'models are shown as sha256-<first 12 hex> (set OLLAMA_MODELS_DIR, or run as a user who can read it)';
  try {
    const { models, warnings } = await scanModels(dir);
    if (warnings.length > 0) {
      options.warn(`${warnings.length} problem(s) reading the models dir ${dir}, first: ${warnings[0]}`);
    }
    return namesBySha256(models);
  } catch (err) {
    options.warn(`${err instanceof Error ? err.message : String(err)} (found from ${source}): ${hint}`);
    return new Map();
  }
}
