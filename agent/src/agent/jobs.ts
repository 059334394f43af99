/**
 * Scheduled jobs on node-cron that never overlap themselves: a tick that finds the previous run
 * still going is skipped and logged (a nightly archive batch that takes 26 hours must not start a
 * second copy of itself). `runNow` is the same guarded run, for "at start" and for tests.
 */
import { schedule, type ScheduledTask } from 'node-cron';
import { errorText, type AgentLogger } from './logger.js';

export interface JobReport {
  readonly name: string;
  readonly runs: number;
  readonly skipped: number;
  readonly failures: number;
  readonly running: boolean;
  readonly lastStartMs: number | null;
  readonly lastDurationMs: number | null;
  readonly lastError: string | null;
}

export interface GuardedJob {
  readonly name: string;
  /** Run now unless a run is in progress; resolves false when skipped. Never rejects. */
  runNow(): Promise<boolean>;
  report(): JobReport;
  /** Resolves when the run in progress (if any) has finished. */
  idle(): Promise<void>;
}

/** Wrap `work` so that calls while it runs are skipped and counted, and failures are logged, not thrown. */
export function guardedJob(name: string, work: () => Promise<unknown>, logger: AgentLogger, clock: () => number): GuardedJob {
  let current: Promise<void> | null = null;
  let runs = 0;
  let skipped = 0;
  let failures = 0;
  let lastStartMs: number | null = null;
  let lastDurationMs: number | null = null;
  let lastError: string | null = null;
  const log = logger.child({ job: name });
  return {
    name,
    runNow(): Promise<boolean> {
      if (current) {
        skipped++;
        log.warn({ skipped }, `job ${name}: previous run still in progress, this tick is skipped`);
        return Promise.resolve(false);
      }
      const start = clock();
      lastStartMs = start;
      runs++;
      log.debug({}, `job ${name}: start`);
      current = (async () => {
        try {
          const result = await work();
          lastError = null;
          // Jobs with nothing to report (box readings every minute) log at debug: no journal spam.
          if (result === undefined) log.debug({ durationMs: clock() - start }, `job ${name}: done`);
          else log.info({ durationMs: clock() - start, ...(result && typeof result === 'object' ? { result } : {}) }, `job ${name}: done`);
        } catch (e) {
          failures++;
          lastError = errorText(e);
          log.error({ err: e }, `job ${name} failed: ${lastError}`);
        } finally {
          lastDurationMs = clock() - start;
          current = null;
        }
      })();
      return current.then(() => true);
    },
    report: () => ({ name, runs, skipped, failures, running: current !== null, lastStartMs, lastDurationMs, lastError }),
    idle: () => current ?? Promise.resolve(),
  };
}

export interface CronJob {
  readonly job: GuardedJob;
  stop(): void;
}

/** Run `job` on `cron` (node-cron syntax, validated by the config) until stopped. */
export function cronJob(cron: string, job: GuardedJob): CronJob {
  const task: ScheduledTask = schedule(cron, () => void job.runNow(), { name: `floorsense-${job.name}` });
  return { job, stop: () => void task.stop() };
}
