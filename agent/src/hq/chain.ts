/**
 * The chain dashboard's data: SQL over the central views only (never the base tables, so whatever
 * the views exclude — retracted rows, older versions — the dashboard excludes too), and the pure
 * step that turns summed counts of a date range into KPIs.
 *
 * Ratios and means over a range are recomputed from summed counts and amounts, never averaged
 * from daily ratios, with the views' own rounding (agent/src/sync/ddl.ts: half up, ratios to 4
 * digits, money to 2, NULL for a zero denominator), so a one-day range shows exactly the view's
 * figure. Amounts are carried as integer minor units: summing the views' currency floats and
 * rounding to the cent gives back the boxes' integers.
 */
import { FailureError, MisuseError } from '../core/errors.js';
import { isIsoDate } from '../core/local-time.js';

/** The store KPIs the ranking can be sorted by, in the picker's order. */
export const STORE_KPIS = [
  'visitors',
  'consulted_customers',
  'interaction_ratio',
  'consultations',
  'successful_consultations',
  'unsuccessful_consultations',
  'conversion',
  'buying_customers',
  'receipts',
  'revenue',
  'avg_purchase_with_consultation',
  'avg_purchase_without_consultation',
  'camera_coverage',
] as const;
export type StoreKpi = (typeof STORE_KPIS)[number];

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** Longest range one request may ask for (a year and a bit: month-on-month a year back). */
export const MAX_RANGE_DAYS = 400;

const dayMs = (d: string): number => Date.parse(`${d}T00:00:00Z`);
export const shiftDay = (d: string, n: number): string => new Date(dayMs(d) + n * 86_400_000).toISOString().slice(0, 10);
export const rangeDays = (r: DateRange): number => Math.round((dayMs(r.to) - dayMs(r.from)) / 86_400_000) + 1;

/** A checked range: both calendar days, from <= to, at most MAX_RANGE_DAYS. Misuse names the bad value. */
export function checkRange(from: string, to: string): DateRange {
  for (const [k, v] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isIsoDate(v)) throw new MisuseError('FS_BAD_ARGUMENT', `${k} "${v.slice(0, 40)}" is not a calendar date YYYY-MM-DD`, { key: k });
  }
  const r = { from, to };
  if (from > to) throw new MisuseError('FS_BAD_ARGUMENT', `from ${from} is after to ${to}`, { key: 'from' });
  if (rangeDays(r) > MAX_RANGE_DAYS)
    throw new MisuseError('FS_BAD_ARGUMENT', `${from}..${to} is ${rangeDays(r)} days; at most ${MAX_RANGE_DAYS}`, { key: 'from' });
  return r;
}

/** A store id as the boxes' config allows it (store.id), so it can be written into SQL as a literal. */
const STORE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
export function checkStoreId(id: string): string {
  if (!STORE_ID.test(id)) throw new MisuseError('FS_BAD_ARGUMENT', `store "${id.slice(0, 70)}" is not a store id (letters, digits, _ . -)`, { key: 'store' });
  return id;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export function checkDatabase(db: string): string {
  if (!IDENT.test(db))
    throw new MisuseError('FS_BAD_ARGUMENT', `database "${db.slice(0, 70)}" is not a ClickHouse identifier (letters, digits, _)`, { key: 'database' });
  return db;
}

// Day columns are read back as toString(day) AS date: an alias named day would shadow the column in WHERE.
const within = (r: DateRange): string => `day >= toDate('${r.from}') AND day <= toDate('${r.to}')`;
const minor = (col: string): string => `toInt64(round(sum(${col}) * 100))`;

/** The SQL of each part of the page; dates and the database are checked before they get here. */
export const chainSql = {
  /** First and last day any store has a record, and the stores ever seen. */
  span: (db: string) => `SELECT toString(min(day)) AS first_day, toString(max(day)) AS last_day, uniqExact(store_id) AS stores FROM ${db}.v_store_day`,
  stores: (db: string, r: DateRange) => `SELECT store_id, count() AS days, sum(visitors) AS visitors, sum(consulted_customers) AS consulted_customers,
  sum(consultations) AS consultations, sum(successful_consultations) AS successful_consultations, sum(unsuccessful_consultations) AS unsuccessful_consultations,
  sum(buying_customers) AS buying_customers, sum(receipts) AS receipts, ${minor('revenue')} AS revenue_minor,
  sum(buyers_with_consult) AS buyers_with_consult, ${minor('amount_with_consultation')} AS amount_with_minor,
  sum(buyers_without_consult) AS buyers_without_consult, ${minor('amount_without_consultation')} AS amount_without_minor,
  sum(staff_on_floor_seconds) AS staff_on_floor_seconds
FROM ${db}.v_store_day WHERE ${within(r)} GROUP BY store_id ORDER BY store_id`,
  cameras: (db: string, r: DateRange) => `SELECT store_id, camera_id, toString(day) AS date, up_ms, down_ms, outages
FROM ${db}.v_camera_day WHERE ${within(r)} ORDER BY store_id, camera_id, day`,
  sellers: (
    db: string,
    r: DateRange,
  ) => `SELECT store_id, seller_id, count() AS days, sum(customers) AS customers, sum(consulted_customers) AS consulted_customers,
  sum(consultations) AS consultations, sum(successful_consultations) AS successful_consultations, sum(unsuccessful_consultations) AS unsuccessful_consultations,
  sum(time_on_floor_seconds) AS time_on_floor_seconds,
  sum(receipts_with_consult) AS receipts_with_consult, sum(amount_with_consult_minor) AS amount_with_minor,
  sum(receipts_without_consult) AS receipts_without_consult, sum(amount_without_consult_minor) AS amount_without_minor
FROM ${db}.v_seller_day WHERE ${within(r)} GROUP BY store_id, seller_id ORDER BY store_id, seller_id`,
  /**
   * The hour-of-day profile over a range (v_store_hour; hours are store-local): summed visitors,
   * consultations and receipts, and the staff-hours on the floor with the store-days they came
   * from, so the page shows the mean number of sellers out in each hour. `store` is checked.
   */
  hours: (db: string, r: DateRange, store: string | null) => `SELECT local_hour AS hour, uniqExact(store_id, day) AS store_days, sum(visitors) AS visitors,
  sum(consultations) AS consultations, sum(receipts) AS receipts, toInt64(round(sum(staff_on_floor) * 100)) AS staff_centihours
FROM ${db}.v_store_hour WHERE ${within(r)}${store === null ? '' : ` AND store_id = '${checkStoreId(store)}'`} GROUP BY local_hour ORDER BY local_hour`,
  /** One row per store and day (the trend chart), the same sums as `stores` at day grain. */
  storeDays: (
    db: string,
    r: DateRange,
  ) => `SELECT store_id, toString(day) AS date, 1 AS days, visitors, consulted_customers, consultations, successful_consultations, unsuccessful_consultations,
  buying_customers, receipts, toInt64(round(revenue * 100)) AS revenue_minor, buyers_with_consult, toInt64(round(amount_with_consultation * 100)) AS amount_with_minor,
  buyers_without_consult, toInt64(round(amount_without_consultation * 100)) AS amount_without_minor, staff_on_floor_seconds
FROM ${db}.v_store_day WHERE ${within(r)} ORDER BY store_id, day`,
};

type Row = Readonly<Record<string, unknown>>;

/** ClickHouse 18.16 quotes 64-bit integers in JSON; current releases do not. NULL stays null. */
function n(row: Row, key: string): number {
  const v = row[key];
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(x))
    throw new FailureError(
      'FS_REMOTE',
      `column ${key} is ${JSON.stringify(v)}, not a number (the central views are older than this release? run \`floorsense sync --init\`)`,
      { key },
    );
  return x;
}
const s = (row: Row, key: string): string => (typeof row[key] === 'string' ? (row[key] as string) : String(row[key] ?? ''));

/** num / den half up to `digits`, as the views round (ddl.ts `per`); null when den is 0. */
export function per(num: number, den: number, digits: number, scale = 1): number | null {
  if (den === 0) return null;
  const f = 10 ** digits;
  return Math.floor((scale === 1 ? num / den : num / den / scale) * f + 0.5) / f;
}

export interface StoreCoverage {
  readonly up_ms: number;
  readonly down_ms: number;
}

export interface StoreKpis {
  readonly store_id: string;
  readonly days: number;
  readonly visitors: number;
  readonly consulted_customers: number;
  readonly interaction_ratio: number | null;
  readonly consultations: number;
  readonly successful_consultations: number;
  readonly unsuccessful_consultations: number;
  readonly conversion: number | null;
  readonly buying_customers: number;
  readonly receipts: number;
  readonly revenue: number;
  readonly avg_purchase_with_consultation: number | null;
  readonly avg_purchase_without_consultation: number | null;
  readonly staff_on_floor_seconds: number;
  /** Camera uptime / (uptime + downtime) over the range; null when no camera reported. */
  readonly camera_coverage: number | null;
}

/** A `stores` or `storeDays` row (summed counts) as KPIs, with the store's camera time. */
export function storeKpis(row: Row, cov: StoreCoverage | undefined): StoreKpis {
  const visitors = n(row, 'visitors');
  const consulted = n(row, 'consulted_customers');
  return {
    store_id: s(row, 'store_id'),
    days: n(row, 'days'),
    visitors,
    consulted_customers: consulted,
    interaction_ratio: per(consulted, visitors, 4),
    consultations: n(row, 'consultations'),
    successful_consultations: n(row, 'successful_consultations'),
    unsuccessful_consultations: n(row, 'unsuccessful_consultations'),
    conversion: per(n(row, 'buying_customers'), visitors, 4),
    buying_customers: n(row, 'buying_customers'),
    receipts: n(row, 'receipts'),
    revenue: n(row, 'revenue_minor') / 100,
    avg_purchase_with_consultation: per(n(row, 'amount_with_minor'), n(row, 'buyers_with_consult'), 2, 100),
    avg_purchase_without_consultation: per(n(row, 'amount_without_minor'), n(row, 'buyers_without_consult'), 2, 100),
    staff_on_floor_seconds: n(row, 'staff_on_floor_seconds'),
    camera_coverage: cov ? per(cov.up_ms, cov.up_ms + cov.down_ms, 4) : null,
  };
}

export interface SellerKpis {
  readonly store_id: string;
  readonly seller_id: string;
  readonly days: number;
  readonly customers: number;
  readonly consulted_customers: number;
  readonly interaction_ratio: number | null;
  readonly consultations: number;
  readonly successful_consultations: number;
  readonly unsuccessful_consultations: number;
  /**
   * Summed amount / summed receipts over the range (v_seller_day's raw sums), rounded as the view
   * rounds, so a one-day range is exactly the view's figure; null without receipts.
   */
  readonly avg_purchase_with_consultation: number | null;
  readonly avg_purchase_without_consultation: number | null;
  readonly time_on_floor_seconds: number;
}

export function sellerKpis(row: Row): SellerKpis {
  const customers = n(row, 'customers');
  const consulted = n(row, 'consulted_customers');
  return {
    store_id: s(row, 'store_id'),
    seller_id: s(row, 'seller_id'),
    days: n(row, 'days'),
    customers,
    consulted_customers: consulted,
    interaction_ratio: per(consulted, customers, 4),
    consultations: n(row, 'consultations'),
    successful_consultations: n(row, 'successful_consultations'),
    unsuccessful_consultations: n(row, 'unsuccessful_consultations'),
    avg_purchase_with_consultation: per(n(row, 'amount_with_minor'), n(row, 'receipts_with_consult'), 2, 100),
    avg_purchase_without_consultation: per(n(row, 'amount_without_minor'), n(row, 'receipts_without_consult'), 2, 100),
    time_on_floor_seconds: n(row, 'time_on_floor_seconds'),
  };
}

export interface HourKpis {
  /** Store-local hour of day, 0-23. */
  readonly hour: number;
  /** Store-days with a record for this hour in the range. */
  readonly store_days: number;
  readonly visitors: number;
  readonly consultations: number;
  readonly receipts: number;
  /** consultations / visitors, as the views round ratios; null without visitors. */
  readonly consultations_per_visitor: number | null;
  /** Mean sellers on the floor in this hour: summed staff-hours / store-days, 2 digits. */
  readonly staff_on_floor: number | null;
}

export function hourKpis(row: Row): HourKpis {
  const visitors = n(row, 'visitors');
  const consultations = n(row, 'consultations');
  const storeDays = n(row, 'store_days');
  return {
    hour: n(row, 'hour'),
    store_days: storeDays,
    visitors,
    consultations,
    receipts: n(row, 'receipts'),
    consultations_per_visitor: per(consultations, visitors, 4),
    staff_on_floor: per(n(row, 'staff_centihours'), storeDays, 2, 100),
  };
}

/** Below this uptime a camera-day is a coverage warning (the store page's threshold). */
export const COVERAGE_WARN_BELOW = 0.995;

export interface CameraGap {
  readonly store_id: string;
  readonly camera_id: string;
  readonly day: string;
  readonly uptime_ratio: number;
  readonly down_ms: number;
  readonly outages: number;
}

export interface CoverageReport {
  readonly byStore: ReadonlyMap<string, StoreCoverage>;
  /** Camera-days whose uptime was below COVERAGE_WARN_BELOW, worst first. */
  readonly gaps: readonly CameraGap[];
}

export function coverageOf(rows: readonly Row[]): CoverageReport {
  const byStore = new Map<string, { up_ms: number; down_ms: number }>();
  const gaps: CameraGap[] = [];
  for (const r of rows) {
    const store = s(r, 'store_id');
    const up = n(r, 'up_ms');
    const down = n(r, 'down_ms');
    const acc = byStore.get(store) ?? { up_ms: 0, down_ms: 0 };
    acc.up_ms += up;
    acc.down_ms += down;
    byStore.set(store, acc);
    const ratio = per(up, up + down, 4);
    if (ratio !== null && ratio < COVERAGE_WARN_BELOW)
      gaps.push({ store_id: store, camera_id: s(r, 'camera_id'), day: s(r, 'date'), uptime_ratio: ratio, down_ms: down, outages: n(r, 'outages') });
  }
  gaps.sort((a, b) => a.uptime_ratio - b.uptime_ratio || a.store_id.localeCompare(b.store_id) || a.day.localeCompare(b.day));
  return { byStore, gaps };
}
