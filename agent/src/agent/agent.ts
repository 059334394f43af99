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
import { Detector, DetectorQueue, type DetectorQueueStats } from '../detect/index.js';
import { openStore, storeWriteError, type Store } from '../store/open.js';
import { runMaintenance } from '../store/schedule.js';
import { outboxBacklog, type Backlog } from '../store/outbox.js';
import { startSyncLoop, type RunningSync } from '../sync/service.js';
import { cameraAnalyzeBase, detectorOptionsFrom } from './analyze-options.js';
import { openAppearance } from '../pipeline/analyze.js';
import type { ReidEmbedder } from '../track/index.js';
import { runArchivePass, touchArchiveFolders, type ArchiveCamera, type ArchivePassReport } from './archive.js';
import { isFolder } from './archive-scan.js';
import { CameraRuntime, type CameraSnapshot } from './camera-runtime.js';
import { cronJob, guardedJob, type CronJob, type GuardedJob, type JobReport } from './jobs.js';
import { superviseLiveCamera, type LiveCamera } from './live.js';
import { errorText, type AgentLogger } from './logger.js';
import { closeDanglingUp, recentDays, rollUpCameraUptime, type DayRollupReport } from './rollup.js';
import { dayComputer, DayJobsStopped } from './rollup-worker-client.js';
import { DriftMonitor } from './drift-monitor.js';
import { agentProvider } from './api-provider.js';
import { Calibrations } from './calibration.js';
import { receiptDaysHandler, salesJobs } from './sales-jobs.js';
import { startApiServer, type ApiServer } from '../api/index.js';
import { readBoxHealth, type BoxHealth } from '../health/index.js';
import { localDate } from '../sales/local-time.js';
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
}

export interface RunningAgent {
  readonly store: Store;
  /** The local API, when enabled (not with `once`). */
  readonly api: ApiServer | null;
  readonly cameras: ReadonlyMap<string, CameraRuntime>;
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

export async function startAgent(cfg: Readonly<Config>, deps: AgentDeps): Promise<RunningAgent> {
  const { logger: log, clock } = deps;
  const random = deps.random ?? Math.random;
  const cwd = deps.cwd ?? process.cwd();
  const plan = planCameras(cfg, cwd);
  const startedMs = clock();
  const store = openStore(isAbsolute(cfg.storage.path) ? cfg.storage.path : resolve(cwd, cfg.storage.path), {
    nowMs: startedMs,
    integrityCheck: cfg.storage.integrity_check,
  });
  const db = store.db;
  log.info({ db: store.path, migrations: store.migrations, live: plan.live.map((c) => c.id), archive: plan.archive.map((c) => c.id) }, 'agent starting');

  let detector: Detector;
  // One ReID session for every camera, like the detector (see AnalyzeOptions.shared).
  let reid: ReidEmbedder | null = null;
  try {
    detector = await Detector.create({ ...detectorOptionsFrom(cfg), warn: (m) => log.warn({}, m) });
  } catch (e) {
    store.close();
    throw e;
  }
  try {
    if (cfg.tracker.appearance && plan.live.length + plan.archive.length > 0) {
      reid = await openAppearance(cfg.tracker.reid_model, detectorOptionsFrom(cfg), (m) => log.warn({}, m));
    }
  } catch (e) {
    await detector.close();
    store.close();
    throw e;
  }
  const queue = new DetectorQueue(detector, { max_queue: cfg.detector.max_queue });
  const stopAll = new AbortController();
  const runtimes = new Map<string, CameraRuntime>();
  for (const c of plan.live) runtimes.set(c.id, new CameraRuntime(c.id, 'live', clock, cfg.health.camera));
  for (const c of plan.archive) runtimes.set(c.id, new CameraRuntime(c.id, 'archive', clock, cfg.health.camera));
  const drift = new DriftMonitor({ db, timeZone: cfg.store.timezone, hours: cfg.health.opening_hours, thresholds: cfg.health.drift, logger: log, clock });
  for (const rt of runtimes.values()) rt.addFrameListener((f, d) => drift.observe(rt.id, f.timestampMs, d.score));

  const dangling = closeDanglingUp(
    db,
    plan.live.map((c) => c.id),
  );
  if (dangling.length > 0)
    log.warn({ cameras: dangling }, "the agent did not stop cleanly last time: the cameras' down time was recorded from their last stored results");
  const a = cfg.agent;
  // Before retention's first run (below): it forgets done jobs older than retention_days.
  touchArchiveFolders(plan.archive, { db, clock, extensions: a.archive_extensions, logger: log });
  const maintenance = { ...cfg.storage };
  const retentionJob = guardedJob('retention', async () => runMaintenance(maintenance, { db, dbPath: store.path, logger: log, clock }), log, clock);
  // Days the archive touched since the last roll-up (exports can be of any date), plus the last two.
  const dirtyDays = new Set<string>();
  // The roll-up and the API's day analytics run on a worker thread (rollup-worker-client.ts): a busy
  // day is seconds of CPU the event loop (API, cameras, SIGTERM) must not wait for.
  const days = dayComputer(db, cfg, { dbPath: store.path === ':memory:' ? null : store.path, thread: deps.rollupThread ?? 'worker' });
  const rollupJob = guardedJob(
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
  const rollUpSoon = (): void => {
    if (!rollupJob.report().running) return void rollupJob.runNow();
    if (rerunQueued) return;
    rerunQueued = true;
    void rollupJob.idle().then(() => {
      rerunQueued = false;
      if (!stopAll.signal.aborted) void rollupJob.runNow();
    });
  };
  let lastArchive: ArchivePassReport | null = null;
  const archiveJob: GuardedJob = guardedJob(
    'archive',
    async (): Promise<ArchivePassReport> => {
      const report = await runArchivePass(plan.archive, {
        db,
        detector,
        queue: { detect: (f) => queue.submit(f) },
        reid,
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
          dirtyDays.add(localDate(frame.timestampMs, cfg.store.timezone));
        },
      });
      // Roll up the days just processed now: exports older than retention_days would otherwise be
      // purged by the hourly retention before the nightly roll-up saw them.
      lastArchive = report;
      if (dirtyDays.size > 0 && !stopAll.signal.aborted) await rollupJob.runNow();
      return report;
    },
    log,
    clock,
  );
  // The one sync scheduler (sync/service.ts startSyncLoop): tries at start, then interval_s, its own backoff after failures.
  let sync: RunningSync | null = null;
  let box: BoxHealth | null = null;
  const boxJob = guardedJob(
    'box-health',
    async () => {
      box = await readBoxHealth({ dataDir: dirname(store.path), timeoutMs: cfg.health.box.probe_timeout_ms, nowMs: clock() });
      return undefined;
    },
    log,
    clock,
  );
  // Sales inputs (schedule, receipts folder, API receipts): days with new or corrected receipts are
  // rolled up again, at once when their KPIs were already saved (a late receipt), else at the next run.
  const onReceiptDays = receiptDaysHandler(db, dirtyDays, rollUpSoon);
  const sales = salesJobs(cfg, { db, dbPath: store.path, cwd, logger: log, clock, onReceiptDays });
  const jobs: GuardedJob[] = [archiveJob, retentionJob, rollupJob, boxJob];
  jobs.push(...sales.jobs);

  const crons: CronJob[] = [];
  const supervisors: Promise<void>[] = [];
  if (deps.once) {
    if (plan.live.length > 0) log.warn({ cameras: plan.live.map((c) => c.id) }, '--once: live cameras are not started');
  } else {
    crons.push(
      cronJob(a.archive_cron, archiveJob),
      cronJob(cfg.storage.retention_cron, retentionJob),
      cronJob(a.kpi_cron, rollupJob),
      cronJob('* * * * *', boxJob),
    );
    crons.push(...sales.start());
    sync = startSyncLoop(db, cfg.sync, log.child({ job: 'sync' }), { clock, random, ...(deps.syncSleep ? { sleep: deps.syncSleep } : {}) });
    for (const cam of plan.live) {
      const runtime = runtimes.get(cam.id)!;
      supervisors.push(
        superviseLiveCamera(cam, {
          db,
          detector,
          queue,
          reid,
          logger: log.child({ camera: cam.id }),
          clock,
          random,
          signal: stopAll.signal,
          watchdogSec: a.watchdog_s,
          backoff: { minMs: a.reconnect_min_s * 1000, maxMs: a.reconnect_max_s * 1000 },
          flushFrames: a.flush_frames,
          runtime,
        }).catch((e: unknown) => log.error({ err: e, camera: cam.id }, `camera supervisor crashed: ${errorText(e)}`)),
      );
    }
  }

  let api: ApiServer | null = null;
  if (!deps.once && cfg.api.enabled) {
    const provider = agentProvider({
      cfg,
      db,
      version: deps.version ?? 'dev',
      startedMs,
      clock,
      cameras: runtimes,
      queue: () => queue.stats(),
      jobs: () => jobs.map((j) => j.report()),
      box: () => box,
      sync: () => sync?.state() ?? { lastSuccessMs: null, lastError: null, failures: 0, nextTryMs: null },
      onReceiptDays,
      drift: () => drift.warnings(),
      days,
      // A saved calibration reaches the roll-up's cameras too (the next analysis uses the new zones).
      calibrations: new Calibrations(cfg, deps.configPath ?? null, (cameras) => days.setCameras(cameras)),
    });
    try {
      api = await startApiServer(
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
    } catch (e) {
      // The API is a window on the agent, not its job: a taken port must not stop the cameras.
      log.error({ err: e }, `local API not started: ${errorText(e)}`);
    }
  }

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
      for (const c of crons) c.stop();
      stopAll.abort();
      // Before waiting for the jobs: the roll-up in hand is dropped, not waited for (rollup-worker-client.ts).
      await step('roll-up worker', () => days.close());
      await step('local API', () => api?.close());
      await Promise.allSettled([...supervisors, ...jobs.map((j) => j.idle())]);
      await step('detector queue', () => queue.close());
      await step('detector', () => detector.close());
      await step('ReID', () => reid?.release());
      await step('sync', () => sync?.stop());
      await step('drift statistics', () => drift.flush());
      await step('final uptime roll-up', () => rollUpCameraUptime(db, cfg.store.id, cfg.store.timezone, recentDays(clock(), cfg.store.timezone), clock()));
      // Fold the WAL back into the main file so the database is one consistent file at rest.
      await step('WAL checkpoint', () => db.pragma('wal_checkpoint(TRUNCATE)'));
      await step('closing the database', () => store.close());
      log.info({ uptimeMs: clock() - startedMs }, 'agent stopped');
      resolveDone();
    })();
    return stopping;
  };

  const agent: RunningAgent = {
    store,
    api,
    cameras: runtimes,
    state: () => ({
      storeId: cfg.store.id,
      startedMs,
      cameras: [...runtimes.values()].map((r) => r.snapshot()),
      queue: queue.stats(),
      jobs: jobs.map((j) => j.report()),
      backlog: outboxBacklog(db),
    }),
    runArchive: () => archiveJob.runNow(),
    done,
    problems: () => [
      ...(lastArchive?.failures ?? []),
      ...jobs.map((j) => j.report()).flatMap((r) => (r.lastError === null ? [] : [`job ${r.name}: ${r.lastError}`])),
    ],
    stop,
  };

  if (deps.once) {
    // Shifts and receipts first: the roll-up after the archive pass needs them.
    void sales
      .runNow()
      .then(() => archiveJob.runNow())
      .then(() => stop());
  } else {
    if (a.archive_on_start && plan.archive.length > 0) void archiveJob.runNow();
    void retentionJob.runNow();
    void boxJob.runNow();
    void sales.runNow();
  }
  log.info({}, deps.once ? 'agent running once over the archive folders' : 'agent running');
  return agent;
}
