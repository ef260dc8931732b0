// The timeline's whole input from this host alone: the records from the journal, model names from the
// local models dir. What the InfluxDB source gives for the same entries once the daemon shipped them.

import type { Config } from '../config/schema.js';
import type { JournalSourceSettings } from '../journal/source.js';
import type { ReconstructionInput } from '../ollama/lifecycle/types.js';
import { lastModelsDir, readJournalRecords, withModelNames } from './journal-records.js';
import { localInventory } from './local-inventory.js';

export async function journalTimelineInput(source: JournalSourceSettings, config: Config, start: number, stop: number): Promise<ReconstructionInput> {
  const records = await readJournalRecords(source, start, stop);
  const inventory = await localInventory({
    configured: config.modelsDir,
    unit: source.unit,
    serverConfigModelsDir: lastModelsDir(records.events),
    warn: (message) => process.stderr.write(`ollama-influx: warning: ${message}\n`),
  });
  return { events: withModelNames(records.events, inventory), requests: records.requests, inventory };
}
