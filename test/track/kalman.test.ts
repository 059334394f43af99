import { describe, expect, it } from 'vitest';
import { CHI2_4DOF_95, DEFAULT_KALMAN, initiate, mahalanobisSq, predict, project, update, type Gaussian } from '../../agent/src/track/kalman.js';
import { seededRandom } from './rng.js';

const close = (a: Float64Array, b: Float64Array, rel = 1e-9): void => {
  for (const [i, v] of a.entries()) expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(v)));
};

describe('Kalman filter (pure maths on mean, covariance)', () => {
  it('predicting once over 1 s equals predicting 25 times over 0.04 s', () => {
    let g: Gaussian = initiate([100, 200, 40, 120]);
    g = update(predict(g, 0.5), [120, 200, 40, 120]);
    const once = predict(g, 1);
    let many = g;
    for (let k = 0; k < 25; k++) many = predict(many, 0.04);
    close(once.mean, many.mean, 1e-6);
    close(once.covariance, many.covariance, 1e-6);
  });

  it('does not change its inputs', () => {
    const g = initiate([10, 10, 5, 10]);
    const before = [g.mean.slice(), g.covariance.slice()];
    update(predict(g, 1), [12, 10, 5, 10]);
    expect(g.mean).toEqual(before[0]);
    expect(g.covariance).toEqual(before[1]);
  });

  it('learns a constant velocity from noisy 1 fps samples', () => {
    const rnd = seededRandom(3);
    let g = initiate([0, 300, 50, 150]);
    for (let t = 1; t <= 10; t++) {
      g = update(predict(g, 1), [60 * t + (rnd() - 0.5) * 6, 300 + (rnd() - 0.5) * 6, 50, 150]);
    }
    expect(g.mean[4]!).toBeGreaterThan(50);
    expect(g.mean[4]!).toBeLessThan(70);
    expect(Math.abs(g.mean[5]!)).toBeLessThan(10);
  });

  it('uncertainty grows while coasting and shrinks with a measurement; noise scales with box size', () => {
    const g = initiate([100, 100, 20, 60]);
    const p1 = predict(g, 1);
    const p3 = predict(g, 3);
    expect(p3.covariance[0]!).toBeGreaterThan(p1.covariance[0]!);
    expect(update(p1, [100, 100, 20, 60]).covariance[0]!).toBeLessThan(p1.covariance[0]!);
    const big = predict(initiate([100, 100, 40, 120]), 1);
    expect(big.covariance[0]! / p1.covariance[0]!).toBeCloseTo(4, 6);
  });

  it('Mahalanobis gate: near the prediction passes, far fails, and the gate widens with time', () => {
    let g = initiate([100, 100, 40, 100]);
    for (let t = 1; t <= 3; t++) g = update(predict(g, 1), [100 + 50 * t, 100, 40, 100]);
    const near = mahalanobisSq(project(predict(g, 1)), [
      [300, 100, 40, 100],
      [600, 100, 40, 100],
    ]);
    expect(near[0]!).toBeLessThan(CHI2_4DOF_95);
    expect(near[1]!).toBeGreaterThan(CHI2_4DOF_95);
    const later = mahalanobisSq(project(predict(g, 1)), [[360, 100, 40, 100]])[0]!;
    const muchLater = mahalanobisSq(project(predict(g, 4)), [[360, 100, 40, 100]])[0]!;
    expect(muchLater).toBeLessThan(later);
    expect(mahalanobisSq(project(g), [])).toEqual(new Float64Array(0));
  });

  it.each([
    ['negative dt', () => predict(initiate([1, 1, 1, 1]), -0.1), /dtSec/],
    ['NaN dt', () => predict(initiate([1, 1, 1, 1]), NaN), /dtSec/],
    ['zero-width box', () => initiate([1, 1, 0, 1]), /w>0/],
    ['NaN measurement', () => update(initiate([1, 1, 1, 1]), [NaN, 1, 1, 1]), /finite/],
  ] as const)('rejects %s', (_n, f, re) => {
    expect(f).toThrow(re);
  });

  it('defaults are frozen', () => {
    expect(Object.isFrozen(DEFAULT_KALMAN)).toBe(true);
  });
});
