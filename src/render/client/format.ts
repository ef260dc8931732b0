// Times and durations as the page shows them, in the viewer's local zone.

export function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2025-07-23` */
export function day(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `09:26`, or `09:26:41` with seconds. */
export function clock(t: number, seconds: boolean): string {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
}

/** `2025-07-23 09:26:41.502` */
export function when(t: number): string {
  return `${day(t)} ${clock(t, true)}.${pad(new Date(t).getMilliseconds(), 3)}`;
}

/** `850 µs`, `5.06 ms`, `18.13 s`, `5 min 00 s`, `1 h 40 min`. */
export function duration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  const hours = Math.floor(s / 3600);
  return hours > 0 ? `${hours} h ${pad(Math.floor(s / 60) % 60)} min` : `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
}
