import { describe, expect, it } from 'vitest';
import { computeDayKpis } from '../../agent/src/metrics/kpis.js';

const at = (h: number, m = 0) => Date.UTC(2025, 3, 8, h - 2, m); // Europe/Berlin summer time
const visit = (id: string, h: number, m = 0) => ({ visitId: id, start: at(h, m), end: at(h, m + 15) });
const cons = (seller: string, v: string, h: number, dur: number) => ({ sellerId: seller, visitId: v, start: at(h), end: at(h) + dur * 1000, durationS: dur });

describe('day KPIs', () => {
  const report = computeDayKpis({
    storeId: 'st1',
    date: '2025-04-08',
    timeZone: 'Europe/Berlin',
    visits: [visit('v1', 10), visit('v2', 11), visit('v3', 12), visit('v4', 15), visit('v5', 0, 30), { visitId: 'x', start: at(1) - 3 * 3600_000, end: at(1) }],
    consultations: [cons('s1', 'v1', 10, 60), cons('s1', 'v1', 10, 30), cons('s2', 'v2', 11, 120), cons('s2', 'v4', 15, 90)],
    purchases: new Map([
      ['v1', 100],
      ['v3', 20],
      ['v4', 50],
      ['x', 999],
    ]),
    shifts: [
      { date: '2025-04-08', sellerId: 's1', name: 'A', start: at(9), end: at(13) },
      { date: '2025-04-08', sellerId: 's2', name: 'B', start: at(11), end: at(19) },
    ],
    sellerFloorSeconds: new Map([['s1', 3600]]),
  });

  it('store KPIs with the issue’s key names', () => {
    expect(report.date).toBe('2025-04-08');
    expect(report.store).toMatchObject({
      store_id: 'st1',
      customers: 5,
      consulted_customers: 3,
      interaction_ratio: 0.6,
      consultations: 4,
      successful_consultations: 3,
      unsuccessful_consultations: 1,
      conversion: 0.6,
      avg_purchase_with_consultation: 75,
      avg_purchase_without_consultation: 20,
      mean_consultation_seconds: 75,
    });
  });

  it('seller KPIs: customers overlap the shift; averages over their own consulted buyers', () => {
    const s1 = report.sellers.find((s) => s.seller_id === 's1')!;
    const s2 = report.sellers.find((s) => s.seller_id === 's2')!;
    expect(s1).toMatchObject({
      customers: 3,
      consulted_customers: 1,
      interaction_ratio: 0.3333,
      consultations: 2,
      successful_consultations: 2,
      unsuccessful_consultations: 0,
      conversion: 1,
      avg_purchase_with_consultation: 100,
      avg_purchase_without_consultation: 20,
      mean_consultation_seconds: 45,
      time_on_floor_seconds: 3600,
    });
    expect(s2).toMatchObject({
      customers: 3,
      consulted_customers: 2,
      consultations: 2,
      successful_consultations: 1,
      unsuccessful_consultations: 1,
      conversion: 0.5,
      avg_purchase_with_consultation: 50,
      avg_purchase_without_consultation: 20,
    });
  });

  it('an empty day has null ratios, not NaN', () => {
    const r = computeDayKpis({
      storeId: 's',
      date: '2025-04-09',
      timeZone: 'UTC',
      visits: [],
      consultations: [],
      purchases: new Map(),
      shifts: [],
      sellerFloorSeconds: new Map(),
    });
    expect(r.store.interaction_ratio).toBeNull();
    expect(r.store.avg_purchase_with_consultation).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/NaN/);
  });
});

describe('per-seller baselines, attribution, names and staff metrics', () => {
  const rec = (id: string, h: number, total: number, visitId: string | null, sellerCode: string | null = null, currency = 'RUB') => ({
    receiptId: id,
    t: at(h, 10),
    total,
    currency,
    sellerCode,
    visitId,
  });
  const report = computeDayKpis({
    storeId: 'st1',
    date: '2025-04-08',
    timeZone: 'Europe/Berlin',
    visits: [visit('v1', 10), visit('v2', 10, 20), visit('v3', 12), visit('v4', 13), visit('v5', 14)],
    // v1 consulted by s1 then s2 (s2 ended last); v4 by s2.
    consultations: [cons('s1', 'v1', 10, 60), { ...cons('s2', 'v1', 10, 60), start: at(10, 5), end: at(10, 6) }, cons('s2', 'v4', 13, 30)],
    purchases: new Map([
      ['v1', 100],
      ['v2', 40],
      ['v3', 20],
      ['v4', 60],
    ]),
    shifts: [
      { date: '2025-04-08', sellerId: 's1', name: 'Анна Иванова', start: at(9), end: at(11, 30) },
      { date: '2025-04-08', sellerId: 's2', name: 'Борис Петров', start: at(12), end: at(19) },
    ],
    sellerFloorSeconds: new Map([
      ['s1', 9000],
      ['s2', 7200],
    ]),
    // r2: unconsulted visit, POS names s1; r3: unconsulted, POS names nobody we know; r5: no visit, code s2; r6 no visit, no code.
    receipts: [
      rec('r1', 10, 100, 'v1', 's1'),
      rec('r2', 10, 40, 'v2', 's1'),
      rec('r3', 12, 20, 'v3', 'zz'),
      rec('r4', 13, 60, 'v4'),
      rec('r5', 15, 5, null, 's2'),
      rec('r6', 16, 7, null, null, 'EUR'),
    ],
  });
  const s1 = report.sellers.find((s) => s.seller_id === 's1')!;
  const s2 = report.sellers.find((s) => s.seller_id === 's2')!;

  it("avg purchase without consultation is each seller's own shift figure, not the store's", () => {
    expect(report.store.avg_purchase_without_consultation).toBe(30); // v2 40, v3 20
    expect(s1.avg_purchase_without_consultation).toBe(40); // only v2 falls in s1's shift
    expect(s2.avg_purchase_without_consultation).toBe(20); // only v3 falls in s2's shift
  });

  it('attributes each receipt to at most one seller: last consultant first, then the POS seller code', () => {
    // r1: v1 last consulted by s2 (POS code s1 loses); r2: unconsulted, code s1; r4: s2 consulted; r5: code s2.
    expect(s1).toMatchObject({ attributed_receipts: 1, attributed_revenue: 40 });
    expect(s2).toMatchObject({ attributed_receipts: 3, attributed_revenue: 165 });
    expect(report.store).toMatchObject({ receipts: 6, receipts_total: 232, unattributed_receipts: 2 });
    expect(s1.attributed_revenue + s2.attributed_revenue).toBeLessThanOrEqual(report.store.receipts_total);
  });

  it('names from the schedule, currency from the receipts, Palexy-style staff metrics', () => {
    expect(s1.name).toBe('Анна Иванова');
    expect(s2.name).toBe('Борис Петров');
    expect(report.currency).toBe('RUB');
    expect(report.store.staff_hours).toBe(4.5);
    expect(report.store.visitors_per_staff_hour).toBe(1.11); // 5 / 4.5
    expect(report.store.sales_per_staff_hour).toBe(51.56); // 232 / 4.5
    // First contacts: v1 by s1 at +0 s, v4 by s2 at +0 s (consultations start with the visit here).
    expect(report.store.median_time_to_first_contact_s).toBe(0);
    expect(s2.median_time_to_first_contact_s).toBe(0);
  });

  it('a seller without a schedule name has name null (the page shows the id)', () => {
    const r = computeDayKpis({
      storeId: 's',
      date: '2025-04-08',
      timeZone: 'Europe/Berlin',
      visits: [visit('v1', 10)],
      consultations: [cons('s9', 'v1', 10, 30)],
      purchases: new Map(),
      shifts: [],
      sellerFloorSeconds: new Map(),
    });
    expect(r.sellers.map((s) => [s.seller_id, s.name])).toEqual([['s9', null]]);
    expect(r.currency).toBeNull();
    expect(r.store.visitors_per_staff_hour).toBeNull();
  });
});
