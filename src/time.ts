// Time arguments (`-24h`, `now`, RFC 3339) and RFC 3339 UTC output that keeps the journal's microseconds.

const RELATIVE_UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const RELATIVE = /^-((?:\d+(?:ms|s|m|h|d|w))+)$/;
const RELATIVE_PART = /(\d+)(ms|s|m|h|d|w)/g;
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Milliseconds since the epoch for `now`, a duration back from now (`-24h`, `-90m`, `-1h30m`, `-7d`)
 * or an RFC 3339 time (`2025-07-22T23:26:32.429635Z`, `2025-07-23T09:00:00+10:00`); null otherwise.
 */
export function parseTimeArg(text: string, now: number): number | null {
  const value = text.trim();
  if (value === 'now') return now;
  const relative = RELATIVE.exec(value);
  if (relative !== null) {
    let ms = 0;
    for (const part of relative[1]!.matchAll(RELATIVE_PART)) ms += Number(part[1]) * RELATIVE_UNIT_MS[part[2]!]!;
    return now - ms;
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
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${Math.round(ms)}ms`;
}
