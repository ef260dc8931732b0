// Capped exponential backoff with "equal jitter" (half fixed, half random), separate from the retry decision.

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export const WRITE_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 60_000 };
/** Configuration errors are not fixed by hammering the server; check again every few minutes at most. */
export const CONFIG_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 300_000 };

/** Delay before retry number `attempt` (1-based): uniform in [ceiling/2, ceiling], ceiling = min(cap, base·2^(attempt-1)). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
