/** Frame-by-frame life scripts for scene tests: observations on the floor plan, one per second. */
import type { ZoneKind } from '../../agent/src/config/sections/zones.js';
import type { Observation } from '../../agent/src/scene/observations.js';
import type { RoleOptions } from '../../agent/src/scene/roles.js';

export const T0 = Date.UTC(2025, 3, 8, 8, 0, 0);

export interface Leg {
  /** Seconds from T0 (inclusive). */
  from: number;
  to: number;
  /** Floor position at `from` and at `to` (linear in between). */
  a: [number, number];
  b?: [number, number];
  zone?: ZoneKind | null;
  zoneName?: string;
}

export function track(camera: string, id: number, legs: Leg[]): Observation[] {
  const out: Observation[] = [];
  for (const l of legs) {
    for (let s = l.from; s <= l.to; s++) {
      const f = l.to === l.from ? 0 : (s - l.from) / (l.to - l.from);
      const b = l.b ?? l.a;
      const x = l.a[0] + f * (b[0] - l.a[0]);
      const y = l.a[1] + f * (b[1] - l.a[1]);
      out.push({
        t: T0 + s * 1000,
        camera,
        track: id,
        foot: [x * 50, y * 50],
        heightPx: 100,
        widthPx: 41,
        truncated: false,
        focalPx: 640,
        centreX: 640,
        frameWidth: 0, // positions here are floor metres: no picture edge to walk out of
        frameHeight: 0,
        world: [x, y],
        zone: l.zoneName ?? l.zone ?? null,
        zoneKind: l.zone ?? null,
      });
    }
  }
  return out;
}

/** The default role options the role tests start from (override per test with a spread). */
export const ROLE_OPTIONS: RoleOptions = {
  method: 'default',
  staffDwellMinutes: 45,
  staffZoneSeconds: 60,
  minConfidence: 0.5,
  staffGapS: 180,
  maxSpeedMps: 1.6,
  baseRadiusM: 1.2,
  personHeightM: 1.7,
  sellerZones: new Map(),
};

/** The tracker swapped the ids of two people at `t` seconds: each track's samples from then on follow the other. */
export function swapAt(a: Observation[], b: Observation[], t: number): Observation[] {
  const ta = a[0]!.track;
  const tb = b[0]!.track;
  const cut = T0 + t * 1000;
  return [...a.map((o) => (o.t >= cut ? { ...o, track: tb } : o)), ...b.map((o) => (o.t >= cut ? { ...o, track: ta } : o))];
}
