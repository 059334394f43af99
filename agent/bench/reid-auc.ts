/** Same-vs-different separation of embedding distances, shared by the ReID benches (reid-replay.ts, reid-int8-sensitivity.ts). */

/**
 * P(a same-person pair is closer than a different-person pair), ties half: how well the embedding
 * separates identities regardless of any threshold (compares crop sizes where IDF1 cannot: most
 * labelled decisions do not hinge on appearance).
 */
export function auc(same: readonly number[], diff: readonly number[]): number {
  if (same.length === 0 || diff.length === 0) return Number.NaN;
  const d = [...diff].sort((a, b) => a - b);
  let wins = 0;
  for (const x of same) {
    // diff values above x count 1, equal count 1/2: two binary searches.
    let lo = 0;
    let hi = d.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (d[m]! <= x) lo = m + 1;
      else hi = m;
    }
    let lo2 = 0;
    let hi2 = d.length;
    while (lo2 < hi2) {
      const m = (lo2 + hi2) >> 1;
      if (d[m]! < x) lo2 = m + 1;
      else hi2 = m;
    }
    wins += d.length - lo + (lo - lo2) / 2;
  }
  return wins / (same.length * d.length);
}
