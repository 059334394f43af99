/**
 * What the Technician page's calibration view shows of one camera, in source pixels: the tracks of
 * the latest frame with their foot points and the zone each stands in (observations.ts zoneAt, the
 * rule analytics applies), and a metre grid drawn back from the floor homography so the technician
 * sees whether the clicked floor points fit (homography.ts, the one fit). Pure.
 */
import type { Point, Polygon } from './geometry.js';
import { footPoint } from './geometry.js';
import { applyHomography, fitHomography, invertHomography, type Homography } from './homography.js';
import { zoneAt, type SceneZone } from './observations.js';

export interface TrackBox {
  readonly id: number;
  /** [x1, y1, x2, y2] in source pixels. */
  readonly box: readonly [number, number, number, number];
  readonly score: number;
}

export interface PlacedTrack {
  readonly track_id: number;
  readonly box: readonly [number, number, number, number];
  readonly score: number;
  /** Bottom centre of the box: where the person stands. */
  readonly foot: Point;
  readonly zone: string | null;
  readonly zone_kind: SceneZone['kind'] | null;
}

export function placeTracks(tracks: readonly TrackBox[], zones: readonly SceneZone[]): PlacedTrack[] {
  return tracks.map((t) => {
    const [x1, y1, x2, y2] = t.box;
    const foot = footPoint(x1, y1, x2 - x1, y2 - y1);
    const z = zoneAt(zones, foot);
    return { track_id: t.id, box: t.box, score: Math.round(t.score * 1000) / 1000, foot, zone: z?.name ?? null, zone_kind: z?.kind ?? null };
  });
}

export interface FloorGrid {
  /** Image polylines (source pixels) of the lines X = k and Y = k metres. */
  readonly lines: ReadonlyArray<{ readonly axis: 'x' | 'y'; readonly metres: number; readonly points: Polygon }>;
  /** Root-mean-square distance (metres) between the clicked points mapped to the floor and their typed metres. */
  readonly rms_m: number;
}

/** Grid lines at most this many per axis (a 40 m shop floor at 1 m). */
const MAX_LINES = 60;
const SAMPLES = 48;

/**
 * The 1 m grid over the floor the clicked points span (plus a margin), mapped into the image.
 * Points beyond the horizon (the other side of the projective plane) or far off the picture are
 * cut, so a line is broken into the pieces that really lie on the visible floor. Throws
 * MisuseError(FS_BAD_ARGUMENT) from fitHomography when the points do not define a homography.
 */
export function floorGrid(image: readonly Point[], world: readonly Point[], width: number, height: number, stepM = 1): FloorGrid {
  const fit = fitHomography(image, world);
  const toImage: Homography = invertHomography(fit.H);
  // The side of the horizon the floor is on: the sign of the denominator at the clicked points.
  const side = Math.sign(fit.H[6] * image[0]![0] + fit.H[7] * image[0]![1] + fit.H[8]);
  const corners: Point[] = [[0, 0], [width, 0], [0, height], [width, height], ...image];
  const onFloor = corners.filter((p) => Math.sign(fit.H[6] * p[0] + fit.H[7] * p[1] + fit.H[8]) === side).map((p) => applyHomography(fit.H, p));
  const xs = [...world.map((p) => p[0]), ...onFloor.map((p) => p[0])].filter(Number.isFinite);
  const ys = [...world.map((p) => p[1]), ...onFloor.map((p) => p[1])].filter(Number.isFinite);
  const span = (v: number[]): [number, number] => {
    const lo = Math.floor(Math.min(...v) / stepM) * stepM;
    const hi = Math.ceil(Math.max(...v) / stepM) * stepM;
    // A far horizon maps the top corners kilometres away: keep the grid around the clicked points.
    const wLo = Math.min(...v.slice(0, world.length));
    const wHi = Math.max(...v.slice(0, world.length));
    const reach = Math.max(4 * stepM, wHi - wLo);
    return [Math.max(lo, Math.floor((wLo - reach) / stepM) * stepM), Math.min(hi, Math.ceil((wHi + reach) / stepM) * stepM)];
  };
  const [x0, x1] = span(xs);
  const [y0, y1] = span(ys);
  const margin = Math.max(width, height);
  const visible = (p: Point): boolean => p[0] >= -margin && p[0] <= width + margin && p[1] >= -margin && p[1] <= height + margin;
  const lines: Array<{ axis: 'x' | 'y'; metres: number; points: Point[] }> = [];
  const trace = (axis: 'x' | 'y', k: number, from: number, to: number): void => {
    let piece: Point[] = [];
    for (let s = 0; s <= SAMPLES; s++) {
      const u = from + ((to - from) * s) / SAMPLES;
      const w: Point = axis === 'x' ? [k, u] : [u, k];
      const den = toImage[6] * w[0] + toImage[7] * w[1] + toImage[8];
      const p = applyHomography(toImage, w);
      const ok =
        Number.isFinite(p[0]) &&
        Number.isFinite(p[1]) &&
        Math.sign(den) !== 0 &&
        Math.sign(fit.H[6] * p[0] + fit.H[7] * p[1] + fit.H[8]) === side &&
        visible(p);
      if (ok) piece.push([Math.round(p[0] * 10) / 10, Math.round(p[1] * 10) / 10]);
      else {
        if (piece.length > 1) lines.push({ axis, metres: k, points: piece });
        piece = [];
      }
    }
    if (piece.length > 1) lines.push({ axis, metres: k, points: piece });
  };
  for (let k = x0, n = 0; k <= x1 + 1e-9 && n < MAX_LINES; k += stepM, n++) trace('x', Math.round(k * 1000) / 1000, y0, y1);
  for (let k = y0, n = 0; k <= y1 + 1e-9 && n < MAX_LINES; k += stepM, n++) trace('y', Math.round(k * 1000) / 1000, x0, x1);
  return { lines, rms_m: Math.round(fit.rmsError * 1000) / 1000 };
}
