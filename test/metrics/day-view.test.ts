import { describe, expect, it } from 'vitest';
import { cameraHeatmaps, floorHeatmap } from '../../agent/src/metrics/day-view.js';

describe('floor heatmap', () => {
  it('counts positions per 0.5 m cell from the corner of the occupied area', () => {
    const h = floorHeatmap([
      [1.1, 2.2],
      [1.2, 2.4],
      [2.6, 2.2],
      [1.0, 3.9],
    ])!;
    expect(h).toMatchObject({ cell_m: 0.5, x0: 1, y0: 2, cols: 4, rows: 4 });
    expect(h.counts[0]).toBe(2); // (1.1, 2.2) and (1.2, 2.4)
    expect(h.counts[3]).toBe(1); // x 2.5-3.0, first row
    expect(h.counts[3 * 4]).toBe(1); // y 3.5-4.0, first column
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('is null without positions, and caps a runaway grid instead of allocating it', () => {
    expect(floorHeatmap([])).toBeNull();
    const h = floorHeatmap([
      [0, 0],
      [5000, 5000],
    ])!;
    expect([h.cols, h.rows]).toEqual([160, 160]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1); // the far point is clipped, not wrapped
  });
});

describe('camera picture heatmaps (cameras without a floor homography)', () => {
  it('counts foot points per camera on a grid anchored at the image corner, about 48 cells across', () => {
    const pts = [
      { camera: 'b', foot: [100, 50] as const },
      { camera: 'a', foot: [1919, 1070] as const },
      { camera: 'a', foot: [0, 0] as const },
      { camera: 'a', foot: [39, 39] as const },
      { camera: 'a', foot: [40, 0] as const },
      { camera: 'a', foot: [-3, 10] as const }, // off the picture: dropped
    ];
    const [a, b] = cameraHeatmaps(pts);
    expect(a).toMatchObject({ camera: 'a', cell_px: 40, cols: 48, rows: 27 });
    expect(a!.counts[0]).toBe(2); // (0,0) and (39,39)
    expect(a!.counts[1]).toBe(1); // (40,0)
    expect(a!.counts[26 * 48 + 47]).toBe(1);
    expect(a!.counts.reduce((x, y) => x + y, 0)).toBe(4);
    // A camera that saw people only near its corner still gets cells of at least 4 px.
    expect(b).toMatchObject({ camera: 'b', cell_px: 4, cols: 26, rows: 13 });
  });

  it('none without points', () => {
    expect(cameraHeatmaps([])).toEqual([]);
  });
});
