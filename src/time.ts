// Durations (`30m`, `1h30m`, `7d`), time arguments (`-24h`, `now`, RFC 3339) and RFC 3339 UTC output that keeps the journal's microseconds.

const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: WEEK_MS };
const DURATION = /^(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d|w))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/g;
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Milliseconds for a duration as config values, query parameters and `--start` write it: numbers with
 * a unit each (`500ms`, `1.5s`, `30m`, `24h`, `7d`, `2w`, `1h30m`), surrounding spaces allowed; null
 * otherwise. (Ollama's own durations are Go's grammar: ollama/parse/go-duration.ts.)
 */
export function parseDurationMs(text: string): number | null {
  const value = text.trim();
  if (!DURATION.test(value)) return null;
  let ms = 0;
  for (const part of value.matchAll(DURATION_PART)) ms += Number(part[1]) * UNIT_MS[part[2]!]!;
  return ms;
}

/**
 * Milliseconds since the epoch for `now`, a duration back from now (`-24h`, `-90m`, `-1h30m`, `-7d`)
 * or an RFC 3339 time (`2025-07-22T23:26:32.429635Z`, `2025-07-23T09:00:00+10:00`); null otherwise.
 */
export function parseTimeArg(text: string, now: number): number | null {
  const value = text.trim();
  if (value === 'now') return now;
  if (value.startsWith('-')) {
    const ms = parseDurationMs(value.slice(1));
    return ms === null ? null : now - ms;
  }
  return parseRfc3339(value);
}

/** Milliseconds (with the microseconds as a fraction) for an RFC 3339 time such as InfluxDB returns; null otherwise. */
export function parseRfc3339(text: string): number | null {
  const match = RFC3339.exec(text);
  if (match === null) return null;
  const whole = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(whole)) return null;
  // Beyond microseconds a double holding epoch milliseconds has no room anyway.
  const fraction = match[2] === undefined ? 0 : Number(`0.${match[2].slice(0, 6)}`) * 1000;
  return whole + fraction;
}

/** RFC 3339 in UTC; microseconds are printed when the time has any. */
export function isoUtc(ms: number): string {
  const totalUs = Math.round(ms * 1000);
  const wholeMs = Math.floor(totalUs / 1000);
  const us = totalUs - wholeMs * 1000;
  const text = new Date(wholeMs).toISOString();
  return us === 0 ? text : `${text.slice(0, -1)}${String(us).padStart(3, '0')}Z`;
}

const NICE_WINDOWS_MS = [
  1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
  7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Grafana-like `v.windowPeriod`: about a thousand windows over the range, rounded to a round duration. */
export function windowPeriodMs(start: number, stop: number): number {
  const wanted = (stop - start) / 1000;
  return NICE_WINDOWS_MS.find((w) => w >= wanted) ?? NICE_WINDOWS_MS.at(-1)!;
}

/** A Flux duration literal for whole milliseconds: `1s`, `5m`, `1500ms`. */
export function fluxDuration(ms: number): string {
  const units: [number, string][] = [
    [DAY_MS, 'd'],
    [HOUR_MS, 'h'],
    [MINUTE_MS, 'm'],
    [SECOND_MS, 's'],
  ];
  for (const [size, unit] of units) if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${Math.round(ms)}ms`;
}

/** Nanoseconds since the epoch, as line protocol writes a point's time, for a millisecond time (microseconds kept). */
export function epochNs(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}
