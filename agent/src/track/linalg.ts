/**
 * Tiny dense linear algebra for the Kalman filter: row-major Float64Array matrices of known size.
 * Sizes here are at most 8x8, so plain loops beat any library and allocate little.
 */
import { MisuseError } from '../core/errors.js';

/** C = A (r x k) * B (k x c). */
export function matMul(a: Float64Array, b: Float64Array, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j]! += aip * b[p * c + j]!;
    }
  }
  return out;
}

/** A^T for an r x c matrix. */
export function transpose(a: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j]!;
  return out;
}

/** Lower-triangular L with A = L L^T, for a symmetric positive-definite n x n matrix. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new MisuseError('FS_BAD_ARGUMENT', `cholesky: matrix is not positive definite (pivot ${i} = ${s})`);
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** Solve L y = b for lower-triangular L (n x n), b a vector of n. */
export function forwardSubstitute(l: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  return y;
}

/** Solve L^T x = y for lower-triangular L (n x n). */
export function backSubstitute(l: Float64Array, y: ArrayLike<number>, n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** Solve A X = B for symmetric positive-definite A (n x n) and B (n x m), via Cholesky. */
export function solveSpd(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  const l = cholesky(a, n);
  const x = new Float64Array(n * m);
  const col = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) col[i] = b[i * m + j]!;
    const sol = backSubstitute(l, forwardSubstitute(l, col, n), n);
    for (let i = 0; i < n; i++) x[i * m + j] = sol[i]!;
  }
  return x;
}
