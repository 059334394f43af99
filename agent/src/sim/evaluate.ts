/**
 * Scoring analytics against simulator truth: relative errors of the KPIs, and the staff/customer
 * confusion matrix (each analysed person labelled by the true person most of its sightings follow,
 * sighting by sighting).
 */
import type { DayReport, Kpis } from '../metrics/kpis.js';
import type { StoreDayResult } from '../metrics/store-day.js';
import type { CameraStream } from './observe.js';

export const KEY_METRICS = [
  'interaction_ratio',
  'avg_purchase_with_consultation',
  'avg_purchase_without_consultation',
  'successful_consultations',
  'unsuccessful_consultations',
] as const;
export type KeyMetric = (typeof KEY_METRICS)[number];

/** |estimate - truth| / |truth|; null when the truth is zero or missing (undefined ratio). */
export function relativeError(est: number | null, truth: number | null): number | null {
  if (truth === null || truth === 0) return null;
  return Math.abs((est ?? 0) - truth) / Math.abs(truth);
}

export function keyMetricErrors(est: DayReport, truth: DayReport): Record<KeyMetric, number | null> {
  const pick = (r: Kpis, k: KeyMetric): number | null => r[k];
  return Object.fromEntries(KEY_METRICS.map((k) => [k, relativeError(pick(est.store, k), pick(truth.store, k))])) as Record<KeyMetric, number | null>;
}

export interface Confusion {
  /** rows: true role; columns: predicted. Counted in persons and in observed seconds. */
  readonly persons: Record<'seller' | 'customer' | 'false', Record<'staff' | 'customer' | 'dropped', number>>;
  readonly seconds: Record<'seller' | 'customer' | 'false', Record<'staff' | 'customer' | 'dropped', number>>;
}

/**
 * The true person of one observation: the label of the row it came from (a track follows another
 * person after an id switch); the track's majority label for streams without row labels.
 */
export function rowLabelOf(o: { readonly camera: string; readonly track: number; readonly t: number }, stream: CameraStream | undefined): string {
  if (!stream) return 'false';
  const frame = Math.round(((o.t - stream.timebase.startMs) * stream.timebase.fps) / 1000) + 1;
  return stream.rowLabels.get(`${frame}:${o.track}`) ?? stream.labels.get(o.track) ?? 'false';
}

/** The true person most of these observations follow (row by row: rowLabelOf). */
export function trueLabelOf(
  obs: ReadonlyArray<{ readonly camera: string; readonly track: number; readonly t: number }>,
  streams: readonly CameraStream[],
): string {
  const byCamera = new Map(streams.map((s) => [s.camera, s]));
  const c = new Map<string, number>();
  for (const o of obs) {
    const l = rowLabelOf(o, byCamera.get(o.camera));
    c.set(l, (c.get(l) ?? 0) + 1);
  }
  let best = 'false';
  let n = -1;
  for (const [l, k] of c) if (k > n) [best, n] = [l, k];
  return best;
}

export function confusion(result: StoreDayResult, streams: readonly CameraStream[]): Confusion {
  const zero = (): Record<'staff' | 'customer' | 'dropped', number> => ({ staff: 0, customer: 0, dropped: 0 });
  const persons = { seller: zero(), customer: zero(), false: zero() };
  const seconds = { seller: zero(), customer: zero(), false: zero() };
  const visitIds = new Set(result.visits.map((v) => v.id));
  for (const r of result.roles) {
    const label = trueLabelOf(r.person.obs, streams);
    const truth = label.startsWith('seller:') ? 'seller' : label.startsWith('customer:') ? 'customer' : 'false';
    const pred = r.role === 'staff' ? 'staff' : visitIds.has(r.person.id) ? 'customer' : 'dropped';
    persons[truth][pred]++;
    seconds[truth][pred] += r.features.seenS;
  }
  return { persons, seconds };
}
