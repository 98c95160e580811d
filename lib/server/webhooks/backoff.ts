/**
 * How long a failed delivery waits before its next attempt: exponential, `base × 2^(n−1)` after
 * the n-th failed attempt, at most `cap`, times a jitter in [0.8, 1.2) so that deliveries failed
 * together do not all come back together. The jitter's range is narrower than the doubling, so each
 * wait is longer than the one before it until the cap (docs/WEBHOOKS.md, "Retries").
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const plain = Math.min(capMs, baseMs * 2 ** Math.min(exponent, 40));
  return Math.min(capMs, Math.round(plain * (0.8 + 0.4 * random())));
}

/** Every wait of a delivery that fails each of its `maxAttempts` attempts, without jitter (for the docs and the desk page). */
export function retrySchedule(maxAttempts: number, baseMs: number, capMs: number): number[] {
  return Array.from({ length: Math.max(0, maxAttempts - 1) }, (_, i) => retryDelayMs(i + 1, baseMs, capMs, () => 0.5));
}
