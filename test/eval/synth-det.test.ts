import { describe, expect, it } from 'vitest';
import { measureDetectionProfile, synthesizeDetections } from '../../agent/src/eval/mot/index.js';
import { readMotFile, type MotRow } from '../../agent/src/io/mot.js';
import { MisuseError } from '../../agent/src/core/errors.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const box = (frame: number, id: number, x: number, conf = 1): MotRow => ({ frame, id, x, y: 100, w: 40, h: 100, conf });

describe('detections synthesised with a measured error profile', () => {
  it('measures miss runs, false positives and box error on a hand-made sequence', () => {
    // Person 1 detected, missed, missed, detected; person 2 always detected, 2 px to the right;
    // one false positive in frame 3.
    const gt = [1, 2, 3, 4].flatMap((f) => [box(f, 1, 0), box(f, 2, 300)]);
    const det = [box(1, -1, 0, 0.9), box(4, -1, 0, 0.9), ...[1, 2, 3, 4].map((f) => box(f, -1, 302, 0.8)), box(3, -1, 600, 0.3)];
    const p = measureDetectionProfile(gt, det);
    expect(p.frames).toBe(4);
    expect(p.missFirst).toBe(0);
    expect(p.missAfterHit).toBeCloseTo(1 / 4, 9); // 1 -> miss once, 2 -> hit three times
    expect(p.missAfterMiss).toBeCloseTo(1 / 2, 9);
    expect(p.fpPerFrame).toEqual([0, 0, 1, 0]);
    expect(p.fps.map((f) => f.score)).toEqual([0.3]);
    expect(p.hits.filter((h) => h.score === 0.8).every((h) => Math.abs(h.dx - 2 / 40) < 1e-9)).toBe(true);
  });

  it('refuses an empty profile or ground truth', () => {
    expect(() => measureDetectionProfile([], [])).toThrow(MisuseError);
    const empty = measureDetectionProfile([box(1, 1, 0)], []);
    expect(() => synthesizeDetections([box(1, 1, 0)], empty, 1)).toThrow(/no matched detections/);
  });

  it.skipIf(!haveData('mot/TUD-Campus/gt.txt', 'mot/sort_frcnn_det/TUD-Campus/det.txt'))(
    "on TUD-Campus reproduces the real detector's volume and score range, deterministically",
    () => {
      const gt = readMotFile(dataPath('mot/TUD-Campus/gt.txt'));
      const det = readMotFile(dataPath('mot/sort_frcnn_det/TUD-Campus/det.txt'));
      const p = measureDetectionProfile(gt, det);
      expect(p.hits.length + p.fps.length).toBe(det.length);
      const a = synthesizeDetections(gt, p, 7);
      expect(synthesizeDetections(gt, p, 7)).toEqual(a);
      expect(synthesizeDetections(gt, p, 8)).not.toEqual(a);
      expect(a.length).toBeGreaterThan(0.85 * det.length);
      expect(a.length).toBeLessThan(1.15 * det.length);
      const lo = Math.min(...det.map((r) => r.conf));
      expect(a.every((r) => r.conf >= lo && r.conf <= 1 && r.id === -1)).toBe(true);
    },
  );
});
