/**
 * The local API's view of the running agent (api/provider.ts `StatusProvider`), built from the
 * agent's live state: camera runtimes and their health, the detector queue, job reports, the store.
 * Day analytics are computed from the store on demand, on the roll-up worker thread (`days`,
 * rollup-worker-client.ts: a busy day is seconds of CPU the event loop must not spend), and cached
 * for a minute per date (a full store day is a few hundred thousand positions; the status page polls).
 */
import type Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import type { Detections } from '../core/detections.js';
import type { DetectorQueueStats } from '../detect/index.js';
import { grabStill } from '../ingest/still.js';
import { DEFAULT_TOOLS } from '../ingest/tools.js';
import { boxWarnings, openingHoursCoverage, type BoxHealth, type CameraAssessment, type ShopHours } from '../health/index.js';
import { boxStatusWarnings, cameraStatusOf, cameraWarnings, driftWarnings } from '../api/status-parts.js';
import type { DriftWarning } from '../health/drift.js';
import type {
  AgentStatus,
  CalibrationSaved,
  CalibrationSetup,
  CalibrationView,
  DaysView,
  KpisView,
  ReceiptsOutcome,
  Snapshot,
  SnapshotBox,
  StatusProvider,
  StatusWarning,
  TrendPoint,
  TrendsView,
} from '../api/provider.js';
import type { DayView } from '../metrics/day-view.js';
import type { DayReport, Kpis } from '../metrics/kpis.js';
import { dayViewsBetween, loadDayView, savedDays, sellerNames } from '../store/day-reports.js';
import type { ConsultationRecord } from '../metrics/kpis.js';
import type { Receipt } from '../sales/receipts.js';
import { localDate, localDayBounds } from '../core/local-time.js';
import { storeReceipts } from '../store/sales.js';
import { toStoredReceipt } from '../sales/stored-receipt.js';
import { outboxBacklog } from '../store/outbox.js';
import { cameraUptimeOfDay } from '../store/aggregates.js';
import { anyTrackBetween, trackSpan } from '../store/detail.js';
import type { SyncState } from '../sync/service.js';
import type { CameraRuntime, LatestFrame } from './camera-runtime.js';
import { Calibrations } from './calibration.js';
import { ZONE_COLORS, colorForId, type Rgb } from '../render/index.js';
import { floorGrid, placeTracks, type FloorGrid, type PlacedTrack } from '../scene/calibration.js';
import type { JobReport } from './jobs.js';
import { dayComputer, type ApiDay, type DayComputer } from './rollup-worker-client.js';

export interface ProviderDeps {
  readonly cfg: Readonly<Config>;
  readonly db: Database.Database;
  readonly version: string;
  readonly startedMs: number;
  readonly clock: () => number;
  readonly cameras: ReadonlyMap<string, CameraRuntime>;
  readonly queue: () => DetectorQueueStats;
  /** What the detector runs (model, input, provider) and the ReID crop, as /status states them. */
  readonly detectorInfo?: {
    readonly model: string;
    readonly input: string;
    readonly provider: string;
    readonly reid_input: string | null;
    readonly reid_precision: string | null;
  };
  readonly jobs: () => readonly JobReport[];
  readonly box: () => BoxHealth | null;
  /** The sync loop's state (failures and next try only where a loop runs). */
  readonly sync: () => Pick<SyncState, 'lastSuccessMs' | 'lastError'> & Partial<SyncState>;
  /** Current drift warnings (agent/drift-monitor.ts); absent: none. */
  readonly drift?: () => readonly DriftWarning[];
  /** Store-local days whose receipts changed (new or corrected), so the roll-up recomputes them. */
  readonly onReceiptDays?: (days: readonly string[]) => void;
  /** Where day analytics are computed (the agent's roll-up worker); absent: on this thread. */
  readonly days?: DayComputer;
  /** The cameras' zones and floor as the agent holds them now, and their writer; absent: from cfg, read-only. */
  readonly calibrations?: Calibrations;
}

const DAY_CACHE_MS = 60_000;
/** A source-resolution still is one short extra session with the camera: reused this long. */
const STILL_CACHE_MS = 60_000;

/**
 * The boxes a snapshot draws, in source pixels: the tracks matched in the frame (id and colour by
 * track, the zone its foot point is in), else the raw detections with their confidence (a frame
 * the tracker has not seen, e.g. the first of a session).
 */
export function snapshotBoxes(d: Detections, tracks: readonly PlacedTrack[] = []): SnapshotBox[] {
  if (tracks.length > 0)
    return tracks.map((t) => ({
      x1: t.box[0],
      y1: t.box[1],
      x2: t.box[2],
      y2: t.box[3],
      track_id: t.track_id,
      label: `#${t.track_id}${t.zone === null ? '' : ` ${t.zone}`}`,
    }));
  const out: SnapshotBox[] = [];
  for (let i = 0; i < d.length; i++) {
    const at = (k: number): number => d.xyxy[i * 4 + k]!;
    out.push({ x1: at(0), y1: at(1), x2: at(2), y2: at(3), label: `${Math.round(d.score[i]! * 100)}%` });
  }
  return out;
}

const hexColor = (c: Rgb): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

function placedTracksOf(latest: LatestFrame, zones: CalibrationSetup['zones']): PlacedTrack[] {
  return placeTracks(
    latest.tracks.map((t) => ({ id: t.id, box: [t.box[0], t.box[1], t.box[2], t.box[3]] as const, score: t.score })),
    zones,
  );
}

export function agentProvider(deps: ProviderDeps): StatusProvider {
  const { cfg, db, clock } = deps;
  const tz = cfg.store.timezone;
  const shop: ShopHours = { hours: cfg.health.opening_hours, timeZone: tz };
  const compute = deps.days ?? dayComputer(db, cfg, { dbPath: null });
  const calibrations = deps.calibrations ?? new Calibrations(cfg, null);
  const pictureOf = (latest: LatestFrame | null): { width: number; height: number } | undefined =>
    latest ? { width: latest.frame.letterbox.srcWidth, height: latest.frame.letterbox.srcHeight } : undefined;
  const calibrationView = (cameraId: string): CalibrationView | undefined => {
    const setup = calibrations.get(cameraId);
    const rt = deps.cameras.get(cameraId);
    if (!setup && !rt) return undefined;
    const zones = setup?.zones ?? [];
    const floor = setup?.floor ?? null;
    const latest = rt?.latest() ?? null;
    const picture = pictureOf(latest);
    let grid: FloorGrid | null = null;
    // A saved homography always fits (the schema checks it); the grid needs the picture's size.
    if (floor && picture) grid = floorGrid(floor.image, floor.world, picture.width, picture.height);
    return {
      camera_id: cameraId,
      width: picture?.width ?? null,
      height: picture?.height ?? null,
      frame_ms: latest?.frame.timestampMs ?? null,
      tracks: (latest ? placedTracksOf(latest, zones) : []).map((t) => ({ ...t, color: hexColor(colorForId(t.track_id)) })),
      zone_colors: Object.fromEntries(Object.entries(ZONE_COLORS).map(([k, c]) => [k, hexColor(c)])),
      zones,
      floor,
      floor_grid: grid,
      config_path: calibrations.configPath,
    };
  };
  // The promise is cached, so requests for a date while it is computed share the one computation.
  const dayCache = new Map<string, { readonly atMs: number; readonly day: Promise<ApiDay | null> }>();
  const stills = new Map<string, { readonly atMs: number; readonly jpeg: Promise<Buffer | null> }>();
  const storedDay = (date: string): Promise<ApiDay | null> => {
    const now = clock();
    const hit = dayCache.get(date);
    if (hit && now - hit.atMs < DAY_CACHE_MS) return hit.day;
    const entry = { atMs: now, day: compute.dayForApi(date) };
    dayCache.set(date, entry);
    // A failed computation is not cached: the next request tries again.
    entry.day.catch(() => {
      if (dayCache.get(date) === entry) dayCache.delete(date);
    });
    return entry.day;
  };

  // The day as the dashboard shows it. A past day: the roll-up's saved copy (re-saved whenever a
  // late file or receipt changes the day), so paging through days does not re-run the analytics
  // in the agent's process. Today, and a day never rolled up: from the detail.
  const viewOf = async (date: string): Promise<{ view: DayView | null; source: 'detail' | 'saved' | null }> => {
    const saved = loadDayView(db, date);
    if (saved && date < localDate(clock(), tz)) return { view: saved, source: 'saved' };
    const live = await storedDay(date);
    if (live) return { view: live.view, source: 'detail' };
    return saved ? { view: saved, source: 'saved' } : { view: null, source: null };
  };
  const heldDays = (): string[] => {
    const days = new Set(savedDays(db));
    // Days the detail still holds (not rolled up yet, e.g. today): at most retention_days + 1 of them.
    const span = trackSpan(db);
    if (span.firstMs !== null && span.lastMs !== null) {
      for (let d = localDate(span.firstMs, tz), guard = 0; d <= localDate(span.lastMs, tz) && guard < 40; guard++) {
        const [from, to] = localDayBounds(d, tz);
        if (anyTrackBetween(db, from, to)) days.add(d);
        d = localDate(to + 3_600_000, tz);
      }
    }
    return [...days].sort();
  };
  // Names from the latest schedule fill in reports saved before the name was known.
  const named = (r: DayReport, names: ReadonlyMap<string, string>): DayReport => ({
    ...r,
    sellers: r.sellers.map((s) => ({ ...s, name: s.name ?? names.get(s.seller_id) ?? null })),
  });

  return {
    status(): AgentStatus {
      const now = clock();
      const today = localDate(now, tz);
      const q = deps.queue();
      const assessments: CameraAssessment[] = [];
      const cameras = [...deps.cameras.values()].map((rt) => {
        const snap = rt.snapshot();
        // An archive folder has no link to lose: it is "up" while the agent runs.
        const a: CameraAssessment =
          rt.mode === 'live' ? rt.assess(shop) : { cameraId: rt.id, state: 'up', sinceMs: deps.startedMs, lastFrameMs: snap.lastFrameMs, problems: [] };
        assessments.push(a);
        return cameraStatusOf(a, {
          fps: snap.fps,
          frames: snap.frames,
          dropped_frames: q.perSource[rt.id]?.dropped ?? 0,
          coverage_today: rt.mode === 'live' ? openingHoursCoverage(rt.health, today, cfg.health.opening_hours, tz, now) : null,
        });
      });
      const box = deps.box();
      const sync = deps.sync();
      const warnings: StatusWarning[] = [...cameraWarnings(assessments)];
      if (box) warnings.push(...boxStatusWarnings(boxWarnings(box, cfg.health.box), box.at_ms));
      if (deps.drift) warnings.push(...driftWarnings(deps.drift()));
      if (cfg.sync.url && sync.lastError) warnings.push({ source: 'sync', subject: 'clickhouse', message: sync.lastError, since_ms: null });
      const backlog = outboxBacklog(db);
      if (backlog.quarantined > 0) {
        const first = backlog.quarantine[0];
        warnings.push({
          source: 'sync',
          subject: 'outbox',
          message: `${backlog.quarantined} outbox row(s) quarantined, not sent${first ? ` (first: seq ${first.seq} ${first.type}: ${first.reason})` : ''}`,
          since_ms: first?.quarantinedMs ?? null,
        });
      }
      for (const j of deps.jobs())
        if (j.lastError) warnings.push({ source: 'agent', subject: j.name, message: `job ${j.name} failed: ${j.lastError}`, since_ms: j.lastStartMs });
      const fps = cameras.reduce((s, c) => s + (c.fps ?? 0), 0);
      return {
        store_id: cfg.store.id,
        time_zone: tz,
        version: deps.version,
        started_ms: deps.startedMs,
        now_ms: now,
        cameras,
        detector: {
          ...(deps.detectorInfo ?? {}),
          queue_depth: q.queued,
          queue_capacity: cfg.detector.max_queue,
          fps: cameras.some((c) => c.fps !== null) ? fps : null,
          dropped_frames: q.dropped,
        },
        sync: {
          enabled: cfg.sync.url !== undefined,
          backlog_rows: backlog.unsent,
          quarantined_rows: backlog.quarantined,
          last_success_ms: sync.lastSuccessMs,
          last_error: sync.lastError,
          failures: sync.failures ?? 0,
          next_try_ms: sync.nextTryMs ?? null,
        },
        box,
        warnings,
      };
    },

    async kpis(date: string): Promise<KpisView> {
      const [from, to] = localDayBounds(date, tz);
      const coverage: Record<string, number | null> = {};
      for (const rt of deps.cameras.values()) if (rt.mode === 'live') coverage[rt.id] = null;
      for (const r of cameraUptimeOfDay(db, date)) coverage[r.cameraId] = r.upMs + r.downMs > 0 ? Math.round((r.upMs / (r.upMs + r.downMs)) * 1e4) / 1e4 : null;
      // Today's live cameras: the in-memory health is fresher than the last roll-up.
      const now = clock();
      if (now >= from && now < to) {
        for (const rt of deps.cameras.values())
          if (rt.mode === 'live') coverage[rt.id] = openingHoursCoverage(rt.health, date, cfg.health.opening_hours, tz, now);
      }
      const { view, source } = await viewOf(date);
      return {
        report: view ? named(view.report, sellerNames(db)) : null,
        camera_coverage: coverage,
        hourly: view?.hourly ?? [],
        timeline: view?.timeline ?? [],
        heatmap: view?.heatmap ?? null,
        // A picture to draw on exists only for a live camera with a frame (the snapshot route).
        camera_heatmaps: (view?.camera_heatmaps ?? []).map((h) => ({ ...h, picture: deps.cameras.get(h.camera)?.mode === 'live' })),
        source,
      };
    },

    days(): DaysView {
      return {
        store_id: cfg.store.id,
        time_zone: tz,
        locale: cfg.store.locale,
        currency: cfg.store.currency ?? null,
        days: heldDays(),
        consultation: { distance_m: cfg.analytics.consultation.distance_m, min_seconds: cfg.analytics.consultation.min_seconds },
      };
    },

    async trends(to: string, n: number): Promise<TrendsView> {
      const [, end] = localDayBounds(to, tz);
      const from = localDate(end - n * 86_400_000 + 3_600_000, tz);
      const byDay = new Map(dayViewsBetween(db, from, to).map((v) => [v.report.date, v.report]));
      // Today (or any day not rolled up yet) from the detail, so the trend ends where the page is.
      for (const d of heldDays())
        if (d >= from && d <= to && !byDay.has(d)) {
          const live = await storedDay(d);
          if (live) byDay.set(d, live.view.report);
        }
      const point = (date: string, k: Kpis, revenue: number): TrendPoint => ({
        date,
        customers: k.customers,
        consultations: k.consultations,
        interaction_ratio: k.interaction_ratio,
        conversion: k.conversion,
        revenue,
      });
      const reports = [...byDay.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
      const sellers: Record<string, TrendPoint[]> = {};
      for (const r of reports)
        for (const s of r.sellers) {
          const list = sellers[s.seller_id] ?? [];
          list.push(point(r.date, s, s.attributed_revenue ?? s.revenue));
          sellers[s.seller_id] = list;
        }
      const names: Record<string, string> = Object.fromEntries(sellerNames(db));
      for (const r of reports) for (const s of r.sellers) if (s.name) names[s.seller_id] ??= s.name;
      return { from, to, store: reports.map((r) => point(r.date, r.store, r.store.receipts_total ?? r.store.revenue)), sellers, names };
    },

    async consultations(date: string): Promise<ConsultationRecord[]> {
      return [...((await storedDay(date))?.consultations ?? [])];
    },

    sourceStill(cameraId: string): Promise<Buffer | null> | undefined {
      const rt = deps.cameras.get(cameraId);
      const cam = deps.cfg.cameras.find((c) => c.id === cameraId);
      if (!rt || !cam) return undefined;
      // An archive camera is a folder of exports: the picture of "now" is the frame being processed.
      if (rt.mode !== 'live') return Promise.resolve(null);
      const hit = stills.get(cameraId);
      if (hit && deps.clock() - hit.atMs < STILL_CACHE_MS) return hit.jpeg;
      const jpeg = grabStill(cam.url, cam.rtsp_timeout_s, DEFAULT_TOOLS, { kind: 'jpeg' }).then(
        (r) => (r.ok ? (r.jpeg ?? null) : null),
        () => null,
      );
      stills.set(cameraId, { atMs: deps.clock(), jpeg });
      return jpeg;
    },

    snapshot(cameraId: string): Snapshot | null | undefined {
      const rt = deps.cameras.get(cameraId);
      if (!rt) return undefined;
      const latest = rt.latest();
      if (!latest) return null;
      const zones = calibrations.get(cameraId)?.zones ?? [];
      // A copy of the pixels: the pipeline reuses a frame's buffer once the next one is processed
      // (analyze.ts recycleFrames), and the JPEG is encoded after this returns.
      return { frame: { ...latest.frame, data: latest.frame.data.slice() }, boxes: snapshotBoxes(latest.detections, placedTracksOf(latest, zones)), zones };
    },

    calibration: calibrationView,

    saveCalibration(cameraId: string, body: unknown): CalibrationSaved | undefined {
      if (!calibrations.get(cameraId)) return undefined;
      const saved = calibrations.save(cameraId, body, pictureOf(deps.cameras.get(cameraId)?.latest() ?? null));
      // Zones decide who is staff and where customers were: the days computed before are stale.
      dayCache.clear();
      return { ...saved, view: calibrationView(cameraId)! };
    },

    addReceipts(receipts: readonly Receipt[]): ReceiptsOutcome {
      // Stored once by receipt id, like the folder import; a corrected receipt replaces the old copy.
      const r = storeReceipts(
        db,
        receipts.map((x) => toStoredReceipt(x, tz)),
      );
      dayCache.clear();
      if (r.days.length > 0) deps.onReceiptDays?.(r.days);
      return { stored: r.inserted + r.updated, duplicates: r.duplicates };
    },
  };
}
