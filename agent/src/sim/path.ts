/** Piecewise-linear paths in time (seconds from the day's start) on the floor (metres). */
import type { Point } from '../scene/geometry.js';

export interface Waypoint {
  readonly t: number;
  readonly x: number;
  readonly y: number;
}

/** Appends waypoints; walking inserts the arrival time from the distance and speed. */
export interface PathBuilder {
  readonly points: Waypoint[];
  at(): Waypoint;
  stay(until: number): void;
  walk(to: Point, speed: number): number;
  jump(t: number, p: Point): void;
}

export function pathFrom(t: number, p: Point): PathBuilder {
  const points: Waypoint[] = [{ t, x: p[0], y: p[1] }];
  const at = (): Waypoint => points[points.length - 1]!;
  return {
    points,
    at,
    stay(until) {
      const w = at();
      if (until > w.t) points.push({ t: until, x: w.x, y: w.y });
    },
    walk(to, speed) {
      const w = at();
      const d = Math.hypot(to[0] - w.x, to[1] - w.y);
      const t = w.t + Math.max(d / speed, 0.5);
      points.push({ t, x: to[0], y: to[1] });
      return t;
    },
    jump(t, p) {
      points.push({ t, x: p[0], y: p[1] });
    },
  };
}

/** Position at t (clamped to the path's ends); `hint` is a cursor for monotone scans. */
export function positionAt(points: readonly Waypoint[], t: number, hint = { i: 0 }): Point {
  if (hint.i >= points.length || points[hint.i]!.t > t) hint.i = 0;
  while (hint.i + 1 < points.length && points[hint.i + 1]!.t <= t) hint.i++;
  const a = points[hint.i]!;
  const b = points[hint.i + 1];
  if (!b || t <= a.t) return [a.x, a.y];
  const f = (t - a.t) / Math.max(b.t - a.t, 1e-9);
  return [a.x + f * (b.x - a.x), a.y + f * (b.y - a.y)];
}
