/**
 * The long-running agent: one store, one Detector behind one DetectorQueue, a supervisor per live
 * camera, archive folders on a schedule, and the housekeeping jobs (retention, sync, roll-up).
 * Wiring only; each concern lives in its own module.
 *
 *   const agent = await startAgent(cfg, { logger, clock: Date.now });
 *   ...            // agent.state() for the local API
 *   await agent.stop();   // SIGTERM: finish the current frame, flush, stop ffmpeg, close SQLite
 *
 * `once`: process every archive folder once, then stop by itself (`agent.done` resolves).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { MisuseError } from '../core/errors.js';
import type { Config } from '../config/schema.js';
import { Detector, DetectorQueue, describeDetectorInput, type DetectorQueueStats } from '../detect/index.js';
import { openStore, storeWriteError, type Store } from '../store/open.js';
import { runMaintenance } from '../store/schedule.js';
import { outboxBacklog, type Backlog } from '../store/outbox.js';
import { startSyncLoop, type RunningSync } from '../sync/service.js';
import { cameraAnalyzeBase, detectorOptionsFrom } from './analyze-options.js';
import { openAppearance } from '../pipeline/analyze.js';
import { appearanceModelId } from './results-store.js';
import type { ReidEmbedder } from '../track/index.js';
import { runArchivePass, touchArchiveFolders, type ArchiveCamera, type ArchivePassReport } from './archive.js';
import { isFolder } from './archive-scan.js';
import { CameraRuntime, type CameraSnapshot } from './camera-runtime.js';
import { cronJob, guardedJob, type CronJob, type GuardedJob, type JobReport } from './jobs.js';
import { superviseLiveCamera, type LiveCamera } from './live.js';
import { errorText, type AgentLogger } from './logger.js';
import { closeDanglingUp, recentDays, rollUpCameraUptime, type DayRollupReport } from './rollup.js';
import { dayComputer, DayJobsStopped, type DayComputer } from './rollup-worker-client.js';
import { DriftMonitor } from './drift-monitor.js';
import { agentProvider, type ProviderDeps } from './api-provider.js';
import { Calibrations } from './calibration.js';
import { receiptDaysHandler, salesJobs } from './sales-jobs.js';
import { startApiServer, type ApiServer } from '../api/index.js';
import { readBoxHealth, type BoxHealth } from '../health/index.js';
import { localDate } from '../core/local-time.js';
import { isLiveUrl } from '../ingest/source-url.js';

export interface AgentDeps {
  readonly logger: AgentLogger;
  /** Wall clock, epoch ms. */
  readonly clock: () => number;
  readonly random?: () => number;
  /** Process the archive folders once and stop (no live cameras, no cron). */
  readonly once?: boolean;
  /** Folder relative archive paths are resolved against (default process.cwd()). */
  readonly cwd?: string;
  /** Shown by the API's /status. */
  readonly version?: string;
  /** The sync loop's sleep (tests observe its backoff delays); a timer otherwise. */
  readonly syncSleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Where the roll-up and the API's day analytics run: 'worker' (default) or 'main', the event loop
   * itself, kept only as the benchmark's baseline (agent/bench/rollup-latency.ts). Same jobs either way.
   */
  readonly rollupThread?: 'worker' | 'main';
  /** The config file `cfg` was loaded from: the calibration editor writes zones back to it (absent: read-only). */
  readonly configPath?: string;
}

export interface AgentState {
  readonly storeId: string;
  readonly startedMs: number;
  readonly cameras: readonly CameraSnapshot[];
  readonly queue: DetectorQueueStats;
  readonly jobs: readonly JobReport[];
  readonly backlog: Backlog;
  /** Null while running; after stop(), when it stopped (the rest is the state it was left in). */
  readonly stoppedMs: number | null;
}

export interface RunningAgent {
  readonly store: Store;
  /** The local API, when enabled (not with `once`). */
  readonly api: ApiServer | null;
  readonly cameras: ReadonlyMap<string, CameraRuntime>;
  /** The agent's state now; after stop(), the state it stopped in (the database is closed by then). */
  state(): AgentState;
  /** Run the archive batch now (skipped if one is running). */
  runArchive(): Promise<boolean>;
  /** Resolves when the agent has stopped (after stop(), or by itself with `once`). */
  readonly done: Promise<void>;
  /**
   * What did not go right so far, one line each: archive files that failed in the last pass and
   * jobs whose last run failed (a full disk among them). Empty when all is well; `run --once`
   * exits non-zero otherwise.
   */
  problems(): string[];
  /** Stop taking frames, finish the current ones, flush, close; idempotent. */
  stop(): Promise<void>;
}

export interface CameraPlan {
  readonly live: LiveCamera[];
  readonly archive: ArchiveCamera[];
}

/** Live cameras (stream URLs) and archive cameras (folders); a single file is refused with its key path. */
export function planCameras(cfg: Readonly<Config>, cwd: string): CameraPlan {
  const live: LiveCamera[] = [];
  const archive: ArchiveCamera[] = [];
  cfg.cameras.forEach((cam, i) => {
    if (!cam.enabled) return;
    const base = cameraAnalyzeBase(cfg, cam);
    if (isLiveUrl(cam.url)) {
      live.push({ id: cam.id, url: cam.url, ...(cam.detect_url !== undefined ? { detectUrl: cam.detect_url } : {}), base });
      return;
    }
    const folder = isAbsolute(cam.url) ? cam.url : resolve(cwd, cam.url);
    if (existsSync(folder) && !isFolder(folder)) {
      throw new MisuseError(
        'FS_CONFIG_INVALID',
        `cameras[${i}].url: ${cam.url} is a file; the agent takes an RTSP URL (live) or a folder of exports (archive); use \`floorsense analyze\` for one file`,
        {
          key: `cameras[${i}].url`,
        },
      );
    }
    archive.push({ id: cam.id, folder, base });
  });
  return { live, archive };
}

/**
 * What every job below is wired from: the store, the shared detector and ReID session, one
 * runtime per camera, the drift monitor and the signal that stops everything.
 */
interface AgentCore {
  readonly cfg: Readonly<Config>;
  readonly log: AgentLogger;
  readonly clock: () => number;
  readonly random: () => number;
  readonly cwd: string;
  readonly plan: CameraPlan;
  readonly startedMs: number;
  readonly store: Store;
  readonly db: Store['db'];
  readonly detector: Detector;
  /** Every detector session behind the queue (detector.sessions); detectors[0] is `detector`. */
  readonly detectors: readonly Detector[];
  /** One ReID session for every camera, like the detector (see AnalyzeOptions.shared). */
  readonly reid: ReidEmbedder | null;
  /** The ReID model's identity, stored with each track's embedding (results-store.ts appearanceModelId); null: appearance off. */
  readonly appearanceModel: string | null;
  readonly queue: DetectorQueue;
  readonly runtimes: Map<string, CameraRuntime>;
  readonly drift: DriftMonitor;
  /** Aborted by stop(): cameras, the archive pass and the roll-up end their work in hand. */
  readonly stopAll: AbortController;
}

export async function startAgent(cfg: Readonly<Config>, deps: AgentDeps): Promise<RunningAgent> {
  const core = await openCore(cfg, deps);
  const { log, db, store, clock } = core;
  recoverFromLastRun(core);
  const rollup = rollupJob(core, deps.rollupThread ?? 'worker');
  const archive = archiveJob(core, rollup);
  const retention = guardedJob('retention', async () => runMaintenance({ ...cfg.storage }, { db, dbPath: store.path, logger: log, clock }), log, clock);
  const box = boxHealthJob(core);
  // Sales inputs (schedule, receipts folder, API receipts): days with new or corrected receipts are
  // rolled up again, at once when their KPIs were already saved (a late receipt), else at the next run.
  const onReceiptDays = receiptDaysHandler(db, rollup.dirtyDays, rollup.soon);
  const sales = salesJobs(cfg, { db, dbPath: store.path, cwd: core.cwd, logger: log, clock, onReceiptDays });
  const jobs: GuardedJob[] = [archive.job, retention, rollup.job, box.job, ...sales.jobs];

  const crons: CronJob[] = [];
  const supervisors: Promise<void>[] = [];
  let sync: RunningSync | null = null;
  let api: ApiServer | null = null;
  if (deps.once) {
    if (core.plan.live.length > 0) log.warn({ cameras: core.plan.live.map((c) => c.id) }, '--once: live cameras are not started');
  } else {
    crons.push(
      cronJob(cfg.agent.archive_cron, archive.job),
      cronJob(cfg.storage.retention_cron, retention),
      cronJob(cfg.agent.kpi_cron, rollup.job),
      cronJob('* * * * *', box.job),
      ...sales.start(),
    );
    // The one sync scheduler (sync/service.ts startSyncLoop): tries at start, then interval_s, its own backoff after failures.
    sync = startSyncLoop(db, cfg.sync, log.child({ job: 'sync' }), { clock, random: core.random, ...(deps.syncSleep ? { sleep: deps.syncSleep } : {}) });
    supervisors.push(...startLiveCameras(core));
    if (cfg.api.enabled) {
      api = await startApi(
        core,
        {
          version: deps.version ?? 'dev',
          jobs: () => jobs.map((j) => j.report()),
          box: box.latest,
          sync: () => sync?.state() ?? { lastSuccessMs: null, lastError: null, failures: 0, nextTryMs: null },
          onReceiptDays,
          days: rollup.days,
        },
        deps.configPath ?? null,
      );
    }
  }

  const liveState = (): AgentState => ({
    storeId: cfg.store.id,
    startedMs: core.startedMs,
    cameras: [...core.runtimes.values()].map((r) => r.snapshot()),
    queue: core.queue.stats(),
    jobs: jobs.map((j) => j.report()),
    backlog: outboxBacklog(db),
    stoppedMs: null,
  });
  // The outbox backlog needs the database, which stop() closes: the last state is kept just before.
  let stoppedState: AgentState | null = null;
  const stop = stopper(core, { crons, days: rollup.days, api, supervisors, jobs, sync }, () => {
    stoppedState = { ...liveState(), stoppedMs: clock() };
  });
  const agent: RunningAgent = {
    store,
    api,
    cameras: core.runtimes,
    state: () => stoppedState ?? liveState(),
    runArchive: () => archive.job.runNow(),
    done: stop.done,
    problems: () => [
      ...(archive.lastReport()?.failures ?? []),
      ...jobs.map((j) => j.report()).flatMap((r) => (r.lastError === null ? [] : [`job ${r.name}: ${r.lastError}`])),
    ],
    stop: stop.stop,
  };

  if (deps.once) {
    // Shifts and receipts first: the roll-up after the archive pass needs them.
    void sales
      .runNow()
      .then(() => archive.job.runNow())
      .then(() => stop.stop());
  } else {
    if (cfg.agent.archive_on_start && core.plan.archive.length > 0) void archive.job.runNow();
    void retention.runNow();
    void box.job.runNow();
    void sales.runNow();
  }
  log.info({}, deps.once ? 'agent running once over the archive folders' : 'agent running');
  return agent;
}

/** Open the store, the detector and the ReID session (closing what was opened when a later one fails), and the per-camera runtimes. */
async function openCore(cfg: Readonly<Config>, deps: AgentDeps): Promise<AgentCore> {
  const { logger: log, clock } = deps;
  const cwd = deps.cwd ?? process.cwd();
  const plan = planCameras(cfg, cwd);
  const startedMs = clock();
  const store = openStore(isAbsolute(cfg.storage.path) ? cfg.storage.path : resolve(cwd, cfg.storage.path), {
    nowMs: startedMs,
    integrityCheck: cfg.storage.integrity_check,
  });
  log.info({ db: store.path, migrations: store.migrations, live: plan.live.map((c) => c.id), archive: plan.archive.map((c) => c.id) }, 'agent starting');
  let detector: Detector;
  // detector.sessions > 1: more sessions of the same model behind the one queue (the first one
  // describes the detector to /status and the pipeline; they are identical).
  const detectors: Detector[] = [];
  let reid: ReidEmbedder | null = null;
  let appearanceModel: string | null = null;
  try {
    for (let i = 0; i < cfg.detector.sessions; i++) detectors.push(await Detector.create({ ...detectorOptionsFrom(cfg), warn: (m) => log.warn({}, m) }));
    detector = detectors[0]!;
  } catch (e) {
    await Promise.allSettled(detectors.map((d) => d.close()));
    store.close();
    throw e;
  }
  try {
    if (cfg.tracker.appearance && plan.live.length + plan.archive.length > 0) {
      // The identity first: a failure here leaves no ReID session open (the catch closes only the
      // detectors). A smaller crop is another embedding space, so it is part of the identity.
      appearanceModel = await appearanceModelId(
        cfg.tracker.reid_model,
        detectorOptionsFrom(cfg).modelsDir,
        undefined,
        cfg.tracker.reid_input,
        cfg.tracker.reid_precision,
      );
      reid = await openAppearance(
        cfg.tracker.reid_model,
        detectorOptionsFrom(cfg),
        (m) => log.warn({}, m),
        undefined,
        cfg.tracker.reid_input,
        cfg.tracker.reid_precision,
        // As many ReID sessions as detector sessions: with 2 x 1 thread each, neither model's
        // batches wait for the other cameras' on a single two-threaded session.
        cfg.detector.sessions,
      );
    }
  } catch (e) {
    await Promise.allSettled(detectors.map((d) => d.close()));
    store.close();
    throw e;
  }
  const runtimes = new Map<string, CameraRuntime>();
  for (const c of plan.live) runtimes.set(c.id, new CameraRuntime(c.id, 'live', clock, cfg.health.camera));
  for (const c of plan.archive) runtimes.set(c.id, new CameraRuntime(c.id, 'archive', clock, cfg.health.camera));
  const drift = new DriftMonitor({
    db: store.db,
    timeZone: cfg.store.timezone,
    hours: cfg.health.opening_hours,
    thresholds: cfg.health.drift,
    logger: log,
    clock,
  });
  for (const rt of runtimes.values()) rt.addFrameListener((f, d) => drift.observe(rt.id, f.timestampMs, d.score));
  return {
    cfg,
    log,
    clock,
    random: deps.random ?? Math.random,
    cwd,
    plan,
    startedMs,
    store,
    db: store.db,
    detector,
    detectors,
    reid,
    appearanceModel,
    queue: new DetectorQueue(detectors, { max_queue: cfg.detector.max_queue }),
    runtimes,
    drift,
    stopAll: new AbortController(),
  };
}

/** Close the down time a crash left open, and keep the archive's done jobs of files still in their folders. */
function recoverFromLastRun(core: AgentCore): void {
  const { db, log, plan, clock } = core;
  const dangling = closeDanglingUp(
    db,
    plan.live.map((c) => c.id),
  );
  if (dangling.length > 0)
    log.warn({ cameras: dangling }, "the agent did not stop cleanly last time: the cameras' down time was recorded from their last stored results");
  // Before retention's first run: it forgets done jobs older than retention_days.
  touchArchiveFolders(plan.archive, { db, clock, extensions: core.cfg.agent.archive_extensions, logger: log });
}

interface Rollup {
  readonly job: GuardedJob;
  /** The roll-up and the API's day analytics, on a worker thread or the main one. */
  readonly days: DayComputer;
  /** Days the archive or late receipts touched since the last roll-up. */
  readonly dirtyDays: Set<string>;
  /** Roll up now, or once more when the run in progress ends. */
  soon(): void;
}

/** The daily KPI roll-up: the last two days plus every day touched since, each day its own transaction. */
function rollupJob(core: AgentCore, thread: 'worker' | 'main'): Rollup {
  const { cfg, db, store, log, clock, drift, stopAll } = core;
  // Days the archive touched since the last roll-up (exports can be of any date), plus the last two.
  const dirtyDays = new Set<string>();
  // The roll-up and the API's day analytics run on a worker thread (rollup-worker-client.ts): a busy
  // day is seconds of CPU the event loop (API, cameras, SIGTERM) must not wait for.
  const days = dayComputer(db, cfg, { dbPath: store.path === ':memory:' ? null : store.path, thread });
  const job = guardedJob(
    'rollup',
    async () => {
      const tz = cfg.store.timezone;
      const todo = [...new Set([...recentDays(clock(), tz), ...dirtyDays])].sort();
      dirtyDays.clear();
      const kpis: DayRollupReport[] = [];
      const failed: Array<{ date: string; error: unknown }> = [];
      // Day by day, each its own transaction: a day that fails keeps its last saved roll-up and the
      // other days are still saved.
      for (const d of todo) {
        try {
          kpis.push(await days.rollUpDay(d, clock()));
        } catch (e) {
          dirtyDays.add(d); // not rolled up: the next run tries this day again
          if (e instanceof DayJobsStopped) continue;
          failed.push({ date: d, error: e });
        }
      }
      if (failed.length > 0)
        throw storeWriteError(
          store.path,
          failed[0]!.error,
          `days ${failed.map((f) => f.date).join(', ')} keep the aggregates saved before and are rolled up again at the next run`,
        );
      if (stopAll.signal.aborted) return { kpis, stopped: [...dirtyDays].sort() };
      const judged = drift.judge(todo);
      return { kpis, drift: { judged: judged.judged, warnings: judged.warnings.length } };
    },
    log,
    clock,
  );
  // A receipt for a rolled-up day arriving while a roll-up runs: one more run when it ends (the
  // day is in dirtyDays by then), however many receipts come meanwhile.
  let rerunQueued = false;
  const soon = (): void => {
    if (!job.report().running) return void job.runNow();
    if (rerunQueued) return;
    rerunQueued = true;
    void job.idle().then(() => {
      rerunQueued = false;
      if (!stopAll.signal.aborted) void job.runNow();
    });
  };
  return { job, days, dirtyDays, soon };
}

/** The archive pass over every archive folder, followed by a roll-up of the days it touched. */
function archiveJob(core: AgentCore, rollup: Rollup): { readonly job: GuardedJob; lastReport(): ArchivePassReport | null } {
  const { cfg, db, log, clock, runtimes, queue, stopAll } = core;
  const a = cfg.agent;
  let last: ArchivePassReport | null = null;
  const job = guardedJob(
    'archive',
    async (): Promise<ArchivePassReport> => {
      const report = await runArchivePass(core.plan.archive, {
        db,
        detector: core.detector,
        queue: { detect: (f) => queue.submit(f) },
        reid: core.reid,
        appearanceModel: core.appearanceModel,
        logger: log,
        clock,
        signal: stopAll.signal,
        timeZone: cfg.store.timezone,
        flushFrames: a.flush_frames,
        extensions: a.archive_extensions,
        minAgeSec: a.archive_min_age_s,
        parallel: a.archive_parallel,
        onFrame: (id, frame, dets, tracks) => {
          runtimes.get(id)?.frame(frame, dets, tracks);
          rollup.dirtyDays.add(localDate(frame.timestampMs, cfg.store.timezone));
        },
      });
      // Roll up the days just processed now: exports older than retention_days would otherwise be
      // purged by the hourly retention before the nightly roll-up saw them.
      last = report;
      if (rollup.dirtyDays.size > 0 && !stopAll.signal.aborted) await rollup.job.runNow();
      return report;
    },
    log,
    clock,
  );
  return { job, lastReport: () => last };
}

/** Box readings (disk, memory, temperatures) every minute, for /status. */
function boxHealthJob(core: AgentCore): { readonly job: GuardedJob; latest(): BoxHealth | null } {
  const { cfg, store, log, clock } = core;
  let box: BoxHealth | null = null;
  const job = guardedJob(
    'box-health',
    async () => {
      box = await readBoxHealth({ dataDir: dirname(store.path), timeoutMs: cfg.health.box.probe_timeout_ms, nowMs: clock() });
      return undefined;
    },
    log,
    clock,
  );
  return { job, latest: () => box };
}

/** One supervisor per live camera; each resolves when the agent stops (a crash is logged, never thrown). */
function startLiveCameras(core: AgentCore): Promise<void>[] {
  const { cfg, db, log, clock, runtimes, stopAll } = core;
  const a = cfg.agent;
  return core.plan.live.map((cam) =>
    superviseLiveCamera(cam, {
      db,
      detector: core.detector,
      queue: core.queue,
      reid: core.reid,
      appearanceModel: core.appearanceModel,
      logger: log.child({ camera: cam.id }),
      clock,
      random: core.random,
      signal: stopAll.signal,
      watchdogSec: a.watchdog_s,
      backoff: { minMs: a.reconnect_min_s * 1000, maxMs: a.reconnect_max_s * 1000 },
      flushFrames: a.flush_frames,
      runtime: runtimes.get(cam.id)!,
    }).catch((e: unknown) => log.error({ err: e, camera: cam.id }, `camera supervisor crashed: ${errorText(e)}`)),
  );
}

/** The local API over the agent's state; a port that cannot be taken is logged and the agent runs on (null). */
async function startApi(
  core: AgentCore,
  parts: Pick<ProviderDeps, 'version' | 'jobs' | 'box' | 'sync' | 'onReceiptDays' | 'days'>,
  configPath: string | null,
): Promise<ApiServer | null> {
  const { cfg, log, clock } = core;
  const provider = agentProvider({
    ...parts,
    cfg,
    db: core.db,
    startedMs: core.startedMs,
    clock,
    cameras: core.runtimes,
    queue: () => core.queue.stats(),
    detectorInfo: {
      model: core.detector.model.name,
      input: describeDetectorInput(core.detector.input),
      provider: core.detector.provider,
      reid_input: core.reid ? `${core.reid.input.height}x${core.reid.input.width}` : null,
      reid_precision: core.reid ? cfg.tracker.reid_precision : null,
    },
    drift: () => core.drift.warnings(),
    // A saved calibration reaches the roll-up's cameras too (the next analysis uses the new zones).
    calibrations: new Calibrations(cfg, configPath, (cameras) => parts.days?.setCameras(cameras)),
  });
  try {
    const api = await startApiServer(
      {
        host: cfg.api.host,
        port: cfg.api.port,
        token: cfg.api.token,
        allowedHosts: cfg.api.allowed_hosts,
        bodyLimitBytes: cfg.api.body_limit_kb * 1024,
        timeZone: cfg.store.timezone,
        nowMs: clock,
        onError: (e, where) => log.error({ err: e, where }, `api: ${errorText(e)}`),
      },
      provider,
    );
    log.info({ url: api.url }, 'local API listening');
    return api;
  } catch (e) {
    // The API is a window on the agent, not its job: a taken port must not stop the cameras.
    log.error({ err: e }, `local API not started: ${errorText(e)}`);
    return null;
  }
}

interface Running {
  readonly crons: readonly CronJob[];
  readonly days: DayComputer;
  readonly api: ApiServer | null;
  readonly supervisors: readonly Promise<void>[];
  readonly jobs: readonly GuardedJob[];
  readonly sync: RunningSync | null;
}

/** stop(): stop taking frames, finish the current ones, flush, close SQLite; idempotent. `done` resolves after it. */
function stopper(core: AgentCore, run: Running, beforeClose: () => void): { stop(): Promise<void>; readonly done: Promise<void> } {
  const { cfg, db, log, clock } = core;
  let stopping: Promise<void> | null = null;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info({}, 'agent stopping: finishing current frames');
      // Each step on its own: a failing one is logged and the rest still run, so `done` always
      // resolves and SQLite is always closed.
      const step = async (what: string, fn: () => unknown): Promise<void> => {
        try {
          await fn();
        } catch (e) {
          log.error({ err: e }, `stopping: ${what} failed: ${errorText(e)}`);
        }
      };
      for (const c of run.crons) c.stop();
      core.stopAll.abort();
      // Before waiting for the jobs: the roll-up in hand is dropped, not waited for (rollup-worker-client.ts).
      await step('roll-up worker', () => run.days.close());
      await step('local API', () => run.api?.close());
      await Promise.allSettled([...run.supervisors, ...run.jobs.map((j) => j.idle())]);
      await step('detector queue', () => core.queue.close());
      await step('detector', async () => void (await Promise.all(core.detectors.map((d) => d.close()))));
      await step('ReID', () => core.reid?.release());
      await step('sync', () => run.sync?.stop());
      await step('drift statistics', () => core.drift.flush());
      await step('final uptime roll-up', () =>
        rollUpCameraUptime(db, cfg.store.id, cfg.store.timezone, recentDays(clock(), cfg.store.timezone), clock(), cfg.health.opening_hours),
      );
      // Fold the WAL back into the main file so the database is one consistent file at rest.
      await step('WAL checkpoint', () => db.pragma('wal_checkpoint(TRUNCATE)'));
      await step('the stopped state', beforeClose);
      await step('closing the database', () => core.store.close());
      log.info({ uptimeMs: clock() - core.startedMs }, 'agent stopped');
      resolveDone();
    })();
    return stopping;
  };
  return { stop, done };
}
