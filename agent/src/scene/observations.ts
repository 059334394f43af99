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
  /** Box width in pixels: a lower bound on depth when the height is not the whole body (depthRangeM). */
  readonly widthPx: number;
  /**
   * The box is not a whole standing body: cut by the frame's lower edge, or less than
   * FULL_BODY_MIN_ASPECT times as tall as wide (its lower part hidden by a counter, shelf or
   * trolley, or the person bent). Its height then overstates the distance (truncatedBox).
   */
  readonly truncated: boolean;
  /** Focal length in pixels (from the image width and field of view): depth scale of the pixel fallback. */
  readonly focalPx: number;
  /** Horizontal image centre (pixels). */
  readonly centreX: number;
  /** Size of the picture (pixels); 0 when unknown: the stitcher then cannot tell who walked out of it. */
  readonly frameWidth: number;
  readonly frameHeight: number;
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

/**
 * Whole standing people are at least this many times as tall as their box is wide: pedestrian
 * benchmarks draw full bodies at width/height 0.41 (Caltech, CityPersons), and swinging arms or a
 * side-on stride widen that to about 0.5. A box under 2:1 is missing part of the body.
 */
export const FULL_BODY_MIN_ASPECT = 2;
/** A box ending this close to the frame's lower edge (pixels) is cut by it. */
export const FRAME_EDGE_PX = 2;
/**
 * The narrowest an adult body is from any side (metres): chest depth, seen side-on, is about
 * 0.22-0.25 m (ANSUR II means); shoulders, seen front-on, about 0.4 m. A box is at least as wide as
 * the body in it, so distance >= focal x this / box width.
 */
export const BODY_MIN_WIDTH_M = 0.2;

/**
 * Whether a (x, y, w, h) box in a frame `frameHeight` pixels high is not a whole standing body
 * (Observation.truncated). A frame height of 0 means unknown (tracks read back from the agent's
 * store carry no frame size): then only the aspect ratio tells.
 */
export function truncatedBox(y: number, w: number, h: number, frameHeight: number): boolean {
  return (frameHeight > 0 && y + h >= frameHeight - FRAME_EDGE_PX) || h < FULL_BODY_MIN_ASPECT * w;
}

/**
 * A person standing in a till zone is at a counter, where the counter itself or a trolley may hide
 * the legs, and a box cut at the waist of a slim person can still be 2:1 (the man behind a trolley
 * on the checkout clip: detected down to the handle on all 53 frames, yet 2:1 on some, so it passed
 * as a whole body). So at a till a box that looks whole is placed between the depth its height says
 * and the depth it would have if everything up to TILL_OCCLUDER_M were hidden (depthRangeM): the
 * till service does not hang on a few pixels of a box bottom, and a customer queueing behind is
 * still placed behind. With a floor homography this changes nothing; the feet give the floor position.
 */
export function atCounter(o: Pick<Observation, 'zoneKind'>): boolean {
  return o.zoneKind === 'till';
}

/**
 * The highest thing at a till that hides a standing customer's lower body (metres): a checkout
 * counter is about 0.9 m high (EN 1116 worktops 0.90 m; checkouts 0.85-0.95 m), a trolley's handle
 * about 1.0 m. What stays visible is the body above it.
 */
export const TILL_OCCLUDER_M = 1.0;

/**
 * The point half a pixel inside the picture: a box clipped at the frame's edge puts its foot point
 * on the edge itself, where a zone drawn to that edge (zones cannot be drawn outside the picture)
 * may or may not contain it.
 */
export function insideFrame(p: Point, tb: Pick<CameraTimebase, 'width' | 'height'>): Point {
  if (!(tb.width > 0 && tb.height > 0)) return p; // frame size unknown (see truncatedBox)
  return [Math.min(Math.max(p[0], 0.5), tb.width - 0.5), Math.min(Math.max(p[1], 0.5), tb.height - 0.5)];
}

export function toObservations(rows: readonly MotRow[], tb: CameraTimebase, cam: CameraScene): Observation[] {
  const out: Observation[] = [];
  const focalPx = tb.width / 2 / Math.tan(((cam.hfovDeg ?? 90) * Math.PI) / 360);
  const kept = rows.filter((r) => r.id >= 0 && r.h > 0); // detections without identity or empty boxes carry no track
  const full = wholeBodyHeights(kept, tb.height, tb.fps);
  for (const r of kept) {
    const h = full.get(r) ?? r.h;
    const foot = footPoint(r.x, r.y, r.w, h);
    const zone = zoneAt(cam.zones, insideFrame(foot, tb));
    out.push({
      t: frameTimeMs(tb, r.frame),
      camera: cam.id,
      track: r.id,
      foot,
      heightPx: h,
      widthPx: r.w,
      truncated: h === r.h && truncatedBox(r.y, r.w, r.h, tb.height),
      focalPx,
      centreX: tb.width / 2,
      frameWidth: tb.width,
      frameHeight: tb.height,
      world: cam.floor ? applyHomography(cam.floor, foot) : null,
      zone: zone?.name ?? null,
      zoneKind: zone?.kind ?? null,
    });
  }
  return out;
}

/** How far (in the reference's box heights) the head may have moved for its whole-body height to still hold. */
export const SAME_HEAD_TOLERANCE = 0.25;
/** A whole box lends its height only this long (seconds) either side: a longer look-up would cost a long track a scan per box. */
export const BORROW_WINDOW_S = 60;

/**
 * Whole-body heights for truncated boxes, from the same track's own whole boxes: a customer whose
 * legs the trolley or counter hides in one sample was seen whole in another. The nearest whole box
 * in time (within BORROW_WINDOW_S) lends its height when its top (the head) is within
 * SAME_HEAD_TOLERANCE of its height of this box's top: people on one floor whose heads stay at the
 * same place in the picture stay at about the same distance. The feet are then put that height
 * below the head. Boxes no whole box of their track explains are left out (they stay truncated).
 */
export function wholeBodyHeights(rows: readonly MotRow[], frameHeight: number, framesPerSecond: number): Map<MotRow, number> {
  const out = new Map<MotRow, number>();
  const maxFrames = BORROW_WINDOW_S * framesPerSecond;
  const byTrack = new Map<number, MotRow[]>();
  for (const r of rows) (byTrack.get(r.id) ?? byTrack.set(r.id, []).get(r.id)!).push(r);
  for (const track of byTrack.values()) {
    const whole = track.filter((r) => !truncatedBox(r.y, r.w, r.h, frameHeight)).sort((x, y) => x.frame - y.frame);
    if (whole.length === 0) continue;
    const lends = (w: MotRow, r: MotRow): boolean => w.h > r.h && Math.abs(w.y - r.y) <= SAME_HEAD_TOLERANCE * w.h;
    for (const r of track) {
      if (!truncatedBox(r.y, r.w, r.h, frameHeight)) continue;
      // Outward from r's place in time, the nearer side first, until the window is passed.
      let hi = lowerBoundFrame(whole, r.frame);
      let lo = hi - 1;
      for (;;) {
        const dl = lo >= 0 ? r.frame - whole[lo]!.frame : Infinity;
        const dh = hi < whole.length ? whole[hi]!.frame - r.frame : Infinity;
        if (Math.min(dl, dh) > maxFrames) break;
        const w = dl <= dh ? whole[lo--]! : whole[hi++]!;
        if (lends(w, r)) {
          out.set(r, w.h);
          break;
        }
      }
    }
  }
  return out;
}

function lowerBoundFrame(rows: readonly MotRow[], frame: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.frame < frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
 * Distance from the camera (metres, along the optical axis) that the pixel fallback allows for an
 * observation: one value for a whole body (its height), and for a truncated box only bounds, from
 * the width (the body is no wider than the box) up to what the height alone says (the body is no
 * shorter than the visible part). At a till (atCounter) the visible part is at least the body above
 * TILL_OCCLUDER_M, so the depth is at least that share of what the height says.
 */
export function depthRangeM(o: Observation, personHeightM: number): readonly [number, number] {
  const far = (o.focalPx * personHeightM) / o.heightPx;
  let near = far;
  if (o.truncated && o.widthPx > 0) near = Math.min(near, (o.focalPx * BODY_MIN_WIDTH_M) / o.widthPx);
  if (atCounter(o)) near = Math.min(near, far * Math.max(0, 1 - TILL_OCCLUDER_M / personHeightM));
  return [near, far];
}

/**
 * Distance in metres between two observations: on the floor plan when both have one; otherwise the
 * pixel fallback (same camera only; Infinity across cameras). Each person stands somewhere on the
 * ray through their foot point, at a depth within depthRangeM; the distance is the smallest the two
 * ranges allow. For two whole bodies that is pixelFallbackPosition's point distance; a cashier
 * whose box ends at the counter top is no longer put metres behind the customer she serves.
 */
export function observationDistance(a: Observation, b: Observation, personHeightM: number): number {
  if (a.world && b.world) return Math.hypot(a.world[0] - b.world[0], a.world[1] - b.world[1]);
  if (a.camera !== b.camera) return Infinity;
  return segmentDistance(rayRange(a, personHeightM), rayRange(b, personHeightM));
}

type Segment = readonly [Point, Point];

/** The floor positions (lateral, depth) a pixel-fallback observation allows: a piece of its viewing ray. */
function rayRange(o: Observation, personHeightM: number): Segment {
  const slope = (o.foot[0] - o.centreX) / o.focalPx; // lateral metres per metre of depth
  const [near, far] = depthRangeM(o, personHeightM);
  return [
    [slope * near, near],
    [slope * far, far],
  ];
}

function pointSegmentDistance(p: Point, [a, b]: Segment): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/**
 * Closest distance between two segments. Pieces of two viewing rays from the one camera cross only
 * when they lie on the same ray (then an end of one lies on the other), so the closest pair always
 * includes an end point.
 */
function segmentDistance(s: Segment, u: Segment): number {
  return Math.min(pointSegmentDistance(s[0], u), pointSegmentDistance(s[1], u), pointSegmentDistance(u[0], s), pointSegmentDistance(u[1], s));
}
