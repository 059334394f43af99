import { describe, expect, it } from 'vitest';
import { matrix, matrixFrom, solveAssignment, solveAssignmentWithForbidden, type Matrix } from '../../agent/src/eval/mot/assignment.js';

/** Exhaustive minimum over all injective maps from the smaller side: the ground truth. */
function bruteForce(m: Matrix): number {
  const small = Math.min(m.rows, m.cols);
  const at = (r: number, c: number) => m.data[r * m.cols + c]!;
  let best = Infinity;
  const used = new Array<boolean>(Math.max(m.rows, m.cols)).fill(false);
  const rec = (i: number, acc: number): void => {
    if (i === small) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < used.length; j++) {
      if (used[j]) continue;
      used[j] = true;
      rec(i + 1, acc + (m.rows <= m.cols ? at(i, j) : at(j, i)));
      used[j] = false;
    }
  };
  rec(0, 0);
  return best;
}

/** Small deterministic generator so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const total = (m: Matrix, a: { rows: number[]; cols: number[] }) => a.rows.reduce((s, r, k) => s + m.data[r * m.cols + a.cols[k]!]!, 0);

describe('solveAssignment', () => {
  it('matches exhaustive search on 300 random matrices up to 6x6, square and rectangular', () => {
    const rnd = lcg(42);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(rnd() * 6);
      const cols = 1 + Math.floor(rnd() * 6);
      const m = matrix(rows, cols);
      // Integers make ties common, which is where bugs hide.
      for (let i = 0; i < m.data.length; i++) m.data[i] = trial % 2 ? Math.floor(rnd() * 5) - 2 : rnd();
      const a = solveAssignment(m);
      expect(a.rows.length).toBe(Math.min(rows, cols));
      expect(new Set(a.rows).size).toBe(a.rows.length);
      expect(new Set(a.cols).size).toBe(a.cols.length);
      expect(total(m, a)).toBeCloseTo(bruteForce(m), 9);
    }
  });

  it('handles empty and classic cases', () => {
    expect(solveAssignment(matrix(0, 3))).toEqual({ rows: [], cols: [] });
    const m = matrixFrom([
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ]);
    const a = solveAssignment(m);
    expect(total(m, a)).toBe(5);
    expect(a).toEqual({ rows: [0, 1, 2], cols: [1, 0, 2] });
  });

  it('rejects NaN costs and ragged rows', () => {
    expect(() => solveAssignment(matrixFrom([[1, Number.NaN]]))).toThrow(/row 0, column 1 is NaN/);
    expect(() => matrixFrom([[1, 2], [3]])).toThrow(/row 1 has 1 values, expected 2/);
  });
});

describe('solveAssignmentWithForbidden', () => {
  it('prefers more allowed pairs over lower cost', () => {
    // Cheapest single pair is (0,0) at 0.1, but it blocks row 1: two pairs win.
    const m = matrixFrom([
      [0.1, 0.4],
      [0.2, 9],
    ]);
    const a = solveAssignmentWithForbidden(m, (r, c) => !(r === 1 && c === 1));
    expect(a).toEqual({ rows: [0, 1], cols: [1, 0] });
  });

  it('drops forbidden pairs and returns nothing when nothing is allowed', () => {
    const m = matrixFrom([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    expect(solveAssignmentWithForbidden(m, () => false)).toEqual({ rows: [], cols: [] });
    expect(solveAssignmentWithForbidden(m, (r, c) => r === 1 && c === 1)).toEqual({ rows: [1], cols: [1] });
  });
});
