/**
 * The sync loop: drain, then wait `interval` when all is sent, or a backoff delay after a failure.
 * Wiring only: the drain, the clock, the sleep and the random source are injected, so a test runs
 * days of outage in milliseconds. Returns when `signal` aborts.
 */
import { isFloorSenseError } from '../core/errors.js';
import { backoffDelayMs, type BackoffPolicy } from '../core/backoff.js';
import type { DrainReport } from './drain.js';

export interface SyncLoopDeps {
  readonly drain: () => Promise<DrainReport>;
  /** Resolves after `ms` or when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly signal: AbortSignal;
  readonly intervalMs: number;
  readonly backoff: BackoffPolicy;
  readonly onDrained?: (r: DrainReport) => void;
  /** Called with the typed error and the delay before the next try. */
  readonly onFailure?: (e: unknown, retryInMs: number, attempt: number) => void;
}

export async function runSyncLoop(deps: SyncLoopDeps): Promise<void> {
  let attempt = 0;
  while (!deps.signal.aborted) {
    let wait: number;
    try {
      const r = await deps.drain();
      deps.onDrained?.(r);
      attempt = 0;
      wait = deps.intervalMs;
    } catch (e) {
      // Only world failures are retried; a programming or config error stops the loop loudly.
      if (!isFloorSenseError(e) || e.kind !== 'failure') throw e;
      wait = backoffDelayMs(attempt, deps.backoff, deps.random);
      deps.onFailure?.(e, wait, attempt);
      attempt += 1;
    }
    await deps.sleep(wait, deps.signal);
  }
}
