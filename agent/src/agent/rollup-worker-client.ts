/**
 * The agent's day computations off the event loop: the day roll-up (rollup.ts `rollUpDay`) and the
 * API's on-demand day analytics (`apiDayOf`: store-day.ts `analyzeStoredDay`, then the day view) run on one worker thread
 * (rollup-worker.ts) with its own better-sqlite3 connection to the same WAL database. A busy day
 * takes seconds of CPU; on the main thread that stalled /health, receipt POSTs and SIGTERM.
 *
 * The main thread only posts jobs and awaits results. Jobs run one at a time in order; a job asked
 * for while the same job (kind and day) is still waiting its turn joins it (a burst of late
 * receipts for one day is one roll-up; ten page loads of one date are one analysis). A job already
 * running is not joined: the new request may carry data the running one did not read.
 *
 * Stop: `close()` terminates the worker rather than waiting for the day in hand. A roll-up only
 * recomputes from the stored detail, so dropping one loses nothing (the day is rolled up again at
 * the next run), while waiting would hold SIGTERM for as long as the busiest day takes. Nothing is
 * half-written either way: a day's saves are one SQLite transaction, and a connection closed (or a
 * process killed) before COMMIT leaves the database as it was; the worker's environment closes its
 * connection when it is terminated, which rolls an open transaction back and frees the lock.
 *
 * `thread: 'main'` runs the same jobs through the same queue on the main thread: for a store held
 * in memory (a worker cannot share it) and as the benchmark's baseline (agent/bench/rollup-latency.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { FailureError, MisuseError, type FailureCode, type MisuseCode } from '../core/errors.js';
import { dayViewOf, type DayView } from '../metrics/day-view.js';
import type { ConsultationRecord } from '../metrics/kpis.js';
import { rollUpDay, type DayRollupReport } from './rollup.js';
import { analyzeStoredDay } from './store-day.js';

export interface RollupWorkerData {
  readonly dbPath: string;
  readonly cfg: Readonly<Config>;
  readonly busyTimeoutMs: number;
}

export interface DayJobMessage {
  readonly id: number;
  readonly kind: 'rollup' | 'view';
  readonly date: string;
  readonly nowMs: number;
}

export interface SerializedError {
  readonly className: string;
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly stack?: string;
}

/** New zones and floor homographies (the calibration editor saved): later jobs use these cameras. No reply. */
export interface CamerasMessage {
  readonly kind: 'cameras';
  readonly cameras: Config['cameras'];
}

export type DayJobReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** A job dropped because the computer was closed (the agent is stopping). */
export class DayJobsStopped extends Error {
  constructor(what: string) {
    super(`${what}: not run, the agent is stopping`);
    this.name = 'DayJobsStopped';
  }
}

export interface DayComputer {
  readonly thread: 'worker' | 'main';
  /** Roll up `date` (coverage, KPIs, chain records) in one transaction. */
  rollUpDay(date: string, nowMs: number): Promise<DayRollupReport>;
  /** What the API shows of `date`, computed from the store (`apiDayOf`); null when no camera recorded anything that day. */
  dayForApi(date: string): Promise<ApiDay | null>;
  /** Replace the cameras (zones, floor) the next jobs compute with; a job already running keeps its own. */
  setCameras(cameras: Config['cameras']): void;
  /** Drop waiting jobs, stop the one running (see the module comment); later calls reject. */
  close(): Promise<void>;
}

export interface DayComputerOptions {
  /** The database file; null (a store in memory) runs on the main thread. */
  readonly dbPath: string | null;
  readonly thread?: 'worker' | 'main';
  readonly busyTimeoutMs?: number;
}

/**
 * What the local API shows of a day computed from the detail: the dashboard's view and the
 * consultations. Only this crosses from the worker: the whole StoreDayResult of a busy day is
 * ~45 MB of roles and visits, and copying it into the main thread stalled the event loop ~0.7 s.
 */
export interface ApiDay {
  readonly view: DayView;
  readonly consultations: readonly ConsultationRecord[];
}

export function apiDayOf(db: Database.Database, cfg: Readonly<Config>, date: string): ApiDay | null {
  const day = analyzeStoredDay(db, cfg, date);
  if (!day) return null;
  return {
    view: dayViewOf(day, cfg.store.timezone),
    consultations: day.interactions
      .filter((i) => i.kind === 'consultation')
      .map((i) => ({ sellerId: i.sellerId, visitId: String(i.visitId), start: i.start, end: i.end, durationS: i.durationS })),
  };
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { className: 'Error', name: 'Error', message: String(e) };
  const o = e as Error & { code?: unknown; details?: unknown };
  return {
    className: e.constructor.name,
    name: e.name,
    message: e.message,
    ...(typeof o.code === 'string' ? { code: o.code } : {}),
    ...(o.details && typeof o.details === 'object' ? { details: o.details as Record<string, unknown> } : {}),
    ...(e.stack ? { stack: e.stack } : {}),
  };
}

/** The worker's error as the main thread would have seen it: same class for FloorSense errors, same SQLite code otherwise. */
export function reviveError(s: SerializedError): Error {
  const details = { ...(s.details ?? {}) };
  let e: Error;
  if (s.className === 'MisuseError' && s.code) e = new MisuseError(s.code as MisuseCode, s.message, details);
  else if (s.className === 'FailureError' && s.code) e = new FailureError(s.code as FailureCode, s.message, details);
  else {
    e = new Error(s.message);
    e.name = s.name;
    if (s.code !== undefined) Object.assign(e, { code: s.code });
  }
  if (s.stack) e.stack = `${s.stack}\n    (in the roll-up worker thread)`;
  return e;
}

interface Job {
  readonly kind: DayJobMessage['kind'];
  readonly date: string;
  nowMs: number;
  readonly waiters: Array<{ resolve: (v: unknown) => void; reject: (e: unknown) => void }>;
}

/** Start the worker, from dist/ (rollup-worker.js) or, when running from the sources, through tsx. */
function startWorker(data: RollupWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./rollup-worker.js', here), { workerData: data });
  // tsx's ESM API (its `import` export; the `require` one cannot be imported from a worker).
  const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./rollup-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData: data });
}

export function dayComputer(db: Database.Database, initial: Readonly<Config>, opts: DayComputerOptions): DayComputer {
  let cfg = initial;
  const thread = opts.dbPath === null ? 'main' : (opts.thread ?? 'worker');
  const queue: Job[] = [];
  let running: Job | null = null;
  let closed = false;
  let worker: Worker | null = null;
  let nextId = 1;
  let inFlight: { id: number; job: Job } | null = null;

  const settle = (job: Job, r: { ok: true; value: unknown } | { ok: false; error: unknown }): void => {
    for (const w of job.waiters) {
      if (r.ok) w.resolve(r.value);
      else w.reject(r.error);
    }
  };
  const finish = (job: Job, r: { ok: true; value: unknown } | { ok: false; error: unknown }): void => {
    running = null;
    inFlight = null;
    settle(job, r);
    pump();
  };
  const what = (job: Job): string => `${job.kind === 'rollup' ? 'roll-up' : 'analysis'} of ${job.date}`;

  const ensureWorker = (): Worker => {
    if (worker) return worker;
    const w = startWorker({ dbPath: opts.dbPath!, cfg, busyTimeoutMs: opts.busyTimeoutMs ?? 5000 });
    w.on('message', (m: DayJobReply) => {
      if (!inFlight || inFlight.id !== m.id) return;
      finish(inFlight.job, m.ok ? { ok: true, value: m.result } : { ok: false, error: reviveError(m.error) });
    });
    const lost = (why: string): void => {
      if (worker !== w) return;
      worker = null; // the next job starts a fresh one
      if (inFlight && !closed)
        finish(inFlight.job, {
          ok: false,
          error: new FailureError('FS_DB', `roll-up worker ${why} during the ${what(inFlight.job)}; it is run again at the next roll-up`, {
            date: inFlight.job.date,
          }),
        });
    };
    w.on('error', (e) => lost(`failed (${e instanceof Error ? e.message : String(e)})`));
    w.on('exit', (code) => lost(`exited with code ${code}`));
    worker = w;
    return w;
  };

  const runOnMain = (job: Job): void => {
    // A macrotask, like a message from the worker: the caller's request handler returns first.
    setImmediate(() => {
      if (closed) return finish(job, { ok: false, error: new DayJobsStopped(what(job)) });
      try {
        finish(job, { ok: true, value: job.kind === 'rollup' ? rollUpDay(db, cfg, job.date, job.nowMs) : apiDayOf(db, cfg, job.date) });
      } catch (e) {
        finish(job, { ok: false, error: e });
      }
    });
  };

  function pump(): void {
    if (running || closed) return;
    const job = queue.shift();
    if (!job) return;
    running = job;
    if (thread === 'main') {
      runOnMain(job);
      return;
    }
    const id = nextId++;
    inFlight = { id, job };
    try {
      ensureWorker().postMessage({ id, kind: job.kind, date: job.date, nowMs: job.nowMs } satisfies DayJobMessage);
    } catch (e) {
      finish(job, { ok: false, error: e });
    }
  }

  const submit = (kind: Job['kind'], date: string, nowMs: number): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new DayJobsStopped(`${kind === 'rollup' ? 'roll-up' : 'analysis'} of ${date}`));
      const waiting = queue.find((j) => j.kind === kind && j.date === date);
      if (waiting) {
        waiting.nowMs = Math.max(waiting.nowMs, nowMs);
        waiting.waiters.push({ resolve, reject });
        return;
      }
      queue.push({ kind, date, nowMs, waiters: [{ resolve, reject }] });
      pump();
    });

  return {
    thread,
    rollUpDay: (date, nowMs) => submit('rollup', date, nowMs) as Promise<DayRollupReport>,
    dayForApi: (date) => submit('view', date, 0) as Promise<ApiDay | null>,
    setCameras(cameras) {
      cfg = { ...cfg, cameras };
      // Messages reach the worker in order, so every job posted after this one sees the new cameras.
      worker?.postMessage({ kind: 'cameras', cameras } satisfies CamerasMessage);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const j of queue.splice(0)) settle(j, { ok: false, error: new DayJobsStopped(what(j)) });
      const w = worker;
      worker = null;
      const current = inFlight;
      if (w) await w.terminate();
      if (current) finish(current.job, { ok: false, error: new DayJobsStopped(what(current.job)) });
    },
  };
}
