/**
 * Seeded pseudo-random numbers for the simulator: xoshiro128** on 32-bit integers, seeded through
 * splitmix32 so nearby seeds give unrelated streams. State lives in the returned object only.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(a: number, b: number): number;
  int(a: number, bInclusive: number): number;
  normal(mean?: number, sd?: number): number;
  /** Log-normal with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number;
  exponential(rate: number): number;
  poisson(mean: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** An independent stream derived from this one (so adding draws in one part does not shift another). */
  fork(label: number): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

export function createRng(seed: number): Rng {
  const sm = splitmix32(seed);
  const s = [sm(), sm(), sm(), sm()];
  if (!s.some((v) => v !== 0)) s[0] = 1;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] = (s[2]! ^ s[0]!) >>> 0;
    s[3] = (s[3]! ^ s[1]!) >>> 0;
    s[1] = (s[1]! ^ s[2]!) >>> 0;
    s[0] = (s[0]! ^ s[3]!) >>> 0;
    s[2] = (s[2]! ^ t) >>> 0;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  const next = (): number => nextU32() / 4294967296;
  const rng: Rng = {
    next,
    uniform: (a, b) => a + (b - a) * next(),
    int: (a, b) => a + Math.floor(next() * (b - a + 1)),
    normal: (mean = 0, sd = 1) => {
      const u = 1 - next();
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    logNormal: (median, sigma) => median * Math.exp(sigma * rng.normal()),
    exponential: (rate) => -Math.log(1 - next()) / rate,
    poisson: (mean) => {
      if (mean <= 0) return 0;
      if (mean > 50) return Math.max(0, Math.round(rng.normal(mean, Math.sqrt(mean))));
      const l = Math.exp(-mean);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= next();
      } while (p > l);
      return k - 1;
    },
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    fork: (label) => createRng(splitmix32((seed ^ Math.imul(label + 1, 0x27d4eb2d)) >>> 0)()),
  };
  return rng;
}
