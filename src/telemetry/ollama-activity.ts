// Ollama's activity as read from its log lines: feeds the lifecycle tracker (which model served each
// request) and the `ollama_*` metrics. Sees each journal entry once: after a failed write the shipper
// re-reads the entries after the checkpoint, and those must neither count twice nor change their
// `model` tag (it is part of the point's key: a different one would store the request twice).

import type { ObservedEntry } from '../journal/entry.js';
import type { ParsedLine } from '../ollama/parse/index.js';
import { timelineRecord } from '../ollama/lifecycle/from-parsed.js';
import { LifecycleTracker } from '../ollama/lifecycle/tracker.js';
import type { TimelineInput } from '../ollama/lifecycle/types.js';
import { methodLabel, pathLabel, statusLabel } from './labels.js';
import type { OllamaMetrics } from './metrics.js';

/** GPU ids come from log lines: past this many distinct ones, the rest share the label `other`. */
const MAX_GPU_LABELS = 16;

/** Re-reads cover at most the batches in flight (3 × 5000 lines): remember more decisions than that. */
const REMEMBERED_DECISIONS = 20_000;

interface JournalPosition {
  readonly seqnumId: string;
  readonly seqnum: bigint;
}

/** `s=` (the sequence number's journal) and `i=` (hex sequence number) of a journald cursor. */
export function cursorPosition(cursor: string): JournalPosition | null {
  const id = partOf(cursor, 's=');
  const seq = partOf(cursor, 'i=');
  if (id === null || seq === null || !/^[0-9a-f]{1,16}$/.test(seq) || !/^[0-9a-f]+$/.test(id)) return null;
  return { seqnumId: id, seqnum: BigInt(`0x${seq}`) };
}

/** The value of `key` (`s=`, `i=`) among a cursor's `;`-separated parts, without a regex per line. */
function partOf(cursor: string, key: string): string | null {
  const at = cursor.startsWith(key) ? 0 : cursor.indexOf(`;${key}`) + 1;
  if (at === 0 && !cursor.startsWith(key)) return null;
  const end = cursor.indexOf(';', at);
  return cursor.slice(at + key.length, end === -1 ? cursor.length : end);
}

export class OllamaActivity {
  readonly tracker: LifecycleTracker;
  private last: JournalPosition | null = null;
  private decisions = new Map<string, string>();
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

  /** The encoder's `observe` hook: returns the request's `model` tag ('' for none). */
  readonly observe = (parsed: ParsedLine, entry: ObservedEntry): string => {
    // Only a re-read entry can have a decision already: new ones skip the lookup.
    if (this.seenBefore(entry)) return this.decisions.get(entry.cursor) ?? '';
    const model = this.apply(parsed, entry);
    if (parsed.kind === 'request') {
      this.decisions.set(entry.cursor, model);
      // Forget in bulk: deleting a Map's oldest key one at a time leaves holes that every later
      // oldest-key lookup walks again (quadratic over a long catch-up).
      if (this.decisions.size > 2 * REMEMBERED_DECISIONS) {
        this.decisions = new Map([...this.decisions].slice(-REMEMBERED_DECISIONS));
      }
    }
    return model;
  };

  private gpuLabel(id: string): string {
    const label = id.slice(0, 100);
    if (!this.gpus.has(label)) {
      if (this.gpus.size >= MAX_GPU_LABELS) return 'other';
      this.gpus.add(label);
    }
    return label;
  }

  /** True for an entry at or before the newest one already seen in the same journal sequence. */
  private seenBefore(entry: ObservedEntry): boolean {
    const position = cursorPosition(entry.cursor);
    if (position === null) return false;
    const repeat = this.last !== null && this.last.seqnumId === position.seqnumId && position.seqnum <= this.last.seqnum;
    if (!repeat) this.last = position;
    return repeat;
  }

  private apply(parsed: ParsedLine, entry: ObservedEntry): string {
    const time = entry.timeMs;
    const record = timelineRecord(parsed, entry.message, time, this.modelFor);
    if (record === null) return '';
    const m = this.metrics;
    if ('request' in record) {
      const { request } = record;
      const model = this.tracker.addRequest(request);
      const path = pathLabel(request.path);
      m.requests.inc({ method: methodLabel(request.method), path, status: statusLabel(request.status), model });
      m.requestDuration.observe({ path, model }, request.latencyMs / 1000);
      return model;
    }
    const { event } = record;
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
    return '';
  }

  /**
   * Restores the lifecycle state after a restart from what InfluxDB already holds (entries before the
   * checkpoint), so the entries after it get the `model` tag they would have had without the restart.
   * Feeds only the tracker: counters start from zero in a new process, as Prometheus expects.
   */
  warmUp(input: TimelineInput): void {
    const records = [
      ...input.events.map((event) => ({ time: event.time, add: () => this.tracker.addEvent(event) })),
      ...input.requests.map((request) => ({ time: request.end, add: () => void this.tracker.addRequest(request) })),
    ];
    records.sort((a, b) => a.time - b.time);
    for (const record of records) record.add();
  }

  /** For the `ollama_model_loaded` gauge: every inventory name, 1 when loaded at `nowMs`. */
  loadedNow(nowMs: number): Map<string, number> {
    const result = new Map<string, number>();
    for (const names of this.names().values()) for (const name of names) result.set(name, 0);
    for (const name of this.tracker.loadedModels(nowMs)) result.set(name, 1);
    return result;
  }
}
