/**
 * Writers for what the analytics produce and the chain receives. Each writes the local row and
 * appends its outbox record in ONE transaction, so the box never holds a result the chain will not
 * eventually get, nor an outbox record for a result it does not hold. Local rows may carry more
 * than leaves (a consultation's floor position); the outbox gets the whitelist only.
 */
import type Database from 'better-sqlite3';
import { MisuseError } from '../core/errors.js';
import { enqueueRecord, retractStale, type Enqueued } from './outbox.js';
import type { RecordType } from './records.js';

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

/**
 * Insert or update consultations (a late receipt re-saves one: a new version, same record id).
 * Locally one row per consultation; what leaves is one consulted_visit record per seller and visit
 * (start to the minute, summed whole seconds, the bought flag, no amount: see records.ts).
 */
export function saveConsultations(db: Database.Database, storeId: string, items: readonly ConsultationInput[], nowMs: number): SaveReport {
  const stmt = db.prepare(
    `INSERT INTO consultations (id, visit_id, seller_id, camera_id, day, start_ms, end_ms, floor_x, floor_y, receipt_id, amount_minor)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET end_ms = excluded.end_ms, floor_x = excluded.floor_x, floor_y = excluded.floor_y,
       receipt_id = excluded.receipt_id, amount_minor = excluded.amount_minor`,
  );
  const visits = new Map<string, { day: string; visitId: string; sellerId: string; startMs: number; n: number; ms: number; bought: boolean }>();
  for (const c of items) {
    const key = `${c.visitId}\u001f${c.sellerId}`;
    const v = visits.get(key) ?? { day: c.day, visitId: c.visitId, sellerId: c.sellerId, startMs: c.startMs, n: 0, ms: 0, bought: false };
    v.startMs = Math.min(v.startMs, c.startMs);
    v.n += 1;
    v.ms += Math.max(0, c.endMs - c.startMs);
    v.bought ||= Boolean(c.receiptId);
    visits.set(key, v);
  }
  return db.transaction((): SaveReport => {
    for (const c of items) {
      stmt.run(
        c.id,
        c.visitId,
        c.sellerId,
        c.cameraId,
        c.day,
        c.startMs,
        c.endMs,
        c.floorX ?? null,
        c.floorY ?? null,
        c.receiptId ?? null,
        c.amountMinor ?? null,
      );
    }
    const out: Enqueued[] = [];
    for (const v of visits.values()) {
      out.push(
        enqueueRecord(
          db,
          'consulted_visit',
          {
            store_id: storeId,
            day: v.day,
            visit_id: v.visitId,
            seller_id: v.sellerId,
            started_minute: Math.floor(v.startMs / 60_000) * 60_000,
            consultations: v.n,
            duration_s: Math.round(v.ms / 1000),
            bought: v.bought ? 1 : 0,
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
  /** Visits of the day overlapping the seller's shifts. */
  readonly customers: number;
  readonly consultedCustomers: number;
  readonly successfulConsultations: number;
  readonly unsuccessfulConsultations: number;
  readonly timeOnFloorSeconds: number;
}

/** Replace per-seller daily KPIs (recomputation after late receipts = new version, same id). */
export function saveDailyKpis(db: Database.Database, storeId: string, kpis: readonly SellerDailyKpi[], nowMs: number): SaveReport {
  const stmt = db.prepare(
    `INSERT OR REPLACE INTO daily_kpis (seller_id, day, consultations, consulted_buyers, receipts_with_consult, amount_with_consult_minor,
       receipts_without_consult, amount_without_consult_minor, consult_duration_ms, customers, consulted_customers,
       successful_consultations, unsuccessful_consultations, time_on_floor_seconds, computed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction((): SaveReport => {
    const out: Enqueued[] = [];
    for (const k of kpis) {
      stmt.run(
        k.sellerId,
        k.day,
        k.consultations,
        k.consultedBuyers,
        k.receiptsWithConsult,
        k.amountWithConsultMinor,
        k.receiptsWithoutConsult,
        k.amountWithoutConsultMinor,
        k.consultDurationMs,
        k.customers,
        k.consultedCustomers,
        k.successfulConsultations,
        k.unsuccessfulConsultations,
        k.timeOnFloorSeconds,
        nowMs,
      );
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
            customers: k.customers,
            consulted_customers: k.consultedCustomers,
            successful_consultations: k.successfulConsultations,
            unsuccessful_consultations: k.unsuccessfulConsultations,
            time_on_floor_seconds: k.timeOnFloorSeconds,
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
  /** The store's wall-clock hour, 0-23 (sent, not stored: the box knows its zone). */
  readonly localHour: number;
  readonly visits: number;
  readonly consultations: number;
  readonly receipts: number;
  readonly dwellMs: number;
  /** Seconds of staff presence on the floor within the hour, summed over staff (3600 = one person all hour). */
  readonly staffSeconds: number;
  readonly sellersSeen: number;
  /** POS receipts of the hour, summed. */
  readonly receiptsAmountMinor: number;
}

/** Replace the store-hour records of the hours given (the roll-up sends every hour of a rolled-up day). */
export function saveHourlyTraffic(db: Database.Database, storeId: string, rows: readonly HourlyTraffic[], nowMs: number): SaveReport {
  const stmt = db.prepare(
    `INSERT OR REPLACE INTO hourly_traffic (hour_ms, day, visits, consultations, receipts, dwell_ms, staff_seconds, sellers_seen, receipts_amount_minor, computed_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction((): SaveReport => {
    const out: Enqueued[] = [];
    for (const h of rows) {
      stmt.run(h.hourMs, h.day, h.visits, h.consultations, h.receipts, h.dwellMs, h.staffSeconds, h.sellersSeen, h.receiptsAmountMinor, nowMs);
      out.push(
        enqueueRecord(
          db,
          'store_hourly_traffic',
          {
            store_id: storeId,
            day: h.day,
            hour: h.hourMs,
            local_hour: h.localHour,
            visits: h.visits,
            consultations: h.consultations,
            receipts: h.receipts,
            dwell_ms: h.dwellMs,
            staff_seconds: h.staffSeconds,
            sellers_seen: h.sellersSeen,
            receipts_amount_minor: h.receiptsAmountMinor,
          },
          nowMs,
        ),
      );
    }
    return report(out);
  })();
}

/** One store-local day of the whole store: what the chain ranks stores by (records.ts store_daily_kpi). */
export interface StoreDailyKpi {
  readonly day: string;
  readonly visitors: number;
  readonly consultedCustomers: number;
  readonly consultations: number;
  readonly successfulConsultations: number;
  readonly unsuccessfulConsultations: number;
  readonly consultDurationMs: number;
  readonly buyingCustomers: number;
  readonly buyersWithConsult: number;
  readonly amountWithConsultMinor: number;
  readonly buyersWithoutConsult: number;
  readonly amountWithoutConsultMinor: number;
  readonly receipts: number;
  readonly receiptsAmountMinor: number;
  readonly sellersOnShift: number;
  readonly staffSeconds: number;
  readonly cameras: number;
  readonly cameraUpMs: number;
  readonly cameraDownMs: number;
}

const STORE_DAY_COLUMNS: ReadonlyArray<readonly [keyof StoreDailyKpi, string]> = Object.freeze([
  ['visitors', 'visitors'],
  ['consultedCustomers', 'consulted_customers'],
  ['consultations', 'consultations'],
  ['successfulConsultations', 'successful_consultations'],
  ['unsuccessfulConsultations', 'unsuccessful_consultations'],
  ['consultDurationMs', 'consult_duration_ms'],
  ['buyingCustomers', 'buying_customers'],
  ['buyersWithConsult', 'buyers_with_consult'],
  ['amountWithConsultMinor', 'amount_with_consult_minor'],
  ['buyersWithoutConsult', 'buyers_without_consult'],
  ['amountWithoutConsultMinor', 'amount_without_consult_minor'],
  ['receipts', 'receipts'],
  ['receiptsAmountMinor', 'receipts_amount_minor'],
  ['sellersOnShift', 'sellers_on_shift'],
  ['staffSeconds', 'staff_seconds'],
  ['cameras', 'cameras'],
  ['cameraUpMs', 'camera_up_ms'],
  ['cameraDownMs', 'camera_down_ms'],
]);

export function saveStoreDay(db: Database.Database, storeId: string, k: StoreDailyKpi, nowMs: number): SaveReport {
  const cols = STORE_DAY_COLUMNS.map(([, c]) => c);
  const stmt = db.prepare(`INSERT OR REPLACE INTO store_days (day, ${cols.join(', ')}, computed_ms) VALUES (?, ${cols.map(() => '?').join(', ')}, ?)`);
  return db.transaction((): SaveReport => {
    stmt.run(k.day, ...STORE_DAY_COLUMNS.map(([f]) => k[f]), nowMs);
    const values: Record<string, string | number> = { store_id: storeId, day: k.day };
    for (const [f, c] of STORE_DAY_COLUMNS) values[c] = k[f];
    return report([enqueueRecord(db, 'store_daily_kpi', values, nowMs)]);
  })();
}

/** The camera_uptime rows of a store-local day (written by the uptime roll-up). */
export function cameraUptimeOfDay(db: Database.Database, day: string): CameraUptime[] {
  return db
    .prepare<[string], CameraUptime>(
      'SELECT camera_id AS cameraId, day, up_ms AS upMs, down_ms AS downMs, outages FROM camera_uptime WHERE day = ? ORDER BY camera_id',
    )
    .all(day);
}

export interface CameraUptime {
  readonly cameraId: string;
  readonly day: string;
  readonly upMs: number;
  readonly downMs: number;
  readonly outages: number;
}

/**
 * Replace the camera-day rows of every day `rows` cover: `rows` holds every camera of those days
 * (the uptime roll-up computes a day whole), so a camera a day no longer has is retracted, locally
 * and centrally (retractStale), in the same transaction.
 */
export function saveCameraUptime(db: Database.Database, storeId: string, rows: readonly CameraUptime[], nowMs: number): SaveReport {
  const stmt = db.prepare('INSERT OR REPLACE INTO camera_uptime (camera_id, day, up_ms, down_ms, outages, computed_ms) VALUES (?, ?, ?, ?, ?, ?)');
  const days = [...new Set(rows.map((u) => u.day))];
  return db.transaction((): SaveReport => {
    const clear = db.prepare('DELETE FROM camera_uptime WHERE day = ?');
    for (const d of days) clear.run(d);
    const out: Enqueued[] = [];
    for (const u of rows) {
      stmt.run(u.cameraId, u.day, u.upMs, u.downMs, u.outages, nowMs);
      out.push(
        enqueueRecord(
          db,
          'camera_uptime',
          { store_id: storeId, day: u.day, camera_id: u.cameraId, up_ms: u.upMs, down_ms: u.downMs, outages: u.outages },
          nowMs,
        ),
      );
    }
    for (const d of days) retractStale(db, 'camera_uptime', d, new Set(out.map((r) => r.recordId)), nowMs);
    return report(out);
  })();
}

/**
 * What a recompute of one store-local day yields. A field given is that type's complete new set
 * for the day (an empty list retracts every record of that type the day had); a field left out was
 * not recomputed and stays as it is (a day whose video detail was purged keeps its seller records).
 */
export interface DayRecords {
  readonly consultations?: readonly ConsultationInput[];
  readonly sellers?: readonly SellerDailyKpi[];
  readonly store?: StoreDailyKpi;
  readonly hours?: readonly HourlyTraffic[];
}

export interface DaySaveReport {
  readonly consultations: SaveReport | null;
  readonly kpis: SaveReport | null;
  readonly storeDay: SaveReport | null;
  readonly hours: SaveReport | null;
  /** Records of the day superseded by this recompute, retracted (tombstones queued), per type. */
  readonly retracted: Readonly<Partial<Record<RecordType, number>>>;
}

/**
 * Save a recompute of `day` (issue 14 item 1): in ONE transaction, the day's local rows of each
 * recomputed kind are replaced (not upserted: a seller swapped out of the schedule must not keep a
 * row), their records queued, and the records of the day the recompute no longer yields retracted.
 * The one path by which the roll-up writes a day, for every record type it yields.
 */
export function saveDayRecords(db: Database.Database, storeId: string, day: string, recs: DayRecords, nowMs: number): DaySaveReport {
  const wrongDay = [
    ...(recs.consultations ?? []).map((c) => c.day),
    ...(recs.sellers ?? []).map((k) => k.day),
    ...(recs.hours ?? []).map((h) => h.day),
    ...(recs.store ? [recs.store.day] : []),
  ].find((d) => d !== day);
  if (wrongDay !== undefined) throw new MisuseError('FS_BAD_ARGUMENT', `saveDayRecords(${day}): a record of ${wrongDay} among them`, { day, wrongDay });
  return db.transaction((): DaySaveReport => {
    const retracted: Partial<Record<RecordType, number>> = {};
    const replace = <T>(type: RecordType, table: string, items: T | undefined, save: (items: T) => SaveReport | null): SaveReport | null => {
      if (items === undefined) return null;
      db.prepare(`DELETE FROM ${table} WHERE day = ?`).run(day);
      const r = save(items);
      const gone = retractStale(db, type, day, new Set((r?.records ?? []).map((x) => x.recordId)), nowMs);
      if (gone.length > 0) retracted[type] = gone.length;
      return r;
    };
    const consultations = replace('consulted_visit', 'consultations', recs.consultations, (c) =>
      c.length > 0 ? saveConsultations(db, storeId, c, nowMs) : null,
    );
    const kpis = replace('seller_daily_kpi', 'daily_kpis', recs.sellers, (k) => (k.length > 0 ? saveDailyKpis(db, storeId, k, nowMs) : null));
    const storeDay = replace('store_daily_kpi', 'store_days', recs.store, (k) => saveStoreDay(db, storeId, k, nowMs));
    const hours = replace('store_hourly_traffic', 'hourly_traffic', recs.hours, (h) => saveHourlyTraffic(db, storeId, h, nowMs));
    return { consultations, kpis, storeDay, hours, retracted };
  })();
}
