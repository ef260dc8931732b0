// Ollama's activity as read from its log lines: feeds the lifecycle tracker (which model served each
// request) and the `ollama_*` metrics. Sees each journal entry once: after a failed write the shipper
// re-reads the entries after the checkpoint, and those must neither count twice nor change their
// `model` tag (it is part of the point's key: a different one would store the request twice).

import type { JournalPosition, ObservedEntry } from '../journal/entry.js';
import type { ParsedLine } from '../ollama/parse/index.js';
import { timelineRecord } from '../ollama/lifecycle/from-parsed.js';
import { LifecycleTracker } from '../ollama/lifecycle/tracker.js';
import type { RequestColumns } from '../ollama/lifecycle/request-columns.js';
import type { TimelineEvent, TimelineRequest } from '../ollama/lifecycle/types.js';
import { methodLabel, pathLabel, statusLabel } from './labels.js';
import type { OllamaMetrics } from './metrics.js';

/** GPU ids come from log lines: past this many distinct ones, the rest share the label `other`. */
const MAX_GPU_LABELS = 16;
/** A GPU id from a log line is a UUID or an index; anything longer is cut to this many characters. */
const MAX_GPU_LABEL_LENGTH = 100;

/** Re-reads cover at most the batches in flight (3 × 5000 lines): remember more decisions than that. */
const REMEMBERED_DECISIONS = 32_768;

/**
 * The `model` decided for the latest requests, by journal position: a ring of fixed size (no Map
 * growing and shrinking on the hot path). Positions only grow within one seqnum ID, so a lookup is a
 * binary search.
 */
class DecisionRing {
  private readonly ids: string[];
  private readonly seqnums: Float64Array;
  private readonly models: string[];
  private next = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.ids = new Array<string>(capacity).fill('');
    this.seqnums = new Float64Array(capacity);
    this.models = new Array<string>(capacity).fill('');
  }

  add(seqnumId: string, seqnum: number, model: string): void {
    this.ids[this.next] = seqnumId;
    this.seqnums[this.next] = seqnum;
    this.models[this.next] = model;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** The model decided for that request, '' when it is too old to be remembered. */
  get(seqnumId: string, seqnum: number): string {
    const oldest = (this.next - this.size + this.capacity) % this.capacity;
    const at = (i: number): number => (oldest + i) % this.capacity;
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const value = this.seqnums[at(mid)]!;
      if (value === seqnum) return this.ids[at(mid)] === seqnumId ? this.models[at(mid)]! : '';
      if (value < seqnum) low = mid + 1;
      else high = mid - 1;
    }
    return '';
  }
}

export class OllamaActivity {
  readonly tracker: LifecycleTracker;
  private lastSeqnumId = '';
  private lastSeqnum = -1;
  private readonly decisions = new DecisionRing(REMEMBERED_DECISIONS);
  /** The model of the latest load start: Ollama's scheduler loads one model at a time. */
  private loading = '';
  private readonly gpus = new Set<string>();

  constructor(
    private readonly metrics: OllamaMetrics,
    private readonly names: () => ReadonlyMap<string, readonly string[]>,
    private readonly modelFor: (sha256: string) => string | null,
  ) {
    this.tracker = new LifecycleTracker(names);
  }

  /** The encoder's observer (pipeline/encode.ts): every recognised line; a request's `model` tag ('' for none). */
  line(parsed: ParsedLine, entry: ObservedEntry): string {
    // Only a re-read entry can have a decision already: new ones skip the lookup.
    if (this.seenBefore(entry)) return this.decisions.get(entry.seqnumId, entry.seqnum);
    const record = timelineRecord(parsed, entry.message, entry.timeMs, this.modelFor);
    if (record === null) return '';
    if ('request' in record) return this.servedBy(record.request, entry);
    this.applyEvent(record.event);
    return '';
  }

  /** A request the byte-level gin path read: the same as line() for it. */
  request(request: TimelineRequest, position: JournalPosition): string {
    if (this.seenBefore(position)) return this.decisions.get(position.seqnumId, position.seqnum);
    return this.servedBy(request, position);
  }

  private servedBy(request: TimelineRequest, position: JournalPosition): string {
    const model = this.tracker.addRequest(request);
    this.metrics.requests.count(methodLabel(request.method), pathLabel(request.path), statusLabel(request.status), model, request.latencyMs / 1000);
    this.decisions.add(position.seqnumId, position.seqnum, model);
    return model;
  }

  private gpuLabel(id: string): string {
    const label = id.slice(0, MAX_GPU_LABEL_LENGTH);
    if (!this.gpus.has(label)) {
      if (this.gpus.size >= MAX_GPU_LABELS) return 'other';
      this.gpus.add(label);
    }
    return label;
  }

  /** True for an entry at or before the newest one already seen in the same journal sequence. */
  private seenBefore(entry: JournalPosition): boolean {
    if (entry.seqnumId === '') return false;
    const repeat = entry.seqnumId === this.lastSeqnumId && entry.seqnum <= this.lastSeqnum;
    if (!repeat) {
      this.lastSeqnumId = entry.seqnumId;
      this.lastSeqnum = entry.seqnum;
    }
    return repeat;
  }

  private applyEvent(event: TimelineEvent): void {
    const time = event.time;
    const m = this.metrics;
    this.tracker.addEvent(event);
    const f = event.fields;
    switch (event.kind) {
      case 'model_load_start':
        this.loading = event.model ?? '';
        m.modelLoads.inc({ model: this.loading });
        break;
      case 'model_loaded':
        if (typeof f['load_seconds'] === 'number') m.modelLoadDuration.observe({ model: this.loading }, f['load_seconds']);
        break;
      case 'load_error':
        m.modelLoadErrors.inc({ model: event.model ?? this.loading });
        break;
      case 'prompt_truncated': {
        const loaded = this.tracker.loadedModels(time);
        m.promptTruncations.inc({ model: loaded.length === 1 ? loaded[0]! : '' });
        break;
      }
      case 'vram_update':
        if (typeof f['available_bytes'] === 'number') m.vramAvailable.set({ gpu: this.gpuLabel(String(f['gpu'] ?? '')) }, f['available_bytes']);
        break;
      default:
        break;
    }
  }

  /**
   * Restores the lifecycle state after a restart from what InfluxDB already holds (entries before the
   * checkpoint), so the entries after it get the `model` tag they would have had without the restart.
   * Feeds only the tracker: counters start from zero in a new process, as Prometheus expects.
   */
  warmUp(input: { readonly events: readonly TimelineEvent[]; readonly requests: RequestColumns }): void {
    // In time order, an event before the requests of its millisecond; the requests through an index
    // into their columns (a busy day is hundreds of thousands: no record object per request held).
    const events = [...input.events].sort((a, b) => a.time - b.time);
    const { requests } = input;
    let next = 0;
    for (const i of requests.byEnd()) {
      while (next < events.length && events[next]!.time <= requests.end(i)) this.tracker.addEvent(events[next++]!);
      this.tracker.addRequest(requests.request(i));
    }
    while (next < events.length) this.tracker.addEvent(events[next++]!);
  }

  /** For the `ollama_model_loaded` gauge: every inventory name, 1 when loaded at `nowMs`. */
  loadedNow(nowMs: number): Map<string, number> {
    const result = new Map<string, number>();
    for (const names of this.names().values()) for (const name of names) result.set(name, 0);
    for (const name of this.tracker.loadedModels(nowMs)) result.set(name, 1);
    return result;
  }
}
