// The timeline's input read straight from the local journal, with no InfluxDB: the daemon's journalctl
// reader and parser, turned into exactly the records the InfluxDB source (src/store/timeline-source.ts)
// reads back from what the daemon stored, so both sources give one timeline for the same entries.
//
// One streamed pass from a week before the range: only what the reconstruction reads is kept (lifecycle
// events, warnings, inference requests), and everything before the last server start ahead of the range
// is dropped as soon as that start is seen, as the InfluxDB source never reads it either.

import type { JournalEntry } from '../journal/entry.js';
import { type JournalSourceSettings, readJournal } from '../journal/source.js';
import { parseMessage, type ParsedLine } from '../ollama/parse/index.js';
import { INFERENCE_PATHS } from '../ollama/lifecycle/inference-paths.js';
import { timelineRecord } from '../ollama/lifecycle/from-parsed.js';
import { TIMELINE_KINDS, WARNING_KINDS } from '../ollama/lifecycle/timeline-kinds.js';
import { MAX_CONTEXT_MS } from '../store/timeline-source.js';
import type { TimelineEvent, TimelineRequest } from '../ollama/lifecycle/types.js';
import { RequestColumns } from '../ollama/lifecycle/request-columns.js';

export interface JournalRecords {
  /** Without model names: the caller names them from the local inventory (see withModelNames). */
  readonly events: TimelineEvent[];
  /** Inference requests, packed. */
  readonly requests: RequestColumns;
}

const KINDS: ReadonlySet<string> = new Set(TIMELINE_KINDS);
/** Keys the stored point carries as tags or as the message column, never among an event's fields. */
const NOT_FIELDS = new Set(['host', 'event', 'model', 'message', 'result', 'table', '_start', '_stop', '_time', '_measurement']);

/**
 * The entry's time as the InfluxDB source has it: the point's RFC 3339 time parsed back with its
 * microseconds (parseRfc3339 adds them to the whole seconds as a fraction), so the two sources hold
 * identical numbers, not merely equal after rounding.
 */
export function entryTime(entry: JournalEntry): number {
  const us = BigInt(entry.realtimeUs);
  const micros = String(us % 1_000_000n).padStart(6, '0');
  return Number(us / 1_000_000n) * 1000 + Number(`0.${micros}`) * 1000;
}

/** The daemon's own conversion, with no model names yet (withModelNames adds them from the inventory). */
const noModel = (): null => null;

/** What ingest stores for a [GIN] line, read back as the timeline reads it; null unless an inference request. */
export function requestRecord(parsed: ParsedLine, time: number): TimelineRequest | null {
  const record = timelineRecord(parsed, '', time, noModel);
  if (record === null || !('request' in record)) return null;
  const { request } = record;
  // Line protocol cannot carry NaN or Infinity: ingest stores no point for such a line.
  if (!Number.isFinite(request.status) || !Number.isFinite(request.latencyMs)) return null;
  // The list's own string: a slice would keep the whole log line alive for as long as the request.
  const path = INFERENCE_PATHS.find((p) => p === request.path);
  if (path === undefined) return null;
  // The `method` tag is never empty (src/pipeline/structured.ts).
  return { ...request, method: internMethod(request.method || 'unknown'), path };
}

/** A handful of methods in practice; past 64 distinct ones (hostile lines) each is copied instead. */
const METHODS = new Map<string, string>();
function internMethod(method: string): string {
  const kept = METHODS.get(method);
  if (kept !== undefined) return kept;
  const copy = Buffer.from(method, 'utf8').toString('utf8');
  if (METHODS.size < 64) METHODS.set(copy, copy);
  return copy;
}

/**
 * What ingest stores for an Ollama event the reconstruction reads, as the InfluxDB source reads it
 * back (empty strings and tag-named keys are not fields there); null for every other line. The raw
 * line is kept only for warnings, the one place the timeline shows it: a week of load lines need not
 * stay in memory (the comparison with the InfluxDB source in the tests would catch a change of that rule).
 */
export function eventRecord(parsed: ParsedLine, line: string, time: number): TimelineEvent | null {
  const level = typeof parsed.level === 'string' && parsed.level !== '' ? parsed.level : undefined;
  const warning = level === 'WARN' || level === 'ERROR';
  if (!KINDS.has(parsed.kind) && !warning) return null;
  const record = timelineRecord(parsed, line, time, noModel);
  if (record === null || !('event' in record)) return null;
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(record.event.fields)) if (!NOT_FIELDS.has(key) && value !== '') fields[key] = value;
  return { ...record.event, fields, message: warning || WARNING_KINDS.has(parsed.kind) ? line : '' };
}

/** The model tag ingest puts on an event: the first name (sorted) of the blob its sha256 names. */
export function withModelNames(events: readonly TimelineEvent[], inventory: ReadonlyMap<string, readonly string[]>): TimelineEvent[] {
  return events.map((event) => {
    const sha256 = event.fields['sha256'];
    const model = typeof sha256 === 'string' ? inventory.get(sha256)?.[0] : undefined;
    return model === undefined ? event : { ...event, model };
  });
}

/** OLLAMA_MODELS of the latest `server config` among the records, for the models dir discovery. */
export function lastModelsDir(events: readonly TimelineEvent[]): string | null {
  const config = events.filter((e) => e.kind === 'server_config').at(-1);
  const dir = config?.fields['models_dir'];
  return typeof dir === 'string' && dir !== '' ? dir : null;
}

/**
 * The records for the range [start, stop), with the context the InfluxDB source adds: everything from
 * the last server start or config before the range (at most a week back), and that process's config
 * even when it is older.
 */
export async function readJournalRecords(source: JournalSourceSettings, start: number, stop: number, signal?: AbortSignal): Promise<JournalRecords> {
  let events: TimelineEvent[] = [];
  const requests = new RequestColumns();
  let lastStart = -Infinity;
  let lastConfig: TimelineEvent | null = null;
  let droppedBefore = -Infinity;
  const contextBegan = () => (lastConfig === null ? lastStart : Math.min(lastStart === -Infinity ? Infinity : lastStart, lastConfig.time));

  reading: for await (const entries of readJournal(source, { sinceMs: start - MAX_CONTEXT_MS }, { signal })) {
    for (const entry of entries) {
      const time = entryTime(entry);
      // journalctl prints in time order (bar clock jumps), so nothing after this belongs to the range.
      if (time >= stop) break reading;
      const parsed = parseMessage(entry.message);
      if (parsed.kind === 'request') {
        const request = requestRecord(parsed, time);
        if (request !== null) requests.push(request);
        continue;
      }
      // Ingest stores no event for a line the parser does not recognise, whatever its level.
      if (parsed.kind === 'unknown') continue;
      const event = eventRecord(parsed, entry.message, time);
      if (event === null) continue;
      events.push(event);
      if (time >= start) continue;
      if (event.kind === 'server_start') lastStart = Math.max(lastStart, time);
      else if (event.kind === 'server_config' && (lastConfig === null || time >= lastConfig.time)) lastConfig = event;
      else continue;
      // The context only moves forward: what is before it now can never be read.
      const began = contextBegan();
      if (began > droppedBefore) {
        droppedBefore = began;
        events = events.filter((e) => e.time >= began);
        requests.dropEndedBefore(began);
      }
    }
  }

  const from = Math.max(contextBegan(), start - MAX_CONTEXT_MS);
  events = events.filter((e) => e.time >= from);
  requests.dropEndedBefore(from);
  if (!events.some((e) => e.kind === 'server_config' && e.time <= start)) {
    const config = lastConfig ?? (await configBefore(source, start - MAX_CONTEXT_MS, start, signal));
    if (config !== null) events.unshift(config);
  }
  return { events, requests };
}

/** The latest `server config` line before `start` found reading back from `from`: a process older than the week. */
async function configBefore(source: JournalSourceSettings, from: number, start: number, signal?: AbortSignal): Promise<TimelineEvent | null> {
  for await (const entries of readJournal(source, { backFromMs: from }, { signal })) {
    for (const entry of entries) {
      if (!entry.message.includes('server config')) continue;
      const time = entryTime(entry);
      const parsed = parseMessage(entry.message);
      if (parsed.kind === 'server_config' && time < start) return eventRecord(parsed, entry.message, time);
    }
  }
  return null;
}
