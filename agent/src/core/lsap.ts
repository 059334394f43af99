/**
 * The linear sum assignment problem, solved once for the whole code base: the tracker's gated
 * matcher (track/assignment.ts) and the MOT metrics' matcher (eval/mot/assignment.ts) both reduce
 * to it. Shortest augmenting paths with row/column potentials (the Jonker-Volgenant / Kuhn-Munkres
 * family), O(rows^2 * cols).
 */
import { MisuseError } from './errors.js';

/**
 * Minimum-cost assignment of every row of a rows x cols matrix (rows <= cols) of FINITE costs,
 * row-major. Returns colOfRow (length rows), each column used at most once.
 */
export function solveLsap(cost: Float64Array, rows: number, cols: number): Int32Array {
  if (rows > cols) throw new MisuseError('FS_BAD_ARGUMENT', `solveLsap: needs rows <= cols, got ${rows} x ${cols} (transpose it)`);
  if (cost.length !== rows * cols) throw new MisuseError('FS_BAD_ARGUMENT', `solveLsap: expected ${rows * cols} costs, got ${cost.length}`);
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k]!)) {
      throw new MisuseError('FS_BAD_ARGUMENT', `assignment cost at row ${Math.floor(k / cols)}, column ${k % cols} is ${cost[k]}; costs must be finite`);
    }
  }
  // 1-based arrays; index 0 is the virtual column the augmenting path starts from.
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const rowOfCol = new Int32Array(cols + 1);
  const prevCol = new Int32Array(cols + 1);
  const minSlack = new Float64Array(cols + 1);
  const visited = new Uint8Array(cols + 1);
  for (let row = 1; row <= rows; row++) {
    rowOfCol[0] = row;
    let col0 = 0;
    minSlack.fill(Infinity);
    visited.fill(0);
    do {
      visited[col0] = 1;
      const r = rowOfCol[col0]!;
      const base = (r - 1) * cols;
      let delta = Infinity;
      let next = 0;
      for (let c = 1; c <= cols; c++) {
        if (visited[c]) continue;
        const slack = cost[base + c - 1]! - u[r]! - v[c]!;
        if (slack < minSlack[c]!) {
          minSlack[c] = slack;
          prevCol[c] = col0;
        }
        if (minSlack[c]! < delta) {
          delta = minSlack[c]!;
          next = c;
        }
      }
      for (let c = 0; c <= cols; c++) {
        if (visited[c]) {
          u[rowOfCol[c]!]! += delta;
          v[c]! -= delta;
        } else {
          minSlack[c]! -= delta;
        }
      }
      col0 = next;
    } while (rowOfCol[col0] !== 0);
    // Flip the augmenting path back to the start.
    do {
      const c = prevCol[col0]!;
      rowOfCol[col0] = rowOfCol[c]!;
      col0 = c;
    } while (col0 !== 0);
  }
  const colOfRow = new Int32Array(rows);
  for (let c = 1; c <= cols; c++) if (rowOfCol[c]! !== 0) colOfRow[rowOfCol[c]! - 1] = c - 1;
  return colOfRow;
}
