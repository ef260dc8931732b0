// The newest `ollama_logs` point a host already has in the bucket: where a first run (no cursor yet)
// starts, so that switching from the original Python translator, or reinstalling after --purge,
// does not write the last INITIAL_LOOKBACK again under different keys.

import { fluxString } from './flux.js';
import { type QueryClient, queryError } from './query-client.js';
import { LOGS_MEASUREMENT } from '../influx/measurements.js';

interface NewestLogPoint {
  /** Nanoseconds since the epoch. */
  readonly timeNs: bigint;
  /**
   * Written by the original translator: its msg_hash is 64 hex characters (sha256 of the
   * timestamp and the cleaned text), ours 16; its keys can never match ours.
   */
  readonly fromOriginalTranslator: boolean;
  /** msg_hash stored as a tag (MSG_HASH_MODE=tag, or the original), else as a field. */
  readonly msgHashTag: boolean;
}

/** RFC 3339 with up to nine fraction digits, as Flux prints `_time`, to nanoseconds. */
function rfc3339ToNs(text: string): bigint | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  if (match === null) return null;
  const seconds = Date.parse(`${match[1]}Z`);
  if (Number.isNaN(seconds)) return null;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** Null when the host has no `ollama_logs` point since `sinceMs` (null: ever). Query errors propagate. */
export async function newestLogPoint(client: QueryClient, host: string, sinceMs: number | null): Promise<NewestLogPoint | null> {
  const { api, influx } = client;
  const start = sinceMs === null ? '0' : new Date(sinceMs).toISOString();
  const flux = `from(bucket: ${fluxString(influx.bucket)})
  |> range(start: ${start})
  |> filter(fn: (r) => r._measurement == "${LOGS_MEASUREMENT}" and r.host == ${fluxString(host)} and r._field == "message")
  |> keep(columns: ["_time", "msg_hash"])
  |> group()
  |> top(n: 1, columns: ["_time"])`;
  let rows: Record<string, unknown>[];
  try {
    rows = await api.collectRows<Record<string, unknown>>(flux);
  } catch (err) {
    throw queryError(err, influx);
  }
  const row = rows[0];
  if (row === undefined) return null;
  const timeNs = rfc3339ToNs(String(row['_time']));
  if (timeNs === null) return null;
  const hash = row['msg_hash'];
  return {
    timeNs,
    fromOriginalTranslator: typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash),
    msgHashTag: typeof hash === 'string' && hash !== '',
  };
}
