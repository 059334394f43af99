/**
 * Cost matrices and the small functions that shape them before assignment (habit 3):
 * build, fuse, gate. Every function accepts empty matrices (0 tracks or 0 detections) and
 * returns a new matrix. Infinity means "never match this pair"; NaN is a bug and is rejected.
 */
import { MisuseError } from '../core/errors.js';

export interface CostMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major rows x cols; Infinity = forbidden pair. */
  readonly data: Float64Array;
}

export function costMatrix(rows: number, cols: number, fill = 0): CostMatrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new MisuseError('FS_BAD_ARGUMENT', `cost matrix: shape must be non-negative integers, got ${rows}x${cols}`);
  }
  return { rows, cols, data: new Float64Array(rows * cols).fill(fill) };
}

/** From nested arrays (tests, small callers). */
export function costFromRows(rows: readonly (readonly number[])[]): CostMatrix {
  const cols = rows[0]?.length ?? 0;
  const m = costMatrix(rows.length, cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new MisuseError('FS_BAD_ARGUMENT', `cost matrix: row ${i} has ${r.length} values, expected ${cols}`);
    m.data.set(r, i * cols);
  });
  return checkCost(m, 'costFromRows');
}

/** Build from a per-pair function. */
export function costFrom(rows: number, cols: number, f: (row: number, col: number) => number): CostMatrix {
  const m = costMatrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.data[i * cols + j] = f(i, j);
  return checkCost(m, 'costFrom');
}

export function costAt(m: CostMatrix, row: number, col: number): number {
  return m.data[row * m.cols + col]!;
}

/** Throws when any entry is NaN (a distance bug that would otherwise match arbitrarily). */
export function checkCost(m: CostMatrix, origin: string): CostMatrix {
  for (let k = 0; k < m.data.length; k++) {
    if (Number.isNaN(m.data[k]!)) {
      throw new MisuseError('FS_BAD_ARGUMENT', `${origin}: cost matrix has NaN at row ${Math.floor(k / m.cols)}, column ${k % m.cols}`);
    }
  }
  return m;
}

/** (1 - weightB) * a + weightB * b; a pair forbidden in either stays forbidden. */
export function fuse(a: CostMatrix, b: CostMatrix, weightB: number): CostMatrix {
  sameShape(a, b, 'fuse');
  if (!(weightB >= 0 && weightB <= 1)) throw new MisuseError('FS_BAD_ARGUMENT', `fuse: weight must be in [0, 1], got ${weightB}`);
  const out = costMatrix(a.rows, a.cols);
  for (let k = 0; k < out.data.length; k++) {
    const x = a.data[k]!;
    const y = b.data[k]!;
    out.data[k] = x === Infinity || y === Infinity ? Infinity : (1 - weightB) * x + weightB * y;
  }
  return out;
}

/** Forbid pairs whose cost exceeds maxCost. */
export function gate(m: CostMatrix, maxCost: number): CostMatrix {
  const out = costMatrix(m.rows, m.cols);
  for (let k = 0; k < out.data.length; k++) out.data[k] = m.data[k]! > maxCost ? Infinity : m.data[k]!;
  return out;
}

/** Forbid pairs of m where `by` exceeds its own limit (e.g. appearance gate applied to a fused cost). */
export function gateBy(m: CostMatrix, by: CostMatrix, limit: number): CostMatrix {
  sameShape(m, by, 'gateBy');
  const out = costMatrix(m.rows, m.cols);
  for (let k = 0; k < out.data.length; k++) out.data[k] = by.data[k]! > limit ? Infinity : m.data[k]!;
  return out;
}

/** Element-wise choice: where `use` is true take b, else a. */
export function overlay(a: CostMatrix, b: CostMatrix, use: (row: number, col: number) => boolean): CostMatrix {
  sameShape(a, b, 'overlay');
  const out = costMatrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) out.data[i * a.cols + j] = use(i, j) ? b.data[i * a.cols + j]! : a.data[i * a.cols + j]!;
  }
  return out;
}

/** The sub-matrix of the given rows and columns, in that order. */
export function select(m: CostMatrix, rows: readonly number[], cols: readonly number[]): CostMatrix {
  const out = costMatrix(rows.length, cols.length);
  rows.forEach((r, i) => {
    cols.forEach((c, j) => {
      out.data[i * cols.length + j] = m.data[r * m.cols + c]!;
    });
  });
  return out;
}

function sameShape(a: CostMatrix, b: CostMatrix, origin: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new MisuseError('FS_BAD_ARGUMENT', `${origin}: shapes differ (${a.rows}x${a.cols} vs ${b.rows}x${b.cols})`);
  }
}
