/**
 * One simulated store day end to end: layout, plan, observed track streams, receipts, schedule,
 * the store config an installer would write, and the truth (events and KPIs) to score against.
 */
import type { Config } from '../config/schema.js';
import { validateConfig } from '../config/load.js';
import { csvField } from '../sales/csv.js';
import { isoWithOffset } from '../core/local-time.js';
import type { Receipt } from '../sales/receipts.js';
import type { Shift } from '../sales/schedule.js';
import { computeDayKpis, type DayReport } from '../metrics/kpis.js';
import { planDay, type DayPlan } from './day.js';
import { floorPointPairs, makeLayout, zonePixels, zonesForCamera, type Layout } from './layout.js';
import { simulateAppearance } from './appearance.js';
import { hexToRgb, simulateColors } from './colors.js';
import { observeDay, type CameraStream } from './observe.js';
import { createRng } from './prng.js';
import type { Scenario } from './scenario.js';

export interface SimulatedDay {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly layout: Layout;
  readonly plan: DayPlan;
  readonly streams: readonly CameraStream[];
  /** The store config object (written as store.yaml) and its validated form. */
  readonly storeConfigRaw: Record<string, unknown>;
  readonly config: Readonly<Config>;
  readonly receipts: readonly Receipt[];
  readonly shifts: readonly Shift[];
  readonly receiptsCsv: string;
  readonly scheduleCsv: string;
  readonly truth: DayReport;
}

export function simulateDay(scenario: Scenario, seed: number): SimulatedDay {
  const rng = createRng(seed);
  const layout = makeLayout(scenario.floor.width_m, scenario.floor.depth_m, scenario.cameras.count, scenario.cameras.width, scenario.cameras.height);
  const plan = planDay(scenario, layout, rng.fork(1));
  const observed = observeDay(plan, layout, { fps: scenario.video.fps, stride: scenario.video.stride, noise: scenario.noise }, rng.fork(2));
  // A stream of its own, so turning appearance on leaves the tracks, receipts and truth unchanged.
  const looks = scenario.appearance.enabled ? simulateAppearance(observed, scenario.appearance, rng.fork(3)) : null;
  const withLooks = looks ? observed.map((s) => ({ ...s, embeddings: looks.get(s.camera)! })) : observed;
  // Colours too: their own stream, so turning them on changes nothing else.
  const worn = scenario.colors.enabled
    ? simulateColors(observed, { uniform: hexToRgb(scenario.colors.uniform), noise: scenario.colors.noise }, rng.fork(4))
    : null;
  const streams = worn ? withLooks.map((s) => ({ ...s, colors: worn.get(s.camera)! })) : withLooks;
  const tz = scenario.store.timezone;
  const ms = (s: number): number => plan.t0 + Math.round(s * 1000);
  const offsetMs = scenario.pos_clock_offset_seconds * 1000;

  const receipts: Receipt[] = plan.receipts.map((r) => ({
    receiptId: r.receiptId,
    t: ms(r.t) + offsetMs,
    total: r.total,
    currency: scenario.store.currency,
    register: 'till-1',
    sellerCode: r.sellerId,
  }));
  const shifts: Shift[] = plan.shifts.map((s) => ({ date: scenario.date, sellerId: s.sellerId, name: s.name, start: ms(s.start), end: ms(s.end) }));
  const receiptsCsv =
    'receipt_id,timestamp,total,currency,register,seller_code\n' +
    receipts
      .map((r) =>
        [r.receiptId, isoWithOffset(Math.floor(r.t / 1000) * 1000, tz), r.total.toFixed(2), r.currency, r.register, r.sellerCode ?? ''].map(csvField).join(','),
      )
      .join('\n') +
    '\n';
  const scheduleCsv =
    'date,seller_id,name,start,end\n' +
    plan.shifts.map((s) => [scenario.date, s.sellerId, s.name, s.startLocal, s.endLocal].map(csvField).join(',')).join('\n') +
    '\n';

  const storeConfigRaw: Record<string, unknown> = {
    store: { id: scenario.store.id, timezone: tz },
    cameras: layout.cameras.map((cam) => ({
      id: cam.id,
      url: `tracks/${cam.id}.txt`,
      zones: zonesForCamera(cam, layout.zones).map((z) => ({ name: z.name, kind: z.kind, polygon: zonePixels(cam, z) })),
      ...(scenario.cameras.homography ? { floor: floorPointPairs(cam, layout.depth) } : { hfov_deg: cam.hfovDeg }),
    })),
    sampling: { stride: scenario.video.stride },
    analytics: {
      receipts: { clock_offset_seconds: scenario.pos_clock_offset_seconds },
      ...(scenario.colors.enabled ? { roles: { uniform: { color: scenario.colors.uniform } } } : {}),
      sellers: scenario.sellers.map((s, i) => ({
        seller_id: s.id,
        zones:
          s.post === 'counter'
            ? ['counter-staff', 'till']
            : [`floor-${(scenario.sellers.slice(0, i).filter((x) => x.post === 'floor').length % layout.cameras.length) + 1}`],
      })),
    },
  };
  const config = validateConfig(storeConfigRaw, 'simulated store.yaml');

  const purchases = new Map<string, number>();
  for (const r of plan.receipts) purchases.set(r.visitId, (purchases.get(r.visitId) ?? 0) + r.total);
  const checkouts = new Map<string, number>();
  for (const i of plan.interactions) if (i.kind === 'checkout') checkouts.set(i.sellerId, (checkouts.get(i.sellerId) ?? 0) + 1);
  const truth = computeDayKpis({
    storeId: scenario.store.id,
    date: scenario.date,
    timeZone: tz,
    visits: plan.visits.map((v) => ({ visitId: v.visitId, start: ms(v.start), end: ms(v.end) })),
    consultations: plan.interactions
      .filter((i) => i.kind === 'consultation')
      .map((i) => ({ sellerId: i.sellerId, visitId: i.visitId, start: ms(i.start), end: ms(i.end), durationS: i.end - i.start })),
    purchases,
    shifts,
    sellerFloorSeconds: new Map(plan.shifts.map((s) => [s.sellerId, s.end - s.start])),
    checkouts,
    receipts: receipts.map((r, i) => ({
      receiptId: r.receiptId,
      t: r.t,
      total: r.total,
      currency: r.currency,
      sellerCode: r.sellerCode,
      visitId: plan.receipts[i]!.visitId,
    })),
  });
  return { scenario, seed, layout, plan, streams, storeConfigRaw, config, receipts, shifts, receiptsCsv, scheduleCsv, truth };
}

/** truth.json: KPIs, events (video-time ISO) and which true person each track id mostly follows. */
export function truthDocument(d: SimulatedDay): Record<string, unknown> {
  const iso = (s: number): string => new Date(d.plan.t0 + Math.round(s * 1000)).toISOString();
  return {
    seed: d.seed,
    date: d.scenario.date,
    kpis: d.truth,
    visits: d.plan.visits.map((v) => ({ visit_id: v.visitId, start: iso(v.start), end: iso(v.end) })),
    interactions: d.plan.interactions.map((i) => ({
      kind: i.kind,
      seller_id: i.sellerId,
      visit_id: i.visitId,
      start: iso(i.start),
      end: iso(i.end),
      duration_s: Math.round((i.end - i.start) * 10) / 10,
    })),
    receipts: d.plan.receipts.map((r) => ({ receipt_id: r.receiptId, visit_id: r.visitId, total: r.total, seller_id: r.sellerId })),
    tracks: Object.fromEntries(d.streams.map((s) => [s.camera, Object.fromEntries(s.labels)])),
    outages: Object.fromEntries(d.streams.map((s) => [s.camera, s.outages.map(([a, b]) => [iso(a), iso(b)])])),
  };
}
