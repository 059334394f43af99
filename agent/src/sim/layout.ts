/**
 * The simulated shop floor (metres; x across, y from the entrance at y=0 to the back wall at y=depth)
 * and its cameras: pinhole cameras up on the front wall, one per strip of floor, each seeing its
 * strip. From them the simulator projects people to pixel boxes and writes zones and floor point
 * pairs into the store config, exactly as an installer would draw them.
 */
import type { ZoneKind } from '../config/sections/zones.js';
import type { Point } from '../scene/geometry.js';

export interface WorldZone {
  readonly name: string;
  readonly kind: ZoneKind;
  readonly polygon: readonly Point[];
}

export interface SimCamera {
  readonly id: string;
  /** Floor strip this camera sees: x in [x0, x1). */
  readonly x0: number;
  readonly x1: number;
  readonly width: number;
  readonly height: number;
  /** Horizontal field of view (degrees), as a camera spec sheet gives it. */
  readonly hfovDeg: number;
  readonly project: (x: number, y: number, z: number) => Point | null;
}

export interface Layout {
  readonly width: number;
  readonly depth: number;
  readonly zones: readonly WorldZone[];
  readonly entrance: readonly [Point, Point];
  readonly tillSpot: Point;
  readonly tillStation: Point;
  readonly queueSpot: Point;
  readonly staffDoor: Point;
  /** Where staff pass from behind the counter to the floor. */
  readonly counterGate: Point;
  readonly counterPost: Point;
  readonly cameras: readonly SimCamera[];
  /** Browse area (customers stay off the counter side). */
  readonly browse: { readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number };
}

const rect = (x0: number, y0: number, x1: number, y1: number): Point[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

export function makeLayout(width: number, depth: number, cameraCount: number, imgW: number, imgH: number): Layout {
  const cx = width - 3.5;
  const zones: WorldZone[] = [
    { name: 'counter-staff', kind: 'staff', polygon: rect(width - 6, depth - 1.7, width, depth) },
    { name: 'till', kind: 'till', polygon: rect(cx - 1.5, depth - 3.2, cx + 1.5, depth - 2.1) },
    { name: 'entrance', kind: 'entrance', polygon: rect(0.4, 0, 3.6, 2.0) },
  ];
  const cameras: SimCamera[] = [];
  const strip = width / cameraCount;
  for (let i = 0; i < cameraCount; i++) {
    const x0 = i * strip;
    const x1 = (i + 1) * strip;
    cameras.push(makeCamera(`cam${i + 1}`, x0, x1, depth, imgW, imgH));
    zones.push({ name: `floor-${i + 1}`, kind: 'floor', polygon: rect(x0, 0, x1, depth) });
  }
  return {
    width,
    depth,
    zones,
    entrance: [
      [1.0, 0.2],
      [3.0, 0.7],
    ],
    tillSpot: [cx, depth - 2.5],
    tillStation: [cx, depth - 1.2],
    queueSpot: [cx, depth - 4.2],
    staffDoor: [width - 0.4, depth - 0.4],
    counterGate: [width - 6.4, depth - 1.2],
    counterPost: [cx, depth - 1.1],
    cameras,
    browse: { x0: 0.6, x1: width - 0.6, y0: 3.2, y1: depth - 4.8 },
  };
}

type V3 = [number, number, number];
const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: V3, b: V3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: V3): V3 => {
  const l = Math.hypot(...a);
  return [a[0] / l, a[1] / l, a[2] / l];
};

/** A camera 5 m up, 4 m in front of the strip (above the entrance), looking at the middle of the floor; focal length fitted so the whole strip (people included) is in view. */
function makeCamera(id: string, x0: number, x1: number, depth: number, w: number, h: number): SimCamera {
  const c: V3 = [(x0 + x1) / 2, -4, 5];
  const f = norm(sub([(x0 + x1) / 2, depth * 0.55, 0], c));
  const right = norm(cross(f, [0, 0, 1]));
  const down = cross(f, right);
  const toCam = (p: V3): V3 => {
    const d = sub(p, c);
    return [dot(d, right), dot(d, down), dot(d, f)];
  };
  const corners: V3[] = [];
  for (const x of [x0 - 0.3, x1 + 0.3]) for (const y of [0, depth]) for (const z of [0, 1.9]) corners.push([x, y, z]);
  const n = corners.map(toCam).map((q) => [q[0] / q[2], q[1] / q[2]] as const);
  const maxX = Math.max(...n.map((q) => Math.abs(q[0])));
  const minY = Math.min(...n.map((q) => q[1]));
  const maxY = Math.max(...n.map((q) => q[1]));
  const focal = 0.95 * Math.min(w / 2 / maxX, h / (maxY - minY));
  const cy = h / 2 - (focal * (minY + maxY)) / 2;
  return {
    id,
    x0,
    x1,
    width: w,
    height: h,
    hfovDeg: Math.round((2 * Math.atan(w / 2 / focal) * 180) / Math.PI),
    project: (x, y, z) => {
      const q = toCam([x, y, z]);
      if (q[2] <= 0.1) return null;
      return [w / 2 + (focal * q[0]) / q[2], cy + (focal * q[1]) / q[2]];
    },
  };
}

/** Floor points (a grid inside the strip) and their pixels: the installer's point pairs. */
export function floorPointPairs(cam: SimCamera, depth: number): { image: Point[]; world: Point[] } {
  const world: Point[] = [];
  for (const fx of [0.15, 0.5, 0.85]) for (const fy of [0.1, 0.9]) world.push([cam.x0 + fx * (cam.x1 - cam.x0), fy * depth]);
  const image = world.map((p) => cam.project(p[0], p[1], 0)!).map((p): Point => [round2(p[0]), round2(p[1])]);
  return { image, world };
}

export function zonePixels(cam: SimCamera, zone: WorldZone): Point[] {
  return zone.polygon.map((p) => cam.project(p[0], p[1], 0)!).map((p): Point => [round2(p[0]), round2(p[1])]);
}

/** Zones this camera's strip touches, specific ones first. */
export function zonesForCamera(cam: SimCamera, zones: readonly WorldZone[]): WorldZone[] {
  return zones.filter((z) => {
    const xs = z.polygon.map((p) => p[0]);
    const inStrip = Math.max(...xs) > cam.x0 && Math.min(...xs) < cam.x1;
    return inStrip && (z.kind !== 'floor' || z.name === `floor-${cam.id.replace('cam', '')}`);
  });
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
