/**
 * Optimal assignment (habit 3's last step). `solveSquare` is core/lsap.ts's shortest-augmenting-path
 * Hungarian method with row/column potentials (the Jonker-Volgenant family), O(n^3).
 * `assign` adds the gate: a rectangular matrix with forbidden pairs is embedded in a square one
 * where leaving a row or column unmatched costs maxCost / 2 each, so a pair is matched only when
 * that is cheaper than leaving both sides alone, and the total over all pairs is minimal.
 */
import { MisuseError } from '../core/errors.js';
import { solveLsap } from '../core/lsap.js';
import { checkCost, type CostMatrix } from './cost.js';

export interface Assignment {
  /** [row, col] pairs, sorted by row. */
  readonly matches: ReadonlyArray<readonly [number, number]>;
  readonly unmatchedRows: readonly number[];
  readonly unmatchedCols: readonly number[];
}

/**
 * Minimum-cost perfect matching of a square n x n matrix of FINITE costs.
 * Returns colOfRow (length n).
 */
export function solveSquare(cost: Float64Array, n: number): Int32Array {
  return solveLsap(cost, n, n);
}

/**
 * Gated rectangular assignment: pairs with cost > maxCost (or Infinity) are never matched.
 * maxCost = Infinity matches as many pairs as the allowed ones permit, at minimum total cost.
 */
export function assign(m: CostMatrix, maxCost: number): Assignment {
  checkCost(m, 'assign');
  if (Number.isNaN(maxCost) || maxCost < 0) throw new MisuseError('FS_BAD_ARGUMENT', `assign: maxCost must be >= 0, got ${maxCost}`);
  const { rows: n, cols: mCols } = m;
  if (n === 0 || mCols === 0) {
    return { matches: [], unmatchedRows: range(n), unmatchedCols: range(mCols) };
  }
  let maxFinite = 0;
  for (let k = 0; k < m.data.length; k++) {
    const c = m.data[k]!;
    if (c <= maxCost && Number.isFinite(c)) maxFinite = Math.max(maxFinite, Math.abs(c));
  }
  const size = n + mCols;
  // Without a gate, leaving a pair unmatched must cost more than any allowed pair.
  const limit = Number.isFinite(maxCost) ? maxCost : 2 * maxFinite * size + 1;
  const forbidden = (limit + maxFinite + 1) * (size + 1);
  const ext = new Float64Array(size * size).fill(forbidden);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < mCols; j++) {
      const c = m.data[i * mCols + j]!;
      if (c <= maxCost && Number.isFinite(c)) ext[i * size + j] = c;
    }
    ext[i * size + mCols + i] = limit / 2; // row i left unmatched
  }
  for (let j = 0; j < mCols; j++) {
    ext[(n + j) * size + j] = limit / 2; // column j left unmatched
    for (let i = 0; i < n; i++) ext[(n + j) * size + mCols + i] = 0;
  }
  const colOfRow = solveSquare(ext, size);
  const matches: Array<readonly [number, number]> = [];
  const rowDone = new Uint8Array(n);
  const colDone = new Uint8Array(mCols);
  for (let i = 0; i < n; i++) {
    const j = colOfRow[i]!;
    if (j < mCols && ext[i * size + j]! < forbidden) {
      matches.push([i, j]);
      rowDone[i] = 1;
      colDone[j] = 1;
    }
  }
  return {
    matches,
    unmatchedRows: range(n).filter((i) => !rowDone[i]),
    unmatchedCols: range(mCols).filter((j) => !colDone[j]),
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
