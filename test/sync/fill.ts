/**
 * Realistic box data for the sync tests: a full store day of detail and aggregates, built through
 * the same repository functions the pipeline calls. Deterministic (seeded), so counts are exact.
 */
import type { Store } from '../../agent/src/store/open.js';
import { positionWriter, upsertTrack, insertCameraHealth } from '../../agent/src/store/detail.js';
import { replaceShifts, storeReceipts } from '../../agent/src/store/sales.js';
import { saveCameraUptime, saveConsultations, saveDailyKpis, saveHourlyTraffic, saveStoreDay } from '../../agent/src/store/aggregates.js';

export const HOUR_MS = 3_600_000;

/** Strings that exist only in local detail; none may ever appear in ClickHouse. */
export const LOCAL_ONLY_MARKERS = ['zone-fitting-room', 'register-7', 'trk-', 'rcpt-', 'detail: rtsp timeout'];

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Records written per type (one consulted_visit per consultation here: every visit has one). */
export interface DayCounts {
  consulted_visit: number;
  seller_daily_kpi: number;
  store_daily_kpi: number;
  store_hourly_traffic: number;
  camera_uptime: number;
}

/**
 * One store day (UTC day starting at dayStartMs): `cameras` cameras, 5 sellers, `consultationsPerHour`
 * consultations each hour 08-21, hourly traffic for 24 hours, per-seller KPIs and camera uptime
 * written at the end of the day. With `positions`, a few hundred per-frame positions per hour too.
 */
export function fillStoreDay(
  store: Store,
  storeId: string,
  dayStartMs: number,
  opts: { cameras?: number; consultationsPerHour?: number; positions?: boolean; seed?: number } = {},
): DayCounts {
  const cameras = opts.cameras ?? 10;
  const perHour = opts.consultationsPerHour ?? 4;
  const rnd = seeded(opts.seed ?? dayStartMs / HOUR_MS);
  const day = new Date(dayStartMs).toISOString().slice(0, 10);
  const sellers = ['seller-01', 'seller-02', 'seller-03', 'seller-04', 'seller-05'];
  const db = store.db;
  const write = positionWriter(db);
  let consultations = 0;
  db.transaction(() => {
    replaceShifts(
      db,
      sellers.map((s) => ({ date: day, sellerId: s, startMs: dayStartMs + 8 * HOUR_MS, endMs: dayStartMs + 21 * HOUR_MS })),
      () => [dayStartMs, dayStartMs + 24 * HOUR_MS],
    );
    for (let h = 0; h < 24; h++) {
      const hourMs = dayStartMs + h * HOUR_MS;
      const open = h >= 8 && h < 21;
      let visits = 0;
      let receipts = 0;
      if (open) {
        for (let i = 0; i < perHour; i++) {
          const cam = `cam${(i % cameras) + 1}`;
          const t0 = hourMs + Math.floor(rnd() * 3_000_000);
          const trackId = upsertTrack(db, { cameraId: cam, trackKey: `trk-${h}-${i}`, firstMs: t0, lastMs: t0 + 120_000, role: 'customer' });
          if (opts.positions) {
            write(
              Array.from({ length: 60 }, (_, k) => ({ trackId, tMs: t0 + k * 2000, x: 100 + k, y: 200, w: 40, h: 90, floorX: 2.5 + k / 10, floorY: 4.25 })),
            );
          }
          const visitId = `v-${Math.floor(rnd() * 2 ** 48).toString(36)}`;
          const bought = rnd() < 0.5;
          const amount = 10_000 + Math.floor(rnd() * 90_000);
          if (bought) storeReceipts(db, [{ id: `rcpt-${h}-${i}`, tMs: t0 + 200_000, day, amountMinor: amount, registerId: 'register-7', sellerId: null }]);
          saveConsultations(
            store.db,
            storeId,
            [
              {
                id: `c-${visitId}`,
                visitId,
                sellerId: sellers[i % sellers.length] ?? 'seller-01',
                cameraId: cam,
                day,
                startMs: t0 + 10_000,
                endMs: t0 + 10_000 + 30_000 + Math.floor(rnd() * 300_000),
                floorX: 3.5,
                floorY: 1.25,
                receiptId: bought ? `rcpt-${h}-${i}` : null,
                amountMinor: bought ? amount : null,
              },
            ],
            hourMs + HOUR_MS,
          );
          consultations += 1;
          visits += 1;
          receipts += bought ? 1 : 0;
        }
      }
      insertCameraHealth(db, [{ cameraId: 'cam1', tMs: hourMs, state: h === 3 ? 'down' : 'up', fps: 5, detail: h === 3 ? 'detail: rtsp timeout' : null }]);
      saveHourlyTraffic(
        db,
        storeId,
        [
          {
            hourMs,
            day,
            localHour: h,
            visits,
            consultations: visits,
            receipts,
            dwellMs: visits * 120_000,
            staffSeconds: open ? 5 * 3600 : 0,
            sellersSeen: open ? 5 : 0,
            receiptsAmountMinor: receipts * 50_000,
          },
        ],
        hourMs + HOUR_MS,
      );
    }
    const endMs = dayStartMs + 24 * HOUR_MS;
    saveDailyKpis(
      db,
      storeId,
      sellers.map((s, k) => ({
        sellerId: s,
        day,
        consultations: 10 + k,
        consultedBuyers: 5,
        receiptsWithConsult: 5,
        amountWithConsultMinor: 250_000 + k,
        receiptsWithoutConsult: 3,
        amountWithoutConsultMinor: 90_000,
        consultDurationMs: 3_600_000,
        customers: 40 + k,
        consultedCustomers: 10 + k,
        successfulConsultations: 5,
        unsuccessfulConsultations: 5 + k,
        timeOnFloorSeconds: 13 * 3600 - k,
      })),
      endMs,
    );
    saveStoreDay(
      db,
      storeId,
      {
        day,
        visitors: consultations,
        consultedCustomers: consultations,
        consultations,
        successfulConsultations: 0,
        unsuccessfulConsultations: consultations,
        consultDurationMs: consultations * 60_000,
        buyingCustomers: 0,
        buyersWithConsult: 0,
        amountWithConsultMinor: 0,
        buyersWithoutConsult: 0,
        amountWithoutConsultMinor: 0,
        receipts: 0,
        receiptsAmountMinor: 0,
        sellersOnShift: sellers.length,
        staffSeconds: 5 * 13 * 3600,
        cameras,
        cameraUpMs: 86_400_000 * cameras,
        cameraDownMs: 0,
      },
      endMs,
    );
    saveCameraUptime(
      db,
      storeId,
      Array.from({ length: cameras }, (_, c) => ({ cameraId: `cam${c + 1}`, day, upMs: 86_400_000 - c * 1000, downMs: c * 1000, outages: c % 3 })),
      endMs,
    );
  })();
  return { consulted_visit: consultations, seller_daily_kpi: sellers.length, store_daily_kpi: 1, store_hourly_traffic: 24, camera_uptime: cameras };
}
