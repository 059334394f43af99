/**
 * Retry delays: exponential with full jitter (delay uniform in [0, min(max, min·2^attempt)]), so a
 * chain's worth of shops coming back online after an outage do not hammer ClickHouse in step.
 * Pure: `random` is injected (Math.random in production, a fixed sequence in tests).
 */
export interface BackoffPolicy {
  readonly minMs: number;
  readonly maxMs: number;
}

/** Delay before retry number `attempt` (0 = first retry after the first failure). */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exp = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(Math.max(0, attempt), 40));
  const r = Math.min(1, Math.max(0, random()));
  // Never below minMs: a zero delay would turn a dead server into a busy loop.
  return Math.max(policy.minMs, Math.round(exp * r));
}
