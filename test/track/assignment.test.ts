import { describe, expect, it } from 'vitest';
import { assign, solveSquare } from '../../agent/src/track/assignment.js';
import { costFromRows, costMatrix, type CostMatrix } from '../../agent/src/track/cost.js';
import { MisuseError } from '../../agent/src/core/errors.js';
import { seededRandom } from './rng.js';

/** The gated objective `assign` minimises: matched costs + maxCost/2 per unmatched row and column. */
function objective(m: CostMatrix, matches: ReadonlyArray<readonly [number, number]>, maxCost: number): number {
  let s = (m.rows + m.cols - 2 * matches.length) * (maxCost / 2);
  for (const [i, j] of matches) s += m.data[i * m.cols + j]!;
  return s;
}

/** Every partial matching using allowed pairs (cost finite and <= maxCost). */
function bruteForce(m: CostMatrix, maxCost: number): number {
  let best = Infinity;
  const usedCol = new Uint8Array(m.cols);
  const walk = (i: number, acc: number, matched: number): void => {
    if (i === m.rows) {
      best = Math.min(best, acc + (m.rows + m.cols - 2 * matched) * (maxCost / 2));
      return;
    }
    walk(i + 1, acc, matched);
    for (let j = 0; j < m.cols; j++) {
      const c = m.data[i * m.cols + j]!;
      if (usedCol[j] || !(c <= maxCost)) continue;
      usedCol[j] = 1;
      walk(i + 1, acc + c, matched + 1);
      usedCol[j] = 0;
    }
  };
  walk(0, 0, 0);
  return best;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

describe('solveSquare', () => {
  it('finds the minimum of every permutation on random 1..6 square matrices', () => {
    const rnd = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + (trial % 6);
      const cost = Float64Array.from({ length: n * n }, () => Math.round(rnd() * 20) / 2);
      const col = solveSquare(cost, n);
      expect(new Set(col).size).toBe(n);
      const got = Array.from(col).reduce((s, j, i) => s + cost[i * n + j]!, 0);
      const best = Math.min(...permutations(n).map((p) => p.reduce((s, j, i) => s + cost[i * n + j]!, 0)));
      expect(got).toBeCloseTo(best, 9);
    }
  });

  it('rejects non-finite costs and wrong sizes', () => {
    expect(() => solveSquare(Float64Array.from([0, Infinity, 1, 2]), 2)).toThrow(MisuseError);
    expect(() => solveSquare(Float64Array.from([0, 1, 2]), 2)).toThrow(/expected 4 costs/);
  });
});

describe('assign (gated, rectangular)', () => {
  it('matches brute force on random small matrices with forbidden pairs', () => {
    const rnd = seededRandom(42);
    for (let trial = 0; trial < 400; trial++) {
      const rows = Math.floor(rnd() * 5);
      const cols = Math.floor(rnd() * 5);
      const m = costMatrix(rows, cols);
      for (let k = 0; k < m.data.length; k++) m.data[k] = rnd() < 0.2 ? Infinity : rnd();
      const maxCost = [0.3, 0.7, 1.5][trial % 3]!;
      const a = assign(m, maxCost);
      for (const [i, j] of a.matches) expect(m.data[i * cols + j]!).toBeLessThanOrEqual(maxCost);
      expect(objective(m, a.matches, maxCost)).toBeCloseTo(bruteForce(m, maxCost), 9);
      expect(a.matches.length + a.unmatchedRows.length).toBe(rows);
      expect(a.matches.length + a.unmatchedCols.length).toBe(cols);
      expect(new Set(a.matches.map(([, j]) => j)).size).toBe(a.matches.length);
    }
  });

  it('without a gate matches as many allowed pairs as possible', () => {
    // Greedy would take the 0 and strand row 1; optimal takes 1 + 1.
    const a = assign(
      costFromRows([
        [0, 1],
        [Infinity, 1000],
      ]),
      Infinity,
    );
    expect(a.matches).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it.each([
    ['0 x 0', costMatrix(0, 0), [], [], []],
    ['0 x 3', costMatrix(0, 3), [], [], [0, 1, 2]],
    ['2 x 0', costMatrix(2, 0), [], [0, 1], []],
    ['all forbidden', costFromRows([[Infinity, Infinity]]), [], [0], [0, 1]],
    ['over the gate', costFromRows([[0.9]]), [], [0], [0]],
    ['wide', costFromRows([[0.5, 0.1, 0.3]]), [[0, 1]], [], [0, 2]],
    ['tall', costFromRows([[0.5], [0.1], [0.3]]), [[1, 0]], [0, 2], []],
  ] as const)('%s', (_name, m, matches, ur, uc) => {
    const a = assign(m, 0.8);
    expect(a).toEqual({ matches, unmatchedRows: ur, unmatchedCols: uc });
  });

  it.each([
    ['NaN cost', costFromRows([[0.1]]), NaN, /maxCost/],
    ['negative gate', costFromRows([[0.1]]), -1, /maxCost/],
  ] as const)('rejects %s', (_n, m, maxCost, re) => {
    expect(() => assign(m, maxCost)).toThrow(re);
  });

  it('rejects a NaN entry, naming where', () => {
    const m = costMatrix(2, 2);
    m.data[3] = NaN;
    expect(() => assign(m, 1)).toThrow(/row 1, column 1/);
  });
});
