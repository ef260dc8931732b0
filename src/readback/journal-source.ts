// The read API's data from this host's journal (`serve --journal`): no InfluxDB. Each answer streams
// the journal for its range through the daemon's reader and parser and counts what the InfluxDB
// source (src/http/influx-source.ts) has Flux count: the same `ollama_requests` records, the `model`
// of each as the daemon's incremental tracker names it, the same server starts and timeline input.
// GPU readings are not in the journal (the collector writes them to InfluxDB only): none here.

import type { Config } from '../config/schema.js';
import type { JournalSourceSettings } from '../journal/source.js';
import { readJournal } from '../journal/source.js';
import { parseMessage } from '../ollama/parse/index.js';
import { timelineRecord } from '../ollama/lifecycle/from-parsed.js';
import { LifecycleTracker } from '../ollama/lifecycle/tracker.js';
import type { ReconstructionInput, TimelineRequest } from '../ollama/lifecycle/types.js';
import type { GpuReading, ModelTotals, ReadSource, RequestTotals, StepTotals } from '../http/source.js';
import { journalTimelineInput } from './journal-input.js';
import { entryTime, lastModelsDir, readJournalRecords } from './journal-records.js';
import { localInventory } from './local-inventory.js';

interface Counted {
  requests: number;
  errors: number;
  latencySumMs: number;
}

const empty = (): Counted => ({ requests: 0, errors: 0, latencySumMs: 0 });

function count(into: Counted, request: TimelineRequest): void {
  into.requests++;
  if (request.status >= 500 && request.status <= 599) into.errors++;
  into.latencySumMs += request.latencyMs;
}

/** Every [GIN] line ingest stores in `ollama_requests` (any path), as a request record. */
function anyRequest(message: string, time: number): TimelineRequest | null {
  const parsed = parseMessage(message);
  if (parsed.kind !== 'request') return null;
  const record = timelineRecord(parsed, message, time, () => null);
  return record !== null && 'request' in record ? record.request : null;
}

export class JournalReadSource implements ReadSource {
  constructor(
    private readonly source: JournalSourceSettings,
    private readonly config: Config,
    readonly defaultHost: string,
  ) {}

  /** journalctl runs and may read the unit's journal (a permission problem is thrown here). */
  async check(): Promise<void> {
    for await (const entries of readJournal(this.source, { sinceMs: Date.now() })) if (entries.length > 0) break;
  }

  /** The requests logged in [start, stop), streamed; the journal holds one host only. */
  private async *requests(host: string, start: number, stop: number): AsyncGenerator<TimelineRequest> {
    if (host !== this.defaultHost) return;
    for await (const entries of readJournal(this.source, { sinceMs: start })) {
      for (const entry of entries) {
        const time = entryTime(entry);
        if (time >= stop) return;
        if (time < start) continue;
        const request = anyRequest(entry.message, time);
        if (request !== null) yield request;
      }
    }
  }

  async requestTotals(host: string, start: number, stop: number): Promise<RequestTotals> {
    const totals = empty();
    for await (const request of this.requests(host, start, stop)) count(totals, request);
    return totals;
  }

  async requestSteps(host: string, start: number, stop: number, stepMs: number): Promise<StepTotals[]> {
    const steps = new Map<number, Counted>();
    for await (const request of this.requests(host, start, stop)) {
      const k = Math.floor((request.end - start) / stepMs);
      let step = steps.get(k);
      if (step === undefined) steps.set(k, (step = empty()));
      count(step, request);
    }
    return [...steps.entries()].sort(([a], [b]) => a - b).map(([k, totals]) => ({ start: start + k * stepMs, ...totals }));
  }

  /**
   * Each request's model as the daemon tags it: the incremental tracker fed in journal order from the
   * last server start before the range (the sessions alive at `start` begin there), at most a week back.
   */
  async requestsByModel(host: string, start: number, stop: number): Promise<ModelTotals[]> {
    if (host !== this.defaultHost) return [];
    const context = await readJournalRecords(this.source, start, start);
    const inventory = await localInventory({
      configured: this.config.modelsDir,
      unit: this.source.unit,
      serverConfigModelsDir: lastModelsDir(context.events),
      warn: () => undefined,
    });
    const tracker = new LifecycleTracker(() => inventory);
    const modelFor = (sha256: string) => inventory.get(sha256)?.[0] ?? null;
    const from = Math.min(start, context.requests.earliestEnd(), ...context.events.map((e) => e.time));
    const byModel = new Map<string, Counted>();
    // Fed as the daemon feeds it (src/telemetry/ollama-activity.ts): every record, in journal order.
    reading: for await (const entries of readJournal(this.source, { sinceMs: from })) {
      for (const entry of entries) {
        const time = entryTime(entry);
        if (time >= stop) break reading;
        if (time < from) continue;
        const record = timelineRecord(parseMessage(entry.message), entry.message, time, modelFor);
        if (record === null) continue;
        if ('event' in record) {
          tracker.addEvent(record.event);
          continue;
        }
        const model = tracker.addRequest(record.request);
        if (time < start) continue;
        let totals = byModel.get(model);
        if (totals === undefined) byModel.set(model, (totals = empty()));
        count(totals, record.request);
      }
    }
    return [...byModel.entries()].map(([model, totals]) => ({ model: model === '' ? null : model, ...totals }));
  }

  async lastServerStart(host: string, stop: number): Promise<number | null> {
    if (host !== this.defaultHost) return null;
    for await (const entries of readJournal(this.source, { backFromMs: stop })) {
      for (const entry of entries) {
        const time = entryTime(entry);
        if (time < stop && parseMessage(entry.message).kind === 'server_start') return time;
      }
    }
    return null;
  }

  async gpus(): Promise<GpuReading[]> {
    return [];
  }

  timelineInput(host: string, start: number, stop: number): Promise<ReconstructionInput> {
    if (host !== this.defaultHost) return Promise.resolve({ events: [], requests: [], inventory: new Map() });
    return journalTimelineInput(this.source, this.config, start, stop);
  }
}
