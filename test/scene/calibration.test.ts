/** The calibration view's pure parts: foot points and their zones, the metre grid drawn back from a floor homography. */
import { describe, expect, it } from 'vitest';
import { floorGrid, placeTracks } from '../../agent/src/scene/calibration.js';
import { applyHomography, fitHomography, invertHomography, type Homography } from '../../agent/src/scene/homography.js';

describe('placeTracks', () => {
  it('puts each track’s foot point (bottom centre) in the first zone containing it', () => {
    const zones = [
      {
        name: 'counter',
        kind: 'staff' as const,
        polygon: [
          [0, 300],
          [200, 300],
          [200, 432],
          [0, 432],
        ] as const,
      },
      {
        name: 'hall',
        kind: 'floor' as const,
        polygon: [
          [0, 0],
          [768, 0],
          [768, 432],
          [0, 432],
        ] as const,
      },
    ];
    const placed = placeTracks(
      [
        { id: 3, box: [50, 100, 150, 350], score: 0.91234 },
        { id: 8, box: [400, 50, 460, 200], score: 0.5 },
        { id: 9, box: [700, 300, 760, 440], score: 0.5 },
      ],
      zones,
    );
    expect(placed.map((p) => [p.track_id, p.foot, p.zone, p.zone_kind])).toEqual([
      [3, [100, 350], 'counter', 'staff'],
      [8, [430, 200], 'hall', 'floor'],
      [9, [730, 440], null, null], // below the picture's zones
    ]);
    expect(placed[0]!.score).toBe(0.912);
  });
});

describe('floorGrid', () => {
  // A camera looking down at the floor at an angle: world metres -> image pixels.
  const worldToImage: Homography = [60, -20, 200, 0, 15, 120, 0, -0.04, 1];
  const world: Array<[number, number]> = [
    [0, 0],
    [6, 0],
    [6, 8],
    [0, 8],
    [3, 4],
  ];
  const image = world.map((w) => applyHomography(worldToImage, w) as [number, number]);

  it('draws the 1 m lines through the clicked points; every grid point maps back onto its line', () => {
    const g = floorGrid(image, world, 768, 432);
    expect(g.rms_m).toBeLessThan(1e-6);
    const H = fitHomography(image, world).H;
    const xs = new Set(g.lines.filter((l) => l.axis === 'x').map((l) => l.metres));
    for (const k of [0, 1, 2, 3, 4, 5, 6]) expect(xs.has(k), `X = ${k} m`).toBe(true);
    for (const l of g.lines) {
      expect(l.points.length).toBeGreaterThan(1);
      for (const p of l.points) {
        const w = applyHomography(H, p);
        expect(Math.abs((l.axis === 'x' ? w[0] : w[1]) - l.metres)).toBeLessThan(0.05);
      }
    }
    // The clicked world point (3, 4) is where the lines X = 3 and Y = 4 cross in the image.
    const back = applyHomography(invertHomography(H), [3, 4]);
    expect(back[0]).toBeCloseTo(image[4]![0], 6);
  });

  it('refuses points that do not define a floor (collinear) with the homography fit’s message', () => {
    expect(() =>
      floorGrid(
        [
          [0, 0],
          [10, 10],
          [20, 20],
          [30, 30],
        ],
        [
          [0, 0],
          [1, 1],
          [2, 2],
          [3, 3],
        ],
        768,
        432,
      ),
    ).toThrow(/degenerate/);
  });
});
