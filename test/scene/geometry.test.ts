import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../agent/src/config/load.js';
import { MisuseError } from '../../agent/src/core/errors.js';
import { footPoint, pointInPolygon, type Point } from '../../agent/src/scene/geometry.js';
import { applyHomography, fitHomography, type Homography } from '../../agent/src/scene/homography.js';

const square: Point[] = [
  [0, 0],
  [10, 0],
  [10, 10],
  [0, 10],
];
const lShape: Point[] = [
  [0, 0],
  [10, 0],
  [10, 4],
  [4, 4],
  [4, 10],
  [0, 10],
];

describe('point in polygon', () => {
  it.each<[string, Point[], Point, boolean]>([
    ['inside square', square, [5, 5], true],
    ['outside square', square, [11, 5], false],
    ['inside L foot', lShape, [8, 2], true],
    ['in L notch', lShape, [8, 8], false],
    ['inside L stem', lShape, [2, 8], true],
  ])('%s', (_n, poly, p, want) => expect(pointInPolygon(p, poly)).toBe(want));

  it('foot point is the bottom centre of the box', () => {
    expect(footPoint(100, 50, 40, 120)).toEqual([120, 170]);
  });
});

const H: Homography = [0.02, 0.004, -3, -0.001, 0.05, -8, 0.00001, 0.0009, 1];
const img: Point[] = [
  [100, 400],
  [1100, 420],
  [900, 150],
  [300, 140],
  [640, 300],
  [200, 250],
];

describe('homography fit (normalised DLT, least squares)', () => {
  it('recovers an exact mapping from 4 and from 6 pairs', () => {
    for (const n of [4, 6]) {
      const world = img.slice(0, n).map((p) => applyHomography(H, p));
      const fit = fitHomography(img.slice(0, n), world);
      expect(fit.rmsError).toBeLessThan(1e-6);
      const probe: Point = [500, 333];
      const [x, y] = applyHomography(fit.H, probe);
      const [ex, ey] = applyHomography(H, probe);
      expect(Math.hypot(x - ex, y - ey)).toBeLessThan(1e-6);
    }
  });

  it('averages out clicking noise with extra pairs', () => {
    const world = img.map((p) => applyHomography(H, p));
    const noisy = img.map((p, i): Point => [p[0] + (i % 2 ? 1.5 : -1.5), p[1] + (i % 3 ? -1 : 1)]);
    const fit = fitHomography(noisy, world);
    expect(fit.rmsError).toBeGreaterThan(0);
    expect(fit.rmsError).toBeLessThan(0.2);
  });

  it.each<[string, Point[], Point[], RegExp]>([
    ['three pairs', img.slice(0, 3), img.slice(0, 3), /at least 4 point pairs, got 3/],
    ['count mismatch', img.slice(0, 5), img.slice(0, 4), /image has 5 points but world has 4/],
    [
      'not finite',
      [
        [0, 0],
        [1, 0],
        [1, Number.NaN],
        [0, 1],
      ],
      square,
      /not finite/,
    ],
    [
      'collinear',
      [
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      square,
      /degenerate/,
    ],
    [
      'repeated',
      [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
      square,
      /degenerate|same point/,
    ],
  ])('rejects %s', (_n, a, b, err) => {
    expect(() => fitHomography(a, b)).toThrow(MisuseError);
    expect(() => fitHomography(a, b)).toThrow(err);
  });
});

describe('camera zones and floor in config', () => {
  const base = 'store: {id: s1}\ncameras:\n  - id: c1\n    url: x.mp4\n';
  it('accepts zones and a floor homography', () => {
    const cfg = parseConfigText(
      base +
        '    zones: [{name: counter, kind: staff, polygon: [[0,0],[10,0],[10,10]]}]\n' +
        '    floor: {image: [[100,400],[1100,420],[900,150],[300,140]], world: [[0,0],[8,0],[8,10],[0,10]]}\n',
    );
    expect(cfg.cameras[0]!.zones[0]!.kind).toBe('staff');
    expect(cfg.analytics.consultation.distance_m).toBe(1.5);
    expect(cfg.analytics.consultation.min_seconds).toBe(20);
    expect(cfg.analytics.consultation.max_gap_seconds).toBe(10);
  });
  it.each<[string, string, RegExp]>([
    ['bad zone kind', '    zones: [{name: a, kind: office, polygon: [[0,0],[1,0],[1,1]]}]\n', /cameras\[0\]\.zones\[0\]\.kind/],
    ['two-point polygon', '    zones: [{name: a, kind: floor, polygon: [[0,0],[1,0]]}]\n', /cameras\[0\]\.zones\[0\]\.polygon/],
    [
      'duplicate zone',
      '    zones: [{name: a, kind: floor, polygon: [[0,0],[1,0],[1,1]]}, {name: a, kind: till, polygon: [[0,0],[1,0],[1,1]]}]\n',
      /cameras\[0\]\.zones\[1\]\.name: duplicate zone name "a"/,
    ],
    ['collinear floor points', '    floor: {image: [[0,0],[1,1],[2,2],[3,3]], world: [[0,0],[1,0],[1,1],[0,1]]}\n', /cameras\[0\]\.floor: .*degenerate/],
    ['three floor points', '    floor: {image: [[0,0],[1,1],[2,0]], world: [[0,0],[1,0],[1,1]]}\n', /cameras\[0\]\.floor\.image/],
  ])('%s names the key path', (_n, extra, err) => {
    expect(() => parseConfigText(base + extra)).toThrow(err);
  });
});
