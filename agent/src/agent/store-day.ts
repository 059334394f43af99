/**
 * One store day from the local store: the tracks and positions the cameras recorded, the receipts
 * and shifts, fed to the analytics (metrics/store-day.ts `analyzeStoreDay`). Used by the nightly
 * KPI roll-up (which saves the results, queuing them for ClickHouse) and by the local API.
 *
 * Track rows become MOT rows on a per-camera time grid: the camera's sampling rate is estimated from
 * the stored positions (median step within a track), and each position's frame number is its time
 * on that grid from the start of the day.
 */
import type Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import type { MotRow } from '../io/mot.js';
import { analyzeStoreDay, cameraSceneFromConfig, type CameraTracks, type StoreDayResult } from '../metrics/store-day.js';
import type { Receipt } from '../sales/receipts.js';
import type { Shift } from '../sales/schedule.js';
import { localDate, localDayBounds } from '../core/local-time.js';
import { healthSamplesBetween, healthStatesBefore, positionsBetween, receiptsBetween, type StoredPosition } from '../store/detail.js';
import { downtimeInWindow } from './uptime.js';
import { appearanceOfDay } from '../store/appearance.js';
import { colorSumsOfDay } from '../store/torso.js';
import { meanColor, type Rgb } from '../pipeline/torso-color.js';
import { cameraUptimeOfDay, saveDayRecords, type ConsultationInput, type SaveReport } from '../store/aggregates.js';
import { chainRecordsOf } from '../metrics/chain-records.js';
import { saveDayView, sellerNames } from '../store/day-reports.js';
import { dayViewOf } from '../metrics/day-view.js';
import { shiftRowsBetween } from '../store/sales.js';

/** Sampled frames per second of one camera, from the median step between a track's positions. */
export function estimateFps(rows: readonly { readonly trackId: number; readonly tMs: number }[]): number {
  const last = new Map<number, number>();
  const steps: number[] = [];
  for (const r of rows) {
    const prev = last.get(r.trackId);
    if (prev !== undefined && r.tMs > prev) steps.push(r.tMs - prev);
    last.set(r.trackId, r.tMs);
  }
  if (steps.length === 0) return 1;
  steps.sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)]!;
  return Math.min(30, Math.max(0.05, 1000 / median));
}

/**
 * The day's tracks per camera, with their appearance where the store has it (store/appearance.ts:
 * one model's space for the day) and their mean torso colours (store/torso.ts), keyed by the same
 * track ids as the rows: what `report` reads from `<camera>.txt` and `<camera>.emb.json`. Tracks stored without an embedding (appearance off,
 * imported MOT files, rows from before schema version 9) have none, as in a folder without sidecar.
 * A camera's 'down' stretches from its stored health (live cameras, the agent's own stops) are its
 * `downtime`, what `<camera>.json` gives `report`: the stitcher does not take them for absence.
 */
export function tracksOfDay(db: Database.Database, fromMs: number, toMs: number): CameraTracks[] {
  const rows = positionsBetween(db, fromMs, toMs);
  const looks = appearanceOfDay(db, fromMs, toMs).byTrack;
  const torsos = colorSumsOfDay(db, fromMs, toMs);
  const down = downtimeInWindow(healthSamplesBetween(db, fromMs, toMs), healthStatesBefore(db, fromMs), fromMs, toMs);
  const byCam = new Map<string, StoredPosition[]>();
  for (const r of rows) {
    const list = byCam.get(r.cameraId) ?? [];
    list.push(r);
    byCam.set(r.cameraId, list);
  }
  const out: CameraTracks[] = [];
  for (const [camera, list] of byCam) {
    const fps = estimateFps(list);
    const size = frameSizeOf(list);
    const seen = new Set<string>();
    const mot: MotRow[] = [];
    for (const r of list) {
      const frame = Math.round(((r.tMs - fromMs) * fps) / 1000) + 1;
      const key = `${r.trackId}:${frame}`;
      if (seen.has(key)) continue; // two samples rounding to one grid slot: keep the first
      seen.add(key);
      // A track decoded at another resolution of the same view (a stream switched that day) is
      // scaled to the day's picture; rows of unknown size (older schema) are taken as they are.
      const sx = r.frameWidth && size.width ? size.width / r.frameWidth : 1;
      const sy = r.frameHeight && size.height ? size.height / r.frameHeight : 1;
      mot.push({ frame, id: r.trackId, x: r.x * sx, y: r.y * sy, w: r.w * sx, h: r.h * sy, conf: r.score ?? 1 });
    }
    const embeddings = new Map<number, Float32Array>();
    const colors = new Map<number, Rgb>();
    for (const id of new Set(list.map((r) => r.trackId))) {
      const e = looks.get(id);
      if (e) embeddings.set(id, e);
      const c = torsos.get(id);
      const mean = c ? meanColor(c) : null;
      if (mean) colors.set(id, mean);
    }
    // Only downtime between the camera's first and last sighting can separate two of its fragments;
    // the rest (the agent stopped for the night) would only widen the stitcher's search window.
    const firstMs = list.reduce((m, r) => Math.min(m, r.tMs), Infinity);
    const lastMs = list.reduce((m, r) => Math.max(m, r.tMs), -Infinity);
    const clipped = (down.get(camera) ?? []).flatMap(
      ([a, b]): Array<[number, number]> => (Math.min(b, lastMs) > Math.max(a, firstMs) ? [[Math.max(a, firstMs), Math.min(b, lastMs)]] : []),
    );
    const downtime = clipped.length > 0 ? clipped : undefined;
    out.push({
      camera,
      timebase: { startMs: fromMs, fps, width: size.width, height: size.height },
      rows: mot,
      ...(embeddings.size > 0 ? { embeddings } : {}),
      ...(colors.size > 0 ? { colors } : {}),
      ...(downtime ? { downtime } : {}),
    });
  }
  return out;
}

/**
 * The camera's picture size that day: the one most of its positions were stored with (tracks
 * record it, store/detail.ts). 0 x 0 when none is known (positions stored before schema version 8):
 * the analytics then have no frame edge and no depth scale for the pixel fallback.
 */
export function frameSizeOf(rows: readonly Pick<StoredPosition, 'frameWidth' | 'frameHeight'>[]): { width: number; height: number } {
  const counts = new Map<string, { width: number; height: number; n: number }>();
  for (const r of rows) {
    if (!r.frameWidth || !r.frameHeight) continue;
    const key = `${r.frameWidth}x${r.frameHeight}`;
    const c = counts.get(key) ?? counts.set(key, { width: r.frameWidth, height: r.frameHeight, n: 0 }).get(key)!;
    c.n++;
  }
  let best = { width: 0, height: 0, n: 0 };
  for (const c of counts.values()) if (c.n > best.n) best = c;
  return { width: best.width, height: best.height };
}

/** Shifts overlapping [from, to), each dated by the store-local day it starts on. */
export function shiftsBetween(db: Database.Database, from: number, to: number, tz: string): Shift[] {
  const names = sellerNames(db);
  return shiftRowsBetween(db, from, to).map((s) => ({
    date: localDate(s.start, tz),
    sellerId: s.sellerId,
    name: names.get(s.sellerId) ?? s.sellerId,
    start: s.start,
    end: s.end,
  }));
}

/** The analytics for store-local `date`, or null when no camera recorded anything that day. */
export function analyzeStoredDay(db: Database.Database, cfg: Readonly<Config>, date: string): StoreDayResult | null {
  const tz = cfg.store.timezone;
  const [from, to] = localDayBounds(date, tz);
  const tracks = tracksOfDay(db, from, to);
  if (tracks.length === 0) return null;
  // Receipts a little outside the day may belong to its first or last visits (POS clock offsets).
  const receipts: Receipt[] = receiptsBetween(db, from - 3_600_000, to + 3_600_000).map((r) => ({
    receiptId: r.id,
    t: r.tMs,
    total: r.amountMinor / 100,
    currency: r.currency ?? cfg.store.currency ?? '',
    register: r.registerId ?? '',
    sellerCode: r.sellerId ?? null,
  }));
  return analyzeStoreDay({
    storeId: cfg.store.id,
    timeZone: tz,
    date,
    cameras: cfg.cameras.map(cameraSceneFromConfig),
    analytics: cfg.analytics,
    tracks,
    receipts,
    shifts: shiftsBetween(db, from, to, tz),
  });
}

export interface KpiRollupReport {
  readonly date: string;
  readonly visits: number;
  readonly consultations: SaveReport | null;
  readonly kpis: SaveReport | null;
  /** The store-day record: also for a day without a schedule or without video, when the day has receipts or camera coverage. */
  readonly storeDay: SaveReport | null;
  readonly hours: SaveReport | null;
}

/**
 * Compute `date` and save what the chain gets of it, each with its outbox records in the same
 * transaction: consultations, per-seller KPIs, the store day and its hours (metrics/chain-records.ts).
 * Run after the uptime roll-up of the same day, whose camera_uptime rows give the coverage.
 */
export function rollUpKpis(db: Database.Database, cfg: Readonly<Config>, date: string, nowMs: number, analyzed?: StoreDayResult | null): KpiRollupReport {
  const tz = cfg.store.timezone;
  const [from, to] = localDayBounds(date, tz);
  // `analyzed`: the day computed beforehand (rollup.ts `rollUpDay`), so the saves' transaction is short.
  const day = analyzed !== undefined ? analyzed : analyzeStoredDay(db, cfg, date);
  const receipts = receiptsBetween(db, from - 86_400_000, to + 86_400_000).filter((r) => r.day === date);
  const uptime = cameraUptimeOfDay(db, date);
  const chain = chainRecordsOf({ date, timeZone: tz, day, shifts: shiftsBetween(db, from, to, tz), receipts, uptime });
  const none = { date, visits: 0, consultations: null, kpis: null, storeDay: null, hours: null };
  if (!day) {
    // No video that day: the store-level record still says how many receipts and how much coverage.
    if (receipts.length === 0 && uptime.length === 0) return none;
    // Seller and consultation records stay as they were: without the video they were not recomputed.
    const saved = saveDayRecords(db, cfg.store.id, date, { store: chain.store, hours: chain.hours }, nowMs);
    return { ...none, storeDay: saved.storeDay, hours: saved.hours };
  }
  // The dashboard's copy of the day, kept after the detail is purged (local only).
  saveDayView(db, dayViewOf(day, tz), nowMs);
  const purchases = new Map<string, { receiptId: string; minor: number }>();
  for (const m of day.matches)
    if (m.visitId !== null) purchases.set(String(m.visitId), { receiptId: m.receipt.receiptId, minor: Math.round(m.receipt.total * 100) });
  const consultations: ConsultationInput[] = day.interactions
    .filter((i) => i.kind === 'consultation')
    .map((i) => ({
      id: `${date}:${i.sellerId}:${i.visitId}:${i.start}`,
      visitId: `${date}:${i.visitId}`,
      sellerId: i.sellerId,
      cameraId: i.camera,
      day: date,
      startMs: i.start,
      endMs: i.end,
      receiptId: purchases.get(String(i.visitId))?.receiptId ?? null,
      amountMinor: purchases.get(String(i.visitId))?.minor ?? null,
    }));
  // Every record type of the day replaced at once: what this recompute no longer yields (a seller
  // swapped in a re-fetched schedule) is retracted locally and centrally (saveDayRecords).
  const saved = saveDayRecords(db, cfg.store.id, date, { consultations, sellers: chain.sellers, store: chain.store, hours: chain.hours }, nowMs);
  return { date, visits: day.visits.length, consultations: saved.consultations, kpis: saved.kpis, storeDay: saved.storeDay, hours: saved.hours };
}
