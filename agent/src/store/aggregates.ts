/**
 * Writers for what the analytics produce and the chain receives. Each writes the local row and
 * appends its outbox record in ONE transaction, so the box never holds a result the chain will not
 * eventually get, nor an outbox record for a result it does not hold. Local rows may carry more
 * than leaves (a consultation's floor position); the outbox gets the whitelist only.
 */
import type Database from 'better-sqlite3';
import { enqueueRecord, type Enqueued } from './outbox.js';

export interface SaveReport {
  readonly rows: number;
  /** Outbox versions appended (unchanged recomputations append none). */
  readonly enqueued: number;
  readonly records: readonly Enqueued[];
}

function report(records: Enqueued[]): SaveReport {
  return { rows: records.length, enqueued: records.filter((r) => r.version !== null).length, records };
}

export interface ConsultationInput {
  readonly id: string;
  readonly visitId: string;
  readonly sellerId: string;
  readonly cameraId: string;
  readonly day: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Local review only: never leaves the box. */
  readonly floorX?: number | null;
  readonly floorY?: number | null;
  readonly receiptId?: string | null;
  readonly amountMinor?: number | null;
}

/** Insert or update consultations (a late receipt re-saves one: a new version, same record id). */
export function saveConsultations(db: Database.Database, storeId: string, items: readonly ConsultationInput[], nowMs: number): SaveReport {
  const stmt = db.prepare(
    `INSERT INTO consultations (id, visit_id, seller_id, camera_id, day, start_ms, end_ms, floor_x, floor_y, receipt_id, amount_minor)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET end_ms = excluded.end_ms, floor_x = excluded.floor_x, floor_y = excluded.floor_y,
       receipt_id = excluded.receipt_id, amount_minor = excluded.amount_minor`,
  );
  return db.transaction((): SaveReport => {
    const out: Enqueued[] = [];
    for (const c of items) {
      stmt.run(c.id, c.visitId, c.sellerId, c.cameraId, c.day, c.startMs, c.endMs, c.floorX ?? null, c.floorY ?? null, c.receiptId ?? null, c.amountMinor ?? null);
      out.push(
        enqueueRecord(
          db,
          'consultation',
          {
            store_id: storeId,
            day: c.day,
            visit_id: c.visitId,
            seller_id: c.sellerId,
            started_at: c.startMs,
            duration_ms: Math.max(0, Math.round(c.endMs - c.startMs)),
            bought: c.receiptId ? 1 : 0,
            amount_minor: c.amountMinor ?? 0,
          },
          nowMs,
        ),
      );
    }
    return report(out);
  })();
}

export interface SellerDailyKpi {
  readonly sellerId: string;
  readonly day: string;
  readonly consultations: number;
  readonly consultedBuyers: number;
  readonly receiptsWithConsult: number;
  readonly amountWithConsultMinor: number;
  readonly receiptsWithoutConsult: number;
  readonly amountWithoutConsultMinor: number;
  readonly consultDurationMs: number;
}

/** Replace per-seller daily KPIs (recomputation after late receipts = new version, same id). */
export function saveDailyKpis(db: Database.Database, storeId: string, kpis: readonly SellerDailyKpi[], nowMs: number): SaveReport {
  const stmt = db.prepare(
    `INSERT OR REPLACE INTO daily_kpis (seller_id, day, consultations, consulted_buyers, receipts_with_consult, amount_with_consult_minor,
       receipts_without_consult, amount_without_consult_minor, consult_duration_ms, computed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction((): SaveReport => {
    const out: Enqueued[] = [];
    for (const k of kpis) {
      stmt.run(k.sellerId, k.day, k.consultations, k.consultedBuyers, k.receiptsWithConsult, k.amountWithConsultMinor, k.receiptsWithoutConsult, k.amountWithoutConsultMinor, k.consultDurationMs, nowMs);
      out.push(
        enqueueRecord(
          db,
          'seller_daily_kpi',
          {
            store_id: storeId,
            day: k.day,
            seller_id: k.sellerId,
            consultations: k.consultations,
            consulted_buyers: k.consultedBuyers,
            receipts_with_consult: k.receiptsWithConsult,
            amount_with_consult_minor: k.amountWithConsultMinor,
            receipts_without_consult: k.receiptsWithoutConsult,
            amount_without_consult_minor: k.amountWithoutConsultMinor,
            consult_duration_ms: k.consultDurationMs,
          },
          nowMs,
        ),
      );
    }
    return report(out);
  })();
}

export interface HourlyTraffic {
  /** UTC start of the hour, ms. */
  readonly hourMs: number;
  readonly day: string;
  readonly visits: number;
  readonly consultations: number;
  readonly receipts: number;
  readonly dwellMs: number;
}

export function saveHourlyTraffic(db: Database.Database, storeId: string, rows: readonly HourlyTraffic[], nowMs: number): SaveReport {
  const stmt = db.prepare('INSERT OR REPLACE INTO hourly_traffic (hour_ms, day, visits, consultations, receipts, dwell_ms, computed_ms) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return db.transaction((): SaveReport => {
    const out: Enqueued[] = [];
    for (const h of rows) {
      stmt.run(h.hourMs, h.day, h.visits, h.consultations, h.receipts, h.dwellMs, nowMs);
      out.push(
        enqueueRecord(
          db,
          'store_hourly_traffic',
          { store_id: storeId, day: h.day, hour: h.hourMs, visits: h.visits, consultations: h.consultations, receipts: h.receipts, dwell_ms: h.dwellMs },
          nowMs,
        ),
      );
    }
    return report(out);
  })();
}

export interface CameraUptime {
  readonly cameraId: string;
  readonly day: string;
  readonly upMs: number;
  readonly downMs: number;
  readonly outages: number;
}

export function saveCameraUptime(db: Database.Database, storeId: string, rows: readonly CameraUptime[], nowMs: number): SaveReport {
  const stmt = db.prepare('INSERT OR REPLACE INTO camera_uptime (camera_id, day, up_ms, down_ms, outages, computed_ms) VALUES (?, ?, ?, ?, ?, ?)');
  return db.transaction((): SaveReport => {
    const out: Enqueued[] = [];
    for (const u of rows) {
      stmt.run(u.cameraId, u.day, u.upMs, u.downMs, u.outages, nowMs);
      out.push(
        enqueueRecord(db, 'camera_uptime', { store_id: storeId, day: u.day, camera_id: u.cameraId, up_ms: u.upMs, down_ms: u.downMs, outages: u.outages }, nowMs),
      );
    }
    return report(out);
  })();
}
