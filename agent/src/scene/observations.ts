/**
 * From per-camera MOT rows to observations: video time, foot point, floor position (metres, when the
 * camera has a homography) and zone. Everything downstream works on these.
 */
import type { MotRow } from '../io/mot.js';
import type { ZoneKind } from '../config/sections/zones.js';
import { footPoint, pointInPolygon, type Point, type Polygon } from './geometry.js';
import { applyHomography, type Homography } from './homography.js';

export interface SceneZone {
  readonly name: string;
  readonly kind: ZoneKind;
  readonly polygon: Polygon;
}

/** What analytics needs to know about one camera. */
export interface CameraScene {
  readonly id: string;
  readonly zones: readonly SceneZone[];
  /** Image -> floor (metres); null = pixel fallback. */
  readonly floor: Homography | null;
  /** Horizontal field of view (degrees) for the pixel fallback; 90 when unknown. */
  readonly hfovDeg?: number;
}

/** `<camera-id>.json` of the interchange layout, with start parsed to epoch milliseconds. */
export interface CameraTimebase {
  readonly startMs: number;
  /** Sampled frames per second (frame n is at start + (n-1)/fps). */
  readonly fps: number;
  readonly width: number;
  readonly height: number;
}

export interface Observation {
  /** Epoch milliseconds (video time). */
  readonly t: number;
  readonly camera: string;
  readonly track: number;
  /** Foot point in image pixels. */
  readonly foot: Point;
  /** Box height in pixels: the scale for the pixel fallback. */
  readonly heightPx: number;
  /** Focal length in pixels (from the image width and field of view): depth scale of the pixel fallback. */
  readonly focalPx: number;
  /** Horizontal image centre (pixels). */
  readonly centreX: number;
  /** Floor position in metres, or null without a homography. */
  readonly world: Point | null;
  readonly zone: string | null;
  readonly zoneKind: ZoneKind | null;
}

export function zoneAt(zones: readonly SceneZone[], p: Point): SceneZone | null {
  for (const z of zones) if (pointInPolygon(p, z.polygon)) return z;
  return null;
}

export function frameTimeMs(tb: CameraTimebase, frame: number): number {
  return tb.startMs + ((frame - 1) * 1000) / tb.fps;
}

export function toObservations(rows: readonly MotRow[], tb: CameraTimebase, cam: CameraScene): Observation[] {
  const out: Observation[] = [];
  const focalPx = tb.width / 2 / Math.tan(((cam.hfovDeg ?? 90) * Math.PI) / 360);
  for (const r of rows) {
    if (r.id < 0 || r.h <= 0) continue; // detections without identity or empty boxes carry no track
    const foot = footPoint(r.x, r.y, r.w, r.h);
    const zone = zoneAt(cam.zones, foot);
    out.push({
      t: frameTimeMs(tb, r.frame),
      camera: cam.id,
      track: r.id,
      foot,
      heightPx: r.h,
      focalPx,
      centreX: tb.width / 2,
      world: cam.floor ? applyHomography(cam.floor, foot) : null,
      zone: zone?.name ?? null,
      zoneKind: zone?.kind ?? null,
    });
  }
  return out;
}

/**
 * Without a floor homography: where the person stands relative to the camera, in metres, from the
 * box alone. Across the image, pixels scale by person height / box height; in depth, the box height
 * itself tells the distance (pinhole with the camera's field of view). Rough, but it does not
 * mistake two people one behind the other for two people side by side.
 */
export function pixelFallbackPosition(o: Observation, personHeightM: number): Point {
  const m = personHeightM / o.heightPx;
  return [(o.foot[0] - o.centreX) * m, o.focalPx * m];
}

/**
 * Distance in metres between two observations: on the floor plan when both have one; otherwise the
 * pixel fallback (same camera only; Infinity across cameras).
 */
export function observationDistance(a: Observation, b: Observation, personHeightM: number): number {
  if (a.world && b.world) return Math.hypot(a.world[0] - b.world[0], a.world[1] - b.world[1]);
  if (a.camera !== b.camera) return Infinity;
  const pa = pixelFallbackPosition(a, personHeightM);
  const pb = pixelFallbackPosition(b, personHeightM);
  return Math.hypot(pa[0] - pb[0], pa[1] - pb[1]);
}
