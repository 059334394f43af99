/**
 * Constant-velocity Kalman filter for person boxes, as pure maths on (mean, covariance) (habit 5):
 * no function here holds or mutates track state; each returns a new Gaussian.
 *
 * State (8): cx, cy, w, h in source pixels and their velocities in pixels per VIDEO SECOND.
 * Measurement (4): cx, cy, w, h.
 *
 * The time step is the video time between two sampled frames, which in a shop is anything from
 * 0.04 s (every frame) to 1-2 s (every 25th-50th). Process noise is therefore a continuous-time
 * model integrated over dt (white-noise acceleration plus a position random walk), so predicting
 * once over 1 s gives exactly the same Gaussian as predicting 25 times over 0.04 s. All noise is
 * proportional to the box size, so near and far people are treated alike.
 */
import { MisuseError } from '../core/errors.js';
import { cholesky, forwardSubstitute, matMul, solveSpd, transpose } from './linalg.js';

export const STATE_DIM = 8;
export const MEAS_DIM = 4;

export interface Gaussian {
  /** STATE_DIM values, or MEAS_DIM for a projected measurement. */
  readonly mean: Float64Array;
  /** Row-major covariance, dim x dim. */
  readonly covariance: Float64Array;
}

/** Box as a measurement: centre x, centre y, width, height (pixels). */
export type Cxcywh = readonly [number, number, number, number];

export interface KalmanParams {
  /** Detector noise: std of cx/w as a fraction of width, of cy/h as a fraction of height. */
  readonly measurementStd: number;
  /** Position random walk (sway, detector wobble): std after 1 s, as a fraction of box height. */
  readonly positionNoise: number;
  /** White-noise acceleration: std of the velocity change after 1 s, in box heights per second. */
  readonly accelerationNoise: number;
  /** Size (w, h) noise relative to the position noise: people change size slower than they move. */
  readonly sizeNoiseRatio: number;
  /** Std of the unknown velocity of a newborn track, in box heights per second (walking ~0.8). */
  readonly initialVelocityStd: number;
  /**
   * The association gate's white-noise acceleration (see `gateParams`), in the units of
   * accelerationNoise: what a person CAN do between two looks (turn back, stop), where
   * accelerationNoise is what they typically do, against which the filter weighs detector jitter.
   */
  readonly manoeuvreNoise: number;
}

/**
 * The filter's own defaults, the values these functions take when none are given (tests, benches).
 * The product's come from the config (tracker.motion_acceleration_noise 0.2, motion_manoeuvre_noise
 * 0.8: options.ts); 0.8 / 0.8 here is the filter as it was before that stiffer velocity.
 */
export const DEFAULT_KALMAN: KalmanParams = Object.freeze({
  measurementStd: 0.05,
  positionNoise: 0.25,
  accelerationNoise: 0.8,
  sizeNoiseRatio: 0.5,
  initialVelocityStd: 1.0,
  manoeuvreNoise: 0.8,
});

/** Chi-square 0.95 / 0.99 quantiles for 4 degrees of freedom: Mahalanobis gates on (cx,cy,w,h). */
export const CHI2_4DOF_95 = 9.4877;
export const CHI2_4DOF_99 = 13.2767;

function sizeScales(mean: ArrayLike<number>): [number, number] {
  // Guard against boxes the filter has shrunk to nothing: noise must stay positive-definite.
  return [Math.max(mean[2]!, 1), Math.max(mean[3]!, 1)];
}

/** A new track's Gaussian from its first measurement: position known, velocity unknown. */
export function initiate(z: Cxcywh, p: KalmanParams = DEFAULT_KALMAN): Gaussian {
  checkBox(z);
  const mean = new Float64Array(STATE_DIM);
  mean.set(z);
  const [w, h] = sizeScales(z);
  const std = [
    2 * p.measurementStd * w,
    2 * p.measurementStd * h,
    2 * p.measurementStd * w,
    2 * p.measurementStd * h,
    p.initialVelocityStd * h,
    p.initialVelocityStd * h,
    p.initialVelocityStd * h * p.sizeNoiseRatio * 0.25,
    p.initialVelocityStd * h * p.sizeNoiseRatio * 0.25,
  ];
  return { mean, covariance: diag(std.map((s) => s * s)) };
}

/** Predict the Gaussian dtSec seconds ahead (dtSec >= 0). */
export function predict(g: Gaussian, dtSec: number, p: KalmanParams = DEFAULT_KALMAN): Gaussian {
  if (!(dtSec >= 0) || !Number.isFinite(dtSec)) throw new MisuseError('FS_BAD_ARGUMENT', `kalman predict: dtSec must be a finite number >= 0, got ${dtSec}`);
  if (dtSec === 0) return g;
  const f = transitionMatrix(dtSec);
  const mean = matMul(f, g.mean, STATE_DIM, STATE_DIM, 1);
  const fp = matMul(f, g.covariance, STATE_DIM, STATE_DIM, STATE_DIM);
  const cov = matMul(fp, transpose(f, STATE_DIM, STATE_DIM), STATE_DIM, STATE_DIM, STATE_DIM);
  const [w, h] = sizeScales(g.mean);
  // Positions move with the person (scale h on both axes); sizes scale with themselves.
  const axisScale = [h, h, w * p.sizeNoiseRatio, h * p.sizeNoiseRatio];
  const dt2 = dtSec * dtSec;
  const dt3 = dt2 * dtSec;
  for (let a = 0; a < 4; a++) {
    const s2 = axisScale[a]! * axisScale[a]!;
    const qa = p.accelerationNoise * p.accelerationNoise * s2;
    const qp = p.positionNoise * p.positionNoise * s2;
    const v = a + 4;
    cov[a * STATE_DIM + a]! += (qa * dt3) / 3 + qp * dtSec;
    cov[a * STATE_DIM + v]! += (qa * dt2) / 2;
    cov[v * STATE_DIM + a]! += (qa * dt2) / 2;
    cov[v * STATE_DIM + v]! += qa * dtSec;
  }
  return { mean, covariance: cov };
}

/** The state's distribution in measurement space, detector noise included. */
export function project(g: Gaussian, p: KalmanParams = DEFAULT_KALMAN): Gaussian {
  const mean = g.mean.slice(0, MEAS_DIM);
  const cov = new Float64Array(MEAS_DIM * MEAS_DIM);
  for (let i = 0; i < MEAS_DIM; i++) for (let j = 0; j < MEAS_DIM; j++) cov[i * MEAS_DIM + j] = g.covariance[i * STATE_DIM + j]!;
  const [w, h] = sizeScales(g.mean);
  const r = [p.measurementStd * w, p.measurementStd * h, p.measurementStd * w, p.measurementStd * h];
  for (let i = 0; i < MEAS_DIM; i++) cov[i * MEAS_DIM + i]! += r[i]! * r[i]!;
  return { mean, covariance: cov };
}

/**
 * The parameters of the association gate's covariance: the filter's, with the white-noise
 * acceleration raised to manoeuvreNoise. Two questions, two noises: the filter estimates a velocity
 * from jittery detections and must not follow the jitter (a standing person's predicted box then
 * drifts onto a neighbour between sparse samples), while the gate must still reach a person who
 * turned back or set off in the second between two samples. The covariance recursion does not
 * depend on the measurements, so the tracker runs it beside the filter's (tracker.ts). Tried and
 * not kept: widening the stiff filter's own covariance by the manoeuvre since the last observation
 * only (its dt^3 / 3 term): the labelled street clip at 2 fps fell from MOTA .740 / IDF1 .836 /
 * HOTA .734 to .717 / .803 / .701 (int8 detector), and a burst from standing (tracker-life.test.ts,
 * "ambiguous candidates") no longer reached both neighbours.
 */
export function gateParams(p: KalmanParams): KalmanParams {
  return separateGate(p) ? { ...p, accelerationNoise: p.manoeuvreNoise } : p;
}

/** Whether the gate has a covariance of its own: a manoeuvre noise above the filter's (else the gate is the filter's covariance). */
export function separateGate(p: KalmanParams): boolean {
  return p.manoeuvreNoise > p.accelerationNoise;
}

/** Correct the Gaussian with a measurement. */
export function update(g: Gaussian, z: Cxcywh, p: KalmanParams = DEFAULT_KALMAN): Gaussian {
  checkBox(z);
  const proj = project(g, p);
  // H P is the first MEAS_DIM rows of P; K^T = S^-1 (H P) since S is symmetric.
  const hp = g.covariance.slice(0, MEAS_DIM * STATE_DIM);
  const kT = solveSpd(proj.covariance, hp, MEAS_DIM, STATE_DIM);
  const k = transpose(kT, MEAS_DIM, STATE_DIM);
  const innov = new Float64Array(MEAS_DIM);
  for (let i = 0; i < MEAS_DIM; i++) innov[i] = z[i]! - proj.mean[i]!;
  const mean = g.mean.slice();
  const kInnov = matMul(k, innov, STATE_DIM, MEAS_DIM, 1);
  for (let i = 0; i < STATE_DIM; i++) mean[i]! += kInnov[i]!;
  // P' = P - K S K^T = P - K (H P)
  const khp = matMul(k, hp, STATE_DIM, MEAS_DIM, STATE_DIM);
  const cov = g.covariance.slice();
  for (let i = 0; i < cov.length; i++) cov[i]! -= khp[i]!;
  symmetrise(cov, STATE_DIM);
  return { mean, covariance: cov };
}

/**
 * Squared Mahalanobis distance of each measurement from a projected Gaussian (see `project`).
 * Compare with CHI2_4DOF_95 / _99 to gate.
 */
export function mahalanobisSq(projected: Gaussian, zs: readonly Cxcywh[]): Float64Array {
  const out = new Float64Array(zs.length);
  if (zs.length === 0) return out;
  const l = cholesky(projected.covariance, MEAS_DIM);
  const d = new Float64Array(MEAS_DIM);
  zs.forEach((z, j) => {
    for (let i = 0; i < MEAS_DIM; i++) d[i] = z[i]! - projected.mean[i]!;
    const y = forwardSubstitute(l, d, MEAS_DIM);
    let s = 0;
    for (let i = 0; i < MEAS_DIM; i++) s += y[i]! * y[i]!;
    out[j] = s;
  });
  return out;
}

function transitionMatrix(dt: number): Float64Array {
  const f = new Float64Array(STATE_DIM * STATE_DIM);
  for (let i = 0; i < STATE_DIM; i++) f[i * STATE_DIM + i] = 1;
  for (let i = 0; i < 4; i++) f[i * STATE_DIM + i + 4] = dt;
  return f;
}

function diag(values: readonly number[]): Float64Array {
  const n = values.length;
  const m = new Float64Array(n * n);
  values.forEach((v, i) => {
    m[i * n + i] = v;
  });
  return m;
}

function symmetrise(m: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (m[i * n + j]! + m[j * n + i]!) / 2;
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
}

function checkBox(z: Cxcywh): void {
  if (z.length !== MEAS_DIM || z.some((v) => !Number.isFinite(v)) || !(z[2] > 0) || !(z[3] > 0)) {
    throw new MisuseError('FS_BAD_ARGUMENT', `kalman: measurement must be finite [cx, cy, w>0, h>0], got [${z.join(', ')}]`);
  }
}
