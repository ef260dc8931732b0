// Keeps the sha256 → model name map fresh and writes `ollama_model_inventory` each scan.
// A failed scan keeps the previous map: a model never loses its name because of one bad scan.

import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { inventoryLines } from '../models-dir/points.js';
import { type Sink, standaloneBatch } from '../influx/sink.js';
import { configuredJournal, readJournal } from '../journal/source.js';
import { discoverModelsDir, modelsDirFromServerConfig } from '../models-dir/discover.js';
import { namesBySha256, scanModels } from '../models-dir/scan.js';
import { DAY_MS, epochNs } from '../time.js';

/** How far back the first lookup of the `server config` line reads. */
const SERVER_CONFIG_LOOKBACK_MS = 7 * DAY_MS;

export class InventoryJob {
  private names = new Map<string, string[]>();
  /** What the `server config` lines said so far, and up to when they were read. */
  private logModelsDir: string | null = null;
  private logSearchedUntilMs: number | null = null;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  /** The name tagged on events: the first of the blob's names in sorted order. */
  readonly modelFor = (sha256: string): string | null => this.names.get(sha256)?.[0] ?? null;

  /** sha256 → every `ollama list` name of the blob, as of the latest successful scan. */
  readonly namesBySha256 = (): ReadonlyMap<string, readonly string[]> => this.names;

  /** Scans the models dir and writes one point per model; returns how many models were found. */
  async refresh(sink: Sink | null, nowMs: number): Promise<number> {
    const { dir, source } = await discoverModelsDir({
      configured: this.config.modelsDir,
      unit: this.config.ollamaUnit,
      lastServerConfigModelsDir: () => this.lastServerConfigModelsDir(),
    });
    const { models, warnings } = await scanModels(dir);
    for (const warning of warnings) this.logger.warn({ models_dir: dir }, warning);
    this.names = namesBySha256(models);
    if (sink !== null && models.length > 0) {
      const lines = inventoryLines(models, this.config.hostTag, epochNs(nowMs));
      await sink.write(standaloneBatch(lines, 'inventory', nowMs));
    }
    this.logger.info({ models_dir: dir, source, models: models.length }, 'model inventory scanned');
    return models.length;
  }

  /**
   * OLLAMA_MODELS from Ollama's latest `server config` line, when the journal has one. Read with the
   * shipper's own journalctl command shape, the only one the sudo wrapper runs (never `-o cat --grep`),
   * from where the previous lookup stopped: a week back the first time, then only what is new.
   */
  private async lastServerConfigModelsDir(): Promise<string | null> {
    const until = Date.now();
    const source = configuredJournal(this.config);
    for await (const entries of readJournal(source, { sinceMs: this.logSearchedUntilMs ?? until - SERVER_CONFIG_LOOKBACK_MS })) {
      for (const entry of entries) {
        if (!entry.message.includes('server config')) continue;
        this.logModelsDir = modelsDirFromServerConfig(entry.message) ?? this.logModelsDir;
      }
    }
    this.logSearchedUntilMs = until;
    return this.logModelsDir;
  }
}
