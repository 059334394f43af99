/**
 * Drift: has a camera's picture of the world quietly changed? A moved or dirty camera, a new light,
 * a model update or a codec change shows as a shift in detection confidence or in people per hour
 * long before anyone reads the KPIs. Each day is summarised per camera and compared with the same
 * camera's last days through robust statistics (median and MAD), so one odd day in the baseline
 * (a holiday, an outage) does not hide or raise a warning.
 *
 * Pure: the caller accumulates a confidence histogram through the day (fixed memory, 100 bins),
 * keeps the daily summaries (e.g. in SQLite) and hands them in.
 */
import { MisuseError } from '../core/errors.js';

export const CONFIDENCE_BINS = 100;

/** Detection confidences of one camera-day in 100 bins over [0, 1]. */
export interface ConfidenceHistogram {
  readonly counts: readonly number[];
  readonly n: number;
  readonly sum: number;
}

export const EMPTY_HISTOGRAM: ConfidenceHistogram = Object.freeze({ counts: Object.freeze(new Array<number>(CONFIDENCE_BINS).fill(0)), n: 0, sum: 0 });

export function addConfidences(h: ConfidenceHistogram, scores: ArrayLike<number>): ConfidenceHistogram {
  if (scores.length === 0) return h;
  const counts = h.counts.slice();
  let sum = h.sum;
  let n = h.n;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) continue;
    const c = Math.min(1, Math.max(0, s));
    counts[Math.min(CONFIDENCE_BINS - 1, Math.floor(c * CONFIDENCE_BINS))]! += 1;
    sum += c;
    n++;
  }
  return { counts, n, sum };
}

/** Quantile q in [0, 1] read from the histogram, interpolated inside the bin; null when empty. */
export function histogramQuantile(h: ConfidenceHistogram, q: number): number | null {
  if (h.n === 0) return null;
  const target = Math.min(1, Math.max(0, q)) * h.n;
  let acc = 0;
  for (let b = 0; b < CONFIDENCE_BINS; b++) {
    const c = h.counts[b]!;
    if (c > 0 && acc + c >= target) return (b + (target - acc) / c) / CONFIDENCE_BINS;
    acc += c;
  }
  return 1;
}

export interface DailySummary {
  readonly cameraId: string;
  /** Store-local YYYY-MM-DD. */
  readonly date: string;
  readonly detections: number;
  readonly mean_confidence: number | null;
  readonly p10_confidence: number | null;
  readonly p50_confidence: number | null;
  readonly p90_confidence: number | null;
  /** People seen per hour the camera was up during opening hours; null when it never was. */
  readonly people_per_hour: number | null;
}

export const DRIFT_METRICS = ['mean_confidence', 'p10_confidence', 'p50_confidence', 'people_per_hour'] as const;
export type DriftMetric = (typeof DRIFT_METRICS)[number];

const r4 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e4) / 1e4);

/**
 * @param people distinct people (tracks or visits) the camera saw that day
 * @param upHours hours the camera was up during opening hours (coverage x opening hours)
 */
export function summarizeDay(cameraId: string, date: string, hist: ConfidenceHistogram, people: number, upHours: number): DailySummary {
  return {
    cameraId,
    date,
    detections: hist.n,
    mean_confidence: r4(hist.n > 0 ? hist.sum / hist.n : null),
    p10_confidence: r4(histogramQuantile(hist, 0.1)),
    p50_confidence: r4(histogramQuantile(hist, 0.5)),
    p90_confidence: r4(histogramQuantile(hist, 0.9)),
    people_per_hour: upHours > 0 ? r4(people / upHours) : null,
  };
}

export interface DriftThresholds {
  /** Days before the one judged that form its baseline. */
  readonly baseline_days: number;
  /** Fewer usable baseline days than this: no judgement (a new camera). */
  readonly min_baseline_days: number;
  /** |robust z| at or above this is a marked shift. */
  readonly z_threshold: number;
  /** Confidence metrics of a day with fewer detections are not judged (too noisy). */
  readonly min_detections: number;
  /** Smallest spread assumed for confidence metrics, so a very steady baseline does not flag noise. */
  readonly confidence_min_scale: number;
  /** Smallest spread assumed for people per hour, as a fraction of its baseline median. */
  readonly people_min_relative_scale: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = Object.freeze({
  baseline_days: 7,
  min_baseline_days: 3,
  z_threshold: 4,
  min_detections: 50,
  confidence_min_scale: 0.02,
  people_min_relative_scale: 0.1,
});

export interface DriftWarning {
  readonly cameraId: string;
  readonly date: string;
  readonly metric: DriftMetric;
  readonly value: number;
  readonly baselineMedian: number;
  /** Robust z-score: (value - median) / (1.4826 * MAD), with the floors above. */
  readonly z: number;
  readonly baselineDays: number;
  readonly message: string;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new MisuseError('FS_BAD_ARGUMENT', 'median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const LABEL: Record<DriftMetric, string> = {
  mean_confidence: 'mean detection confidence',
  p10_confidence: '10th-percentile detection confidence',
  p50_confidence: 'median detection confidence',
  people_per_hour: 'people per hour',
};

/**
 * Compare `today` with the same camera's previous `baseline_days` summaries (any order; other
 * cameras and later dates are ignored). Returns one warning per metric that shifted markedly.
 */
export function checkDrift(today: DailySummary, history: readonly DailySummary[], t: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): DriftWarning[] {
  const past = history
    .filter((s) => s.cameraId === today.cameraId && s.date < today.date)
    .sort((a, b) => (a.date < b.date ? 1 : -1))
    .slice(0, t.baseline_days);
  const out: DriftWarning[] = [];
  for (const metric of DRIFT_METRICS) {
    const isConf = metric !== 'people_per_hour';
    const usable = (s: DailySummary): boolean => s[metric] !== null && (!isConf || s.detections >= t.min_detections);
    if (!usable(today)) continue;
    const base = past.filter(usable).map((s) => s[metric]!);
    if (base.length < t.min_baseline_days) continue;
    const med = median(base);
    const mad = median(base.map((x) => Math.abs(x - med)));
    const floor = isConf ? t.confidence_min_scale : Math.max(t.people_min_relative_scale * Math.abs(med), 1e-9);
    const scale = Math.max(1.4826 * mad, floor);
    const value = today[metric]!;
    const z = (value - med) / scale;
    if (Math.abs(z) < t.z_threshold) continue;
    const dir = z < 0 ? 'below' : 'above';
    out.push({
      cameraId: today.cameraId,
      date: today.date,
      metric,
      value,
      baselineMedian: med,
      z: Math.round(z * 100) / 100,
      baselineDays: base.length,
      message: `camera "${today.cameraId}" ${today.date}: ${LABEL[metric]} ${value.toFixed(3)} is ${dir} its ${base.length}-day baseline ${med.toFixed(3)} (robust z ${z.toFixed(1)})`,
    });
  }
  return out;
}
