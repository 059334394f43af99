import { describe, expect, it } from 'vitest';
import { EMPTY_HISTOGRAM, addConfidences, checkDrift, histogramQuantile, median, summarizeDay, type DailySummary } from '../../agent/src/health/drift.js';

/** Deterministic pseudo-random numbers (LCG), so the tables below are reproducible. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const day = (i: number): string => new Date(Date.UTC(2025, 2, 1 + i)).toISOString().slice(0, 10);

function summary(cameraId: string, date: string, over: Partial<DailySummary> = {}): DailySummary {
  return {
    cameraId,
    date,
    detections: 5000,
    mean_confidence: 0.62,
    p10_confidence: 0.35,
    p50_confidence: 0.64,
    p90_confidence: 0.85,
    people_per_hour: 40,
    ...over,
  };
}

describe('confidence histogram', () => {
  it('quantiles agree with exact ones within a bin', () => {
    const r = lcg(7);
    const xs = Array.from({ length: 20_000 }, () => Math.min(1, Math.max(0, 0.6 + 0.15 * (r() + r() + r() - 1.5))));
    const h = addConfidences(EMPTY_HISTOGRAM, Float32Array.from(xs));
    const sorted = [...xs].sort((a, b) => a - b);
    for (const q of [0.1, 0.5, 0.9]) expect(Math.abs(histogramQuantile(h, q)! - sorted[Math.floor(q * (xs.length - 1))]!)).toBeLessThan(0.01);
    expect(h.sum / h.n).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 5);
  });

  it('empty is null; NaN is skipped; out-of-range is clamped; the input histogram is not changed', () => {
    expect(histogramQuantile(EMPTY_HISTOGRAM, 0.5)).toBeNull();
    const h = addConfidences(EMPTY_HISTOGRAM, [NaN, 1.5, -1, 0.5]);
    expect(h.n).toBe(3);
    expect(h.counts[99]).toBe(1);
    expect(h.counts[0]).toBe(1);
    expect(EMPTY_HISTOGRAM.n).toBe(0);
  });

  it('summarizes a day; people per hour needs hours up', () => {
    const h = addConfidences(EMPTY_HISTOGRAM, [0.5, 0.5, 0.9, 0.9]);
    expect(summarizeDay('c1', '2025-03-01', h, 44, 11)).toMatchObject({ detections: 4, mean_confidence: 0.7, people_per_hour: 4 });
    expect(summarizeDay('c1', '2025-03-01', EMPTY_HISTOGRAM, 0, 0)).toMatchObject({ mean_confidence: null, p50_confidence: null, people_per_hour: null });
  });
});

describe('drift against a rolling median/MAD baseline', () => {
  const r = lcg(3);
  // Seven ordinary days with natural wobble.
  const history = Array.from({ length: 7 }, (_, i) =>
    summary('c1', day(i), {
      mean_confidence: 0.62 + (r() - 0.5) * 0.02,
      p50_confidence: 0.64 + (r() - 0.5) * 0.02,
      p10_confidence: 0.35 + (r() - 0.5) * 0.02,
      people_per_hour: 40 + (r() - 0.5) * 8,
    }),
  );

  it.each<[string, Partial<DailySummary>, string[]]>([
    ['an ordinary day', { mean_confidence: 0.625, people_per_hour: 41 }, []],
    [
      'confidence collapsed (dirty lens)',
      { mean_confidence: 0.41, p50_confidence: 0.42, p10_confidence: 0.2 },
      ['mean_confidence', 'p10_confidence', 'p50_confidence'],
    ],
    ['people per hour halved (camera turned away)', { people_per_hour: 19 }, ['people_per_hour']],
    ['people per hour doubled', { people_per_hour: 85 }, ['people_per_hour']],
    ['a drop too small to call', { mean_confidence: 0.6 }, []],
  ])('%s', (_n, today, metrics) => {
    const w = checkDrift(summary('c1', day(7), today), history);
    expect(w.map((x) => x.metric)).toEqual(metrics);
    for (const x of w) {
      expect(x.cameraId).toBe('c1');
      expect(x.baselineDays).toBe(7);
      expect(x.message).toMatch(/^camera "c1" 2025-03-08: /);
    }
  });

  it('the warning says which way and how far', () => {
    const [w] = checkDrift(summary('c1', day(7), { people_per_hour: 19 }), history);
    expect(w!.z).toBeLessThan(-4);
    expect(w!.message).toMatch(/people per hour 19\.000 is below its 7-day baseline 4\d\.\d{3} \(robust z -\d+\.\d\)/);
  });

  it('one odd day in the baseline neither raises nor hides a warning', () => {
    const withHoliday = [...history.slice(0, 6), summary('c1', day(6), { people_per_hour: 200, mean_confidence: 0.3 })];
    expect(checkDrift(summary('c1', day(7)), withHoliday)).toEqual([]);
    expect(checkDrift(summary('c1', day(7), { people_per_hour: 19 }), withHoliday).map((x) => x.metric)).toEqual(['people_per_hour']);
  });

  it('uses only this camera, only earlier days, at most baseline_days of them', () => {
    const others = history.map((s) => ({ ...s, cameraId: 'c2', people_per_hour: 5 }));
    const later = summary('c1', day(20), { people_per_hour: 19 });
    expect(checkDrift(summary('c1', day(7), { people_per_hour: 19 }), [...others, later, ...history])[0]!.baselineDays).toBe(7);
    const long = Array.from({ length: 30 }, (_, i) => summary('c1', day(i)));
    expect(checkDrift(summary('c1', day(30), { people_per_hour: 19 }), long)[0]!.baselineDays).toBe(7);
  });

  it('no judgement without enough baseline days or detections', () => {
    expect(checkDrift(summary('c1', day(7), { people_per_hour: 5 }), history.slice(0, 2))).toEqual([]);
    expect(checkDrift(summary('c1', day(7), { mean_confidence: 0.2, p10_confidence: 0.1, p50_confidence: 0.2, detections: 10 }), history)).toEqual([]);
  });

  it('a perfectly steady baseline still needs a real shift (scale floors)', () => {
    const flat = Array.from({ length: 7 }, (_, i) => summary('c1', day(i)));
    expect(checkDrift(summary('c1', day(7), { mean_confidence: 0.63, people_per_hour: 42 }), flat)).toEqual([]);
    expect(checkDrift(summary('c1', day(7), { mean_confidence: 0.5 }), flat).map((x) => x.metric)).toEqual(['mean_confidence']);
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty/);
  });
});
