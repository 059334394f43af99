/**
 * What the API serves, as plain data getters the agent implements. The API never reaches into the
 * pipeline; it asks this interface, so it is tested with fixed data and the agent stays free to
 * change its insides. Field names are the wire format (snake_case, like the KPI records).
 */
import type { Frame } from '../core/frame.js';
import type { CameraState } from '../health/camera-state.js';
import type { BoxHealth } from '../health/box-health.js';
import type { ConsultationRecord, DayReport } from '../metrics/kpis.js';
import type { CameraHeatmap, FloorHeatmap, HourTraffic, TimelineItem } from '../metrics/day-view.js';
import type { Receipt } from '../sales/receipts.js';
import type { FloorGrid, PlacedTrack } from '../scene/calibration.js';
import type { Point } from '../scene/geometry.js';
import type { SceneZone } from '../scene/observations.js';

export type MaybePromise<T> = T | Promise<T>;

export interface CameraStatus {
  readonly id: string;
  readonly state: CameraState;
  /** When the camera entered this state, epoch ms. */
  readonly since_ms: number;
  readonly last_frame_ms: number | null;
  /** Sampled frames per second reaching the detector over the last minute. */
  readonly fps: number | null;
  readonly frames: number;
  /** Frames dropped because the detector queue was full. */
  readonly dropped_frames: number;
  /** Share of today's opening hours so far the camera was up, 0-1. */
  readonly coverage_today: number | null;
}

export type WarningSource = 'camera' | 'box' | 'drift' | 'sync' | 'store' | 'agent';

export interface StatusWarning {
  readonly source: WarningSource;
  /** What it is about: a camera id, "disk", "clickhouse"... */
  readonly subject: string;
  readonly message: string;
  readonly since_ms: number | null;
}

export interface AgentStatus {
  readonly store_id: string;
  readonly time_zone: string;
  readonly version: string;
  readonly started_ms: number;
  readonly now_ms: number;
  readonly cameras: readonly CameraStatus[];
  readonly detector: {
    /** The model, its input as run (e.g. "640x384 (fitted to 16:9; native 640x640)"), the provider, the ReID crop (HxW) and precision (fp32 | int8; both null: appearance off). */
    readonly model?: string;
    readonly input?: string;
    readonly provider?: string;
    readonly reid_input?: string | null;
    readonly reid_precision?: string | null;
    readonly queue_depth: number;
    readonly queue_capacity: number;
    readonly fps: number | null;
    readonly dropped_frames: number;
  };
  readonly sync: {
    readonly enabled: boolean;
    readonly backlog_rows: number;
    /** Outbox rows that fail the sync whitelist: set aside, never sent (issue 14 item 6). */
    readonly quarantined_rows: number;
    readonly last_success_ms: number | null;
    readonly last_error: string | null;
    /** Failures in a row since the last success, and when the next try is due. */
    readonly failures: number;
    readonly next_try_ms: number | null;
  };
  readonly box: BoxHealth | null;
  readonly warnings: readonly StatusWarning[];
}

export interface KpisView {
  /** null when nothing was recorded that day. */
  readonly report: DayReport | null;
  /** Camera id -> share of the day's opening hours it was up (null: not known). */
  readonly camera_coverage: Readonly<Record<string, number | null>>;
  /** Traffic per local hour (24 rows) and the consultations timeline; empty without a report. */
  readonly hourly?: readonly HourTraffic[];
  readonly timeline?: readonly TimelineItem[];
  /** Customers' presence on the floor plan (null without a homography); never leaves the box. */
  readonly heatmap?: FloorHeatmap | null;
  /** Presence over each uncalibrated camera's picture (image pixels); never leaves the box. */
  readonly camera_heatmaps?: ReadonlyArray<CameraHeatmap & { readonly picture?: boolean }>;
  /** Where the report comes from: computed now from the detail, or the roll-up's saved copy. */
  readonly source?: 'detail' | 'saved' | null;
}

/** What the dashboard needs to start: the store, its language and money, and the days held. */
export interface DaysView {
  readonly store_id: string;
  readonly time_zone: string;
  readonly locale: 'ru' | 'en';
  /** ISO 4217 from store.currency: the page's money when the day's receipts carry no currency. */
  readonly currency: string | null;
  /** Store-local days with KPIs (saved roll-ups or detail), oldest first. */
  readonly days: readonly string[];
  /** The consultation rule in force, for the page's written definitions. */
  readonly consultation: { readonly distance_m: number; readonly min_seconds: number };
}

/** A seller's or the store's figures of one day, for the trend sparklines. */
export interface TrendPoint {
  readonly date: string;
  readonly customers: number;
  readonly consultations: number;
  readonly interaction_ratio: number | null;
  readonly conversion: number | null;
  readonly revenue: number;
}

export interface TrendsView {
  readonly from: string;
  readonly to: string;
  readonly store: readonly TrendPoint[];
  /** Seller id -> points on the days the seller has a row (other days are absent, not zero). */
  readonly sellers: Readonly<Record<string, readonly TrendPoint[]>>;
  readonly names: Readonly<Record<string, string>>;
}

/** A box to draw on a snapshot, in source pixels (the camera's own picture, where zones are drawn). */
export interface SnapshotBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly track_id?: number;
  readonly label?: string;
}

export interface Snapshot {
  /** The latest frame as ingest made it (letterboxed model input); drawn back at source size. */
  readonly frame: Frame;
  readonly boxes: readonly SnapshotBox[];
  /** The camera's zones (source pixels), outlined with their names. */
  readonly zones?: readonly SceneZone[];
}

/** A camera's zones and floor homography as the calibration editor holds and saves them. */
export interface CalibrationSetup {
  readonly zones: readonly SceneZone[];
  readonly floor: { readonly image: readonly Point[]; readonly world: readonly Point[] } | null;
}

/** GET /api/cameras/:id/calibration: everything in source pixels. */
export interface CalibrationView extends CalibrationSetup {
  readonly camera_id: string;
  /** Source picture size; null before the camera's first frame. */
  readonly width: number | null;
  readonly height: number | null;
  /** Video time of the frame the tracks are from. */
  readonly frame_ms: number | null;
  /** Each with its colour (`#rrggbb`, render/palette.ts colorForId: the snapshot's colour for that id). */
  readonly tracks: ReadonlyArray<PlacedTrack & { readonly color: string }>;
  /** Zone kind -> `#rrggbb`, as the snapshot draws them (api/snapshot.ts ZONE_COLORS). */
  readonly zone_colors: Readonly<Record<string, string>>;
  /** The 1 m grid of the floor homography drawn back into the image; null without one. */
  readonly floor_grid: FloorGrid | null;
  /** The config file a save writes; null when the agent runs on a config it cannot write back. */
  readonly config_path: string | null;
}

export interface CalibrationSaved {
  readonly path: string;
  readonly backup: string;
  readonly view: CalibrationView;
}

export interface ReceiptsOutcome {
  readonly stored: number;
  readonly duplicates: number;
}

export interface StatusProvider {
  status(): MaybePromise<AgentStatus>;
  kpis(date: string): MaybePromise<KpisView>;
  days(): MaybePromise<DaysView>;
  /** The `days` days ending on `to` (inclusive). */
  trends(to: string, days: number): MaybePromise<TrendsView>;
  consultations(date: string): MaybePromise<readonly ConsultationRecord[]>;
  /** undefined: no such camera; null: known camera without a frame yet. */
  snapshot(cameraId: string): MaybePromise<Snapshot | null | undefined>;
  /**
   * The camera's picture decoded at its own resolution (JPEG), for the calibration editor: undefined
   * no such camera, null none to be had (an archive camera, or the camera did not answer). Absent:
   * the snapshot's model-detail picture serves.
   */
  sourceStill?(cameraId: string): MaybePromise<Buffer | null | undefined>;
  addReceipts(receipts: readonly Receipt[]): MaybePromise<ReceiptsOutcome>;
  /** undefined: no such camera. Absent: this provider has no calibration (404). */
  calibration?(cameraId: string): MaybePromise<CalibrationView | undefined>;
  /**
   * Validate, write the config file (keeping `<file>.bak`) and reload the camera's zones. Throws
   * MisuseError(FS_CONFIG_INVALID) with `details.issues` (key paths) and writes nothing when refused.
   */
  saveCalibration?(cameraId: string, setup: unknown): MaybePromise<CalibrationSaved | undefined>;
}
