import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../agent/src/core/backoff.js';

describe('backoff', () => {
  const policy = { minMs: 1000, maxMs: 60_000 };
  const cases: Array<[number, number, number]> = [
    // attempt, random, expected delay
    [0, 1, 1000],
    [1, 1, 2000],
    [3, 1, 8000],
    [3, 0.5, 4000],
    [10, 1, 60_000],
    [10, 0.25, 15_000],
    [2, 0, 1000], // never below min
    [1000, 1, 60_000], // no overflow
  ];
  it.each(cases)('attempt %i, random %f -> %i ms', (attempt, r, want) => {
    expect(backoffDelayMs(attempt, policy, () => r)).toBe(want);
  });
});
