/**
 * Optimal assignment (the linear sum assignment problem) for the evaluation code.
 *
 * `solveAssignment` is the Hungarian method with row/column potentials and shortest augmenting
 * paths (the O(n^2 m) formulation by Jonker-Volgenant / Kuhn-Munkres): for an n x m cost matrix it
 * assigns min(n, m) rows to distinct columns at minimum total cost, like scipy's
 * `linear_sum_assignment`. The solver itself is core/lsap.ts, shared with the tracker: it is exact,
 * so tuning the tracker (its costs and gates) never moves the metric's answer.
 *
 * `solveAssignmentWithForbidden` adds the edge semantics py-motmetrics uses: some pairs may not be
 * matched at all (NaN distance in py-motmetrics). It maximises the number of allowed pairs first and
 * the cost second, which is what py-motmetrics gets by replacing forbidden edges with a constant
 * larger than any allowed solution could cost, then dropping forbidden pairs from the result.
 */
import { MisuseError } from '../../core/errors.js';
import { solveLsap } from '../../core/lsap.js';

/** A dense row-major matrix. `data[r * cols + c]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export interface Assignment {
  /** Row index of each matched pair, ascending. */
  readonly rows: number[];
  /** Column index of each matched pair, aligned with `rows`. */
  readonly cols: number[];
}

export function matrix(rows: number, cols: number, fill = 0): Matrix {
  const data = new Float64Array(rows * cols);
  if (fill !== 0) data.fill(fill);
  return { rows, cols, data };
}

/** Build a Matrix from nested arrays (all rows the same length). */
export function matrixFrom(values: readonly (readonly number[])[]): Matrix {
  const rows = values.length;
  const cols = rows === 0 ? 0 : values[0]!.length;
  const m = matrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    const row = values[r]!;
    if (row.length !== cols) throw new MisuseError('FS_BAD_ARGUMENT', `matrix row ${r} has ${row.length} values, expected ${cols}`);
    for (let c = 0; c < cols; c++) m.data[r * cols + c] = row[c]!;
  }
  return m;
}

/**
 * Minimum-cost assignment of min(rows, cols) pairs. Every cost must be finite.
 */
export function solveAssignment(cost: Matrix): Assignment {
  const { rows, cols, data } = cost;
  if (rows === 0 || cols === 0) return { rows: [], cols: [] };
  // The potential method below needs rows <= cols; solve the transpose otherwise.
  if (rows > cols) {
    const t = matrix(cols, rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t.data[c * rows + r] = data[r * cols + c]!;
    const sol = hungarian(t);
    return sortedPairs(sol.cols, sol.rows);
  }
  const sol = hungarian(cost);
  return sortedPairs(sol.rows, sol.cols);
}

/**
 * Minimum-cost assignment where `allowed(r, c)` false means the pair may never be matched.
 * Maximises the number of allowed pairs, then minimises their total cost.
 */
export function solveAssignmentWithForbidden(cost: Matrix, allowed: (r: number, c: number) => boolean): Assignment {
  const { rows, cols, data } = cost;
  if (rows === 0 || cols === 0) return { rows: [], cols: [] };
  let maxAbs = -1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (allowed(r, c)) maxAbs = Math.max(maxAbs, Math.abs(data[r * cols + c]!));
    }
  }
  if (maxAbs < 0) return { rows: [], cols: [] };
  // One forbidden edge must cost more than any difference allowed edges can make up:
  // l > (2r - 1) c with c bounding |cost|; 2rc + 1 satisfies it.
  const r = Math.min(rows, cols);
  const c = maxAbs + 1;
  const large = 2 * r * c + 1;
  const padded = matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) padded.data[i * cols + j] = allowed(i, j) ? data[i * cols + j]! : large;
  }
  const sol = solveAssignment(padded);
  const outR: number[] = [];
  const outC: number[] = [];
  for (let k = 0; k < sol.rows.length; k++) {
    if (allowed(sol.rows[k]!, sol.cols[k]!)) {
      outR.push(sol.rows[k]!);
      outC.push(sol.cols[k]!);
    }
  }
  return { rows: outR, cols: outC };
}

/** Rows <= cols. Returns the matched (row, column) pairs. */
function hungarian(cost: Matrix): { rows: number[]; cols: number[] } {
  const colOfRow = solveLsap(cost.data, cost.rows, cost.cols);
  return { rows: Array.from(colOfRow, (_, r) => r), cols: Array.from(colOfRow) };
}

function sortedPairs(rows: number[], cols: number[]): Assignment {
  const idx = rows.map((_, k) => k).sort((x, y) => rows[x]! - rows[y]!);
  return { rows: idx.map((k) => rows[k]!), cols: idx.map((k) => cols[k]!) };
}
