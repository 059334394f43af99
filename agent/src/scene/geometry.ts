/** Plane geometry on plain tuples: points, polygons, the foot point of a person box. */

export type Point = readonly [number, number];
export type Polygon = readonly Point[];

/** Even-odd rule; points exactly on an edge may fall either side (zones are drawn with margin). */
export function pointInPolygon(p: Point, poly: Polygon): boolean {
  const [px, py] = p;
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The point a person stands on: bottom centre of a top-left (x, y, w, h) box. */
export function footPoint(x: number, y: number, w: number, h: number): Point {
  return [x + w / 2, y + h];
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

export function centroid(poly: Polygon): Point {
  let sx = 0;
  let sy = 0;
  for (const [x, y] of poly) {
    sx += x;
    sy += y;
  }
  return [sx / poly.length, sy / poly.length];
}

/** Twice the signed area; zero for degenerate polygons. */
export function signedArea2(poly: Polygon): number {
  let a = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) a += poly[j]![0] * poly[i]![1] - poly[i]![0] * poly[j]![1];
  return a;
}
