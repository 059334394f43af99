/**
 * The aggregate records that may leave the box, as a fixed whitelist of columns per type.
 * This table is the privacy boundary: the outbox stores only these columns, the sync sends only
 * these columns, and the central DDL is generated from them, so adding a column is one reviewed
 * edit here (README's "What leaves the box" lists every column and why; a test keeps the two
 * equal). Allowed kinds of data: store id, pseudonymous seller id, per-day visit ids, camera ids
 * (equipment labels), times (per-visit rows only to the minute), durations, counts, and amounts
 * only as sums over a seller-day, store-day or store-hour. Never coordinates, images, track keys,
 * receipt ids or one purchase's amount.
 */
import { createHash } from 'node:crypto';
import { MisuseError } from '../core/errors.js';

/** `minute`: a UTC time that is a whole minute (privacy: no finer start times leave the box). */
export type ColumnKind = 'id' | 'day' | 'time' | 'minute' | 'count' | 'duration' | 'amount' | 'flag';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
}

export interface RecordSpec {
  /** Central table name (the view names derive from it). */
  readonly table: string;
  /** Columns whose values identify the record; hashed (with the type) into its record id. */
  readonly key: readonly string[];
  readonly columns: readonly ColumnSpec[];
}

const col = (name: string, kind: ColumnKind): ColumnSpec => Object.freeze({ name, kind });

export const RECORD_SPECS = Object.freeze({
  // One row per customer visit a seller consulted: enough for "consulted customers by hour", duration
  // and outcome charts, and no finer (privacy, issue 14 item 9): the start only to the minute, the
  // duration in whole seconds, whether the visit bought but never the amount (amounts leave the box
  // only summed per seller-day, store-day and store-hour).
  consulted_visit: Object.freeze({
    table: 'consulted_visits',
    key: ['store_id', 'visit_id', 'seller_id'],
    columns: [
      col('store_id', 'id'),
      col('day', 'day'),
      col('visit_id', 'id'),
      col('seller_id', 'id'),
      col('started_minute', 'minute'),
      col('consultations', 'count'),
      col('duration_s', 'duration'),
      col('bought', 'flag'),
    ],
  }),
  seller_daily_kpi: Object.freeze({
    table: 'seller_daily_kpis',
    key: ['store_id', 'seller_id', 'day'],
    // New columns go at the end: `sync --init` adds them to an existing central table in this order.
    columns: [
      col('store_id', 'id'),
      col('day', 'day'),
      col('seller_id', 'id'),
      col('consultations', 'count'),
      col('consulted_buyers', 'count'),
      col('receipts_with_consult', 'count'),
      col('amount_with_consult_minor', 'amount'),
      // The seller's own: buying visits during the seller's shifts that nobody consulted.
      col('receipts_without_consult', 'count'),
      col('amount_without_consult_minor', 'amount'),
      col('consult_duration_ms', 'duration'),
      col('customers', 'count'),
      col('consulted_customers', 'count'),
      col('successful_consultations', 'count'),
      col('unsuccessful_consultations', 'count'),
      col('time_on_floor_seconds', 'duration'),
    ],
  }),
  store_daily_kpi: Object.freeze({
    table: 'store_daily_kpis',
    key: ['store_id', 'day'],
    columns: [
      col('store_id', 'id'),
      col('day', 'day'),
      col('visitors', 'count'),
      col('consulted_customers', 'count'),
      col('consultations', 'count'),
      col('successful_consultations', 'count'),
      col('unsuccessful_consultations', 'count'),
      col('consult_duration_ms', 'duration'),
      col('buying_customers', 'count'),
      col('buyers_with_consult', 'count'),
      col('amount_with_consult_minor', 'amount'),
      col('buyers_without_consult', 'count'),
      col('amount_without_consult_minor', 'amount'),
      // POS receipts of the store-local day, matched to a visit or not.
      col('receipts', 'count'),
      col('receipts_amount_minor', 'amount'),
      col('sellers_on_shift', 'count'),
      col('staff_seconds', 'duration'),
      col('cameras', 'count'),
      col('camera_up_ms', 'duration'),
      col('camera_down_ms', 'duration'),
    ],
  }),
  store_hourly_traffic: Object.freeze({
    table: 'store_hourly_traffic',
    key: ['store_id', 'hour'],
    columns: [
      col('store_id', 'id'),
      col('day', 'day'),
      col('hour', 'time'),
      col('local_hour', 'count'),
      col('visits', 'count'),
      col('consultations', 'count'),
      col('receipts', 'count'),
      col('dwell_ms', 'duration'),
      col('staff_seconds', 'duration'),
      col('sellers_seen', 'count'),
      col('receipts_amount_minor', 'amount'),
    ],
  }),
  camera_uptime: Object.freeze({
    table: 'camera_uptime',
    key: ['store_id', 'camera_id', 'day'],
    columns: [col('store_id', 'id'), col('day', 'day'), col('camera_id', 'id'), col('up_ms', 'duration'), col('down_ms', 'duration'), col('outages', 'count')],
  }),
} satisfies Record<string, RecordSpec>);

export type RecordType = keyof typeof RECORD_SPECS;
export const RECORD_TYPES: readonly RecordType[] = Object.freeze([
  'consulted_visit',
  'seller_daily_kpi',
  'store_daily_kpi',
  'store_hourly_traffic',
  'camera_uptime',
]);

/**
 * Central tables earlier releases created that no record type writes any more. `sync --init`
 * leaves them (dropping data is the chain admin's call) and says so; the views never read them.
 * consultations: one row per consultation with second-level start and the exact visit amount,
 * finer than the chain needs (replaced by consulted_visits).
 */
export const RETIRED_TABLES: readonly string[] = Object.freeze(['consultations']);

/** A whitelisted record: strings for ids and days, integers (UTC ms for times) for the rest. */
export type RecordPayload = Readonly<Record<string, string | number>>;

export function isRecordType(s: string): s is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(s);
}

export function specOf(type: RecordType): RecordSpec {
  return RECORD_SPECS[type];
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
export const ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Check `values` against the whitelist of `type` and return a new object holding exactly the
 * whitelisted columns, in spec order. Extra keys are refused (MisuseError naming the key) rather
 * than dropped, so a caller that tries to send coordinates learns it at once.
 */
export function toRecordPayload(type: RecordType, values: Readonly<Record<string, unknown>>): RecordPayload {
  const spec = specOf(type);
  const allowed = new Set(spec.columns.map((c) => c.name));
  for (const k of Object.keys(values)) {
    if (!allowed.has(k)) {
      throw new MisuseError('FS_BAD_ARGUMENT', `${type}.${k}: not in the sync whitelist (allowed: ${[...allowed].join(', ')})`, { type, key: k });
    }
  }
  const out: Record<string, string | number> = {};
  for (const c of spec.columns) out[c.name] = checkValue(type, c, values[c.name]);
  return Object.freeze(out);
}

function checkValue(type: RecordType, c: ColumnSpec, v: unknown): string | number {
  const where = `${type}.${c.name}`;
  const bad = (want: string): MisuseError => new MisuseError('FS_BAD_ARGUMENT', `${where}: expected ${want}, got ${JSON.stringify(v)}`, { type, key: c.name });
  switch (c.kind) {
    case 'id':
      if (typeof v !== 'string' || !ID_RE.test(v)) throw bad('an id of 1-128 letters, digits, _ . : -');
      return v;
    case 'day':
      if (typeof v !== 'string' || !DAY_RE.test(v)) throw bad('a day YYYY-MM-DD');
      return v;
    case 'time':
      if (!Number.isSafeInteger(v) || typeof v !== 'number' || v < 0 || v > 4_102_444_800_000) throw bad('UTC milliseconds between 1970 and 2100');
      return v;
    case 'minute':
      if (!Number.isSafeInteger(v) || typeof v !== 'number' || v < 0 || v > 4_102_444_800_000 || v % 60_000 !== 0)
        throw bad('UTC milliseconds of a whole minute between 1970 and 2100');
      return v;
    case 'flag':
      if (v !== 0 && v !== 1) throw bad('0 or 1');
      return v;
    case 'amount':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad('an integer amount in minor units');
      return v;
    case 'count':
    case 'duration':
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad('a non-negative integer');
      return v;
  }
}

/** Deterministic record id: the same natural key always gives the same id, on any box. */
export function recordIdOf(type: RecordType, payload: RecordPayload): string {
  const h = createHash('sha256').update(type);
  for (const k of specOf(type).key) h.update('\u001f').update(String(payload[k]));
  return h.digest('hex').slice(0, 32);
}
