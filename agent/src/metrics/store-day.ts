/**
 * The whole analytics chain for one store day, on plain data: tracks -> observations -> persons ->
 * roles -> visits, consultations -> receipts matched -> KPIs. The CLI and the simulator bench both
 * call this; nothing here reads files.
 */
import type { AnalyticsConfig } from '../config/sections/analytics.js';
import type { CameraConfig } from '../config/schema.js';
import type { MotRow } from '../io/mot.js';
import type { Receipt } from '../sales/receipts.js';
import type { Shift } from '../sales/schedule.js';
import { matchReceipts, type ReceiptMatch } from '../sales/match.js';
import { findInteractions, type Interaction } from '../scene/consultations.js';
import { fitHomography } from '../scene/homography.js';
import { toObservations, type CameraScene, type CameraTimebase, type Observation } from '../scene/observations.js';
import { assignRoles, personFeatures, type RoleAssignment } from '../scene/roles.js';
import { ENCOUNTER_M, resolveSwitches, type SwitchTuning } from '../scene/switches.js';
import {
  fragmentsOf,
  gatingCost,
  idCounter,
  longestDowntimeS,
  makePerson,
  rejoinAcrossDowntime,
  stitchFragments,
  unambiguousAcrossDowntime,
  withAppearance,
  type Person,
} from '../scene/stitch.js';
import { computeDayKpis, type DayReport } from './kpis.js';

export interface CameraTracks {
  readonly camera: string;
  readonly timebase: CameraTimebase;
  readonly rows: readonly MotRow[];
  /** Track id -> appearance embedding (the optional `<camera>.emb.json`); absent = no appearance. */
  readonly embeddings?: ReadonlyMap<number, Float32Array>;
  /** Track id -> mean torso colour (the sidecar's optional `colors`); used only with a uniform hint. */
  readonly colors?: ReadonlyMap<number, readonly [number, number, number]>;
  /** When the camera was down, [start, end) epoch milliseconds (stitching does not count it as absence); absent = none known. */
  readonly downtime?: ReadonlyArray<readonly [number, number]>;
}

export interface StoreDayInput {
  readonly storeId: string;
  readonly timeZone: string;
  readonly date: string;
  readonly cameras: readonly CameraScene[];
  readonly analytics: AnalyticsConfig;
  readonly tracks: readonly CameraTracks[];
  readonly receipts: readonly Receipt[];
  readonly shifts: readonly Shift[];
  /** Overrides of the switch resolver's tunables (the bench's cross-validation; defaults otherwise). */
  readonly switchTuning?: SwitchTuning;
}

/** One consultation as the store keeps it (times are epoch milliseconds, video time). */
export interface ConsultationRow {
  readonly store: string;
  readonly camera: string;
  readonly sellerId: string;
  readonly visitId: number;
  readonly start: number;
  readonly end: number;
  readonly durationS: number;
  readonly outcome: 'successful' | 'unsuccessful';
}

export interface StoreDayResult {
  readonly report: DayReport;
  /** Consultations with their outcome (the visit ended with a receipt or not). */
  readonly consultations: readonly ConsultationRow[];
  readonly roles: readonly RoleAssignment[];
  readonly visits: readonly Person[];
  readonly interactions: readonly Interaction[];
  readonly matches: readonly ReceiptMatch[];
  /** Customer-like persons too short to be visits (noise). */
  readonly discarded: number;
}

export function cameraSceneFromConfig(cam: CameraConfig): CameraScene {
  return {
    id: cam.id,
    zones: cam.zones.map((z) => ({ name: z.name, kind: z.kind, polygon: z.polygon })),
    floor: cam.floor ? fitHomography(cam.floor.image, cam.floor.world).H : null,
    ...(cam.hfov_deg !== undefined ? { hfovDeg: cam.hfov_deg } : {}),
  };
}

export function analyzeStoreDay(input: StoreDayInput): StoreDayResult {
  const a = input.analytics;
  const scenes = new Map(input.cameras.map((c) => [c.id, c]));
  const obs: Observation[] = [];
  let sampleDtMs = 1000;
  for (const tr of input.tracks) {
    const scene = scenes.get(tr.camera) ?? { id: tr.camera, zones: [], floor: null };
    for (const o of toObservations(tr.rows, tr.timebase, scene)) obs.push(o);
    sampleDtMs = Math.max(sampleDtMs, 1000 / tr.timebase.fps);
  }
  const st = a.stitching;
  const downtime = new Map(input.tracks.flatMap((t) => (t.downtime && t.downtime.length > 0 ? [[t.camera, t.downtime] as const] : [])));
  const stitchOpts = {
    maxGapS: st.max_gap_seconds,
    maxSpeedMps: st.max_speed_mps,
    baseRadiusM: st.base_radius_m,
    exitGapS: st.exit_gap_seconds,
    personHeightM: a.person_height_m,
    downtime,
  };
  // Links are looked for up to max_gap_seconds of time seen, so the search reaches over the longest outage too.
  const longestDownS = longestDowntimeS(downtime);
  const appearance = new Map(input.tracks.flatMap((t) => (t.embeddings ? [[t.camera, t.embeddings] as const] : [])));
  const colors = new Map(input.tracks.flatMap((t) => (t.colors ? [[t.camera, t.colors] as const] : [])));
  const fragments = fragmentsOf(obs, appearance, colors);
  const cost = withAppearance(unambiguousAcrossDowntime(gatingCost(stitchOpts), fragments, stitchOpts), {
    weight: st.appearance_weight,
    maxCosineDistance: st.max_cosine_distance,
  });
  const chained = stitchFragments(fragments, cost, st.max_gap_seconds + longestDownS, idCounter());
  const streamStart = Math.min(...input.tracks.map((t) => t.timebase.startMs));
  const streamEnd = obs.reduce((m, o) => Math.max(m, o.t), -Infinity);
  const persons = resolveSwitches(chained, {
    encounterM: ENCOUNTER_M,
    personHeightM: a.person_height_m,
    sampleDtMs,
    streamStart,
    streamEnd,
    ...input.switchTuning,
  });
  const roles = assignRoles(persons, input.shifts, {
    method: a.roles.method,
    staffDwellMinutes: a.roles.staff_dwell_minutes,
    staffZoneSeconds: a.roles.staff_zone_seconds,
    minConfidence: a.roles.min_confidence,
    staffGapS: st.staff_gap_seconds,
    minTrackSamples: st.min_track_samples,
    maxSpeedMps: st.max_speed_mps,
    baseRadiusM: st.base_radius_m,
    personHeightM: a.person_height_m,
    sellerZones: new Map(a.sellers.map((s) => [s.seller_id, s.zones])),
    appearanceWeight: a.roles.appearance_weight,
    ...(a.roles.uniform ? { uniform: { color: hexColor(a.roles.uniform.color), tolerance: a.roles.uniform.tolerance, weight: a.roles.uniform.weight } } : {}),
  });
  const customers = rejoinCustomers(
    roles.filter((r) => r.role === 'customer'),
    stitchOpts,
  );
  const visits = customers
    .filter((r) => r.features.seenS >= st.min_visit_seconds && r.person.fragments.some((f) => f.obs.length >= st.min_track_samples))
    .map((r) => r.person);
  const staff = roles.filter((r) => r.role === 'staff').map((r) => ({ person: r.person, sellerId: r.sellerId! }));
  const c = a.consultation;
  const interactions = findInteractions(
    staff,
    visits,
    { distanceM: c.distance_m, minSeconds: c.min_seconds, maxGapSeconds: c.max_gap_seconds, tillCounts: c.till_counts, personHeightM: a.person_height_m },
    sampleDtMs,
  );
  const matches = matchReceipts(input.receipts, visits, { clockOffsetS: a.receipts.clock_offset_seconds, toleranceS: a.receipts.tolerance_seconds });
  const purchases = new Map<string, number>();
  for (const m of matches) if (m.visitId !== null) purchases.set(String(m.visitId), (purchases.get(String(m.visitId)) ?? 0) + m.receipt.total);
  const floorS = new Map<string, number>();
  for (const s of staff) floorS.set(s.sellerId, (floorS.get(s.sellerId) ?? 0) + personFeatures(s.person.obs).seenS);
  const checkouts = new Map<string, number>();
  for (const i of interactions) if (i.kind === 'checkout') checkouts.set(i.sellerId, (checkouts.get(i.sellerId) ?? 0) + 1);
  const report = computeDayKpis({
    storeId: input.storeId,
    date: input.date,
    timeZone: input.timeZone,
    visits: visits.map((v) => ({ visitId: String(v.id), start: v.start, end: v.end })),
    consultations: interactions
      .filter((i) => i.kind === 'consultation')
      .map((i) => ({ sellerId: i.sellerId, visitId: String(i.visitId), start: i.start, end: i.end, durationS: i.durationS })),
    purchases,
    shifts: input.shifts,
    sellerFloorSeconds: floorS,
    checkouts,
    receipts: matches.map((m) => ({
      receiptId: m.receipt.receiptId,
      t: m.receipt.t,
      total: m.receipt.total,
      currency: m.receipt.currency,
      sellerCode: m.receipt.sellerCode,
      visitId: m.visitId === null ? null : String(m.visitId),
    })),
  });
  const consultations = interactions
    .filter((i) => i.kind === 'consultation')
    .map(
      (i): ConsultationRow => ({
        store: input.storeId,
        camera: i.camera,
        sellerId: i.sellerId,
        visitId: i.visitId,
        start: i.start,
        end: i.end,
        durationS: i.durationS,
        outcome: purchases.has(String(i.visitId)) ? 'successful' : 'unsuccessful',
      }),
    );
  const rolesOut = [...roles.filter((r) => r.role === 'staff'), ...customers].sort((x, y) => x.person.start - y.person.start || x.person.id - y.person.id);
  return { report, consultations, roles: rolesOut, visits, interactions, matches, discarded: customers.length - visits.length };
}

/** Customers split by an outage joined again once the seller beside them is known (stitch.ts rejoinAcrossDowntime). */
function rejoinCustomers(customers: readonly RoleAssignment[], o: Parameters<typeof rejoinAcrossDowntime>[1]): RoleAssignment[] {
  const byPerson = new Map(customers.map((r) => [r.person.id, r]));
  return rejoinAcrossDowntime(
    customers.map((r) => r.person),
    o,
  ).map((group) => {
    if (group.length === 1) return byPerson.get(group[0]!.id)!;
    const person = makePerson(
      group[0]!.id,
      group.flatMap((p) => p.fragments),
    );
    const confidence = Math.min(...group.map((p) => byPerson.get(p.id)!.confidence));
    return { person, role: 'customer' as const, confidence, sellerId: null, features: personFeatures(person.obs) };
  });
}

/** `#rrggbb` (validated by the config schema) as RGB. */
function hexColor(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
