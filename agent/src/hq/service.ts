/**
 * What the chain dashboard asks ClickHouse, over the sync's transport (the one module that talks
 * to ClickHouse). Every failure is the transport's FS_REMOTE naming the server; the HTTP layer
 * answers it 502 and the page says so and retries.
 */
import type { CentralTransport } from '../sync/clickhouse.js';
import {
  chainSql,
  coverageOf,
  hourKpis,
  rangeDays,
  sellerKpis,
  shiftDay,
  storeKpis,
  type CameraGap,
  type DateRange,
  type HourKpis,
  type SellerKpis,
  type StoreKpis,
} from './chain.js';

export interface ChainSpan {
  readonly server: string;
  readonly database: string;
  /** null when the views hold no store-day yet. */
  readonly first_day: string | null;
  readonly last_day: string | null;
  readonly stores: number;
}

export interface ChainView {
  readonly server: string;
  readonly database: string;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly stores: readonly StoreKpis[];
  readonly sellers: readonly SellerKpis[];
  readonly coverage: readonly CameraGap[];
  /** Stores with records before or after the range but none inside it. */
  readonly silent_stores: readonly string[];
}

export interface ChainTrends {
  readonly from: string;
  readonly to: string;
  /** One entry per store and day that has a record; days without one are absent (gaps). */
  readonly points: ReadonlyArray<StoreKpis & { readonly day: string }>;
}

export interface ChainHours {
  readonly from: string;
  readonly to: string;
  /** null: every store. */
  readonly store: string | null;
  /** Hours with a record, in order; hours without one are absent. */
  readonly hours: readonly HourKpis[];
}

export interface ChainReader {
  span(): Promise<ChainSpan>;
  view(range: DateRange): Promise<ChainView>;
  trends(to: string, days: number): Promise<ChainTrends>;
  hours(range: DateRange, store: string | null): Promise<ChainHours>;
}

export function chainReader(t: CentralTransport, database: string): ChainReader {
  const db = database;
  return {
    async span() {
      const [row] = await t.queryRows(chainSql.span(db));
      // min() of an empty table is the zero date on every release.
      const first = typeof row?.first_day === 'string' && row.first_day !== '0000-00-00' && row.first_day !== '1970-01-01' ? row.first_day : null;
      const last = first === null ? null : typeof row?.last_day === 'string' ? row.last_day : null;
      return { server: t.url, database: db, first_day: first, last_day: last, stores: first === null ? 0 : Number(row?.stores ?? 0) };
    },
    async view(range) {
      const [stores, cameras, sellers, everyone] = await Promise.all([
        t.queryRows(chainSql.stores(db, range)),
        t.queryRows(chainSql.cameras(db, range)),
        t.queryRows(chainSql.sellers(db, range)),
        t.queryRows(`SELECT DISTINCT store_id FROM ${db}.v_store_day ORDER BY store_id`),
      ]);
      const cov = coverageOf(cameras);
      const kpis = stores.map((r) => storeKpis(r, cov.byStore.get(String(r.store_id))));
      const present = new Set(kpis.map((k) => k.store_id));
      return {
        server: t.url,
        database: db,
        from: range.from,
        to: range.to,
        days: rangeDays(range),
        stores: kpis,
        sellers: sellers.map(sellerKpis),
        coverage: cov.gaps,
        silent_stores: everyone.map((r) => String(r.store_id)).filter((id) => !present.has(id)),
      };
    },
    async hours(range, store) {
      const rows = await t.queryRows(chainSql.hours(db, range, store));
      return { ...range, store, hours: rows.map(hourKpis) };
    },
    async trends(to, days) {
      const range = { from: shiftDay(to, -(days - 1)), to };
      const [rows, cameras] = await Promise.all([t.queryRows(chainSql.storeDays(db, range)), t.queryRows(chainSql.cameras(db, range))]);
      const cov = new Map<string, { up_ms: number; down_ms: number }>();
      for (const c of cameras) {
        const k = `${String(c.store_id)}|${String(c.date)}`;
        const acc = cov.get(k) ?? { up_ms: 0, down_ms: 0 };
        acc.up_ms += Number(c.up_ms);
        acc.down_ms += Number(c.down_ms);
        cov.set(k, acc);
      }
      return { ...range, points: rows.map((r) => ({ ...storeKpis(r, cov.get(`${String(r.store_id)}|${String(r.date)}`)), day: String(r.date) })) };
    },
  };
}
