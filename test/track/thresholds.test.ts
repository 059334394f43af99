import { describe, expect, it } from 'vitest';
import { MisuseError } from '../../agent/src/core/errors.js';
import { thresholdsFromScores, weightedQuantile } from '../../agent/src/track/thresholds.js';
import { findEntry, loadManifest } from '../../agent/src/models/index.js';

describe("score thresholds from the detector's own scores", () => {
  it.each([
    [[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], 0.1, 1],
    [[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], 0.5, 5],
    [[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], 1, 10],
    // Each group weighs the same: 100 high scores of one clip do not drown the other's 2.
    [[Array.from({ length: 100 }, () => 0.9), [0.2, 0.3]], 0.25, 0.2],
    [[Array.from({ length: 100 }, () => 0.9), [0.2, 0.3]], 0.5, 0.3],
  ])('weightedQuantile(%j, %s) = %s', (groups, q, v) => {
    expect(weightedQuantile(groups, q)).toBe(v);
  });

  it('a model scoring people lower gets lower thresholds by the same rule', () => {
    const rule = { qHigh: 0.1, qNew: 0.2, floor: 0.1 };
    const frcnn = thresholdsFromScores([Array.from({ length: 100 }, (_, i) => 0.5 + i * 0.005)], rule);
    const yolo = thresholdsFromScores([Array.from({ length: 100 }, (_, i) => 0.1 + i * 0.008)], rule);
    expect(frcnn).toEqual({ low: 0.1, high: 0.5 + 9 * 0.005, newTrack: 0.5 + 19 * 0.005 });
    expect(yolo.high).toBeCloseTo(0.1 + 9 * 0.008, 9);
    expect(yolo.high).toBeLessThan(frcnn.high);
    // Scores under the floor are not part of the distribution.
    expect(thresholdsFromScores([[0.01, 0.02, 0.6, 0.7]], { qHigh: 0.5, qNew: 0.5, floor: 0.1 }).high).toBe(0.6);
  });

  it.each([
    [() => weightedQuantile([[]], 0.5), 'quantile of no scores'],
    [() => weightedQuantile([[1]], 1.5), 'quantile must be in [0, 1], got 1.5'],
    [() => thresholdsFromScores([[0.5]], { qHigh: 0.3, qNew: 0.2, floor: 0 }), 'quantile rule needs 0 <= qHigh <= qNew <= 1, got 0.3, 0.2'],
  ])('misuse %# is refused', (f, msg) => {
    expect(f).toThrow(MisuseError);
    expect(f).toThrow(msg);
  });

  it('the default detector carries calibrated thresholds with their rule and command in the manifest', () => {
    const th = findEntry(loadManifest(), 'yolov8n_fp32')!.tracker_thresholds!;
    expect(th.low_threshold).toBeLessThanOrEqual(th.high_threshold);
    expect(th.high_threshold).toBeLessThanOrEqual(th.new_track_threshold);
    expect(th.rule).toMatch(/quantiles/);
    expect(th.command).toMatch(/tracker-thresholds\.ts/);
  });
});
