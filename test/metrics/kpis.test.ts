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
    expect(s1).toMatchObject({ customers: 3, consulted_customers: 1, interaction_ratio: 0.3333, consultations: 2, successful_consultations: 2, unsuccessful_consultations: 0, conversion: 1, avg_purchase_with_consultation: 100, avg_purchase_without_consultation: 20, mean_consultation_seconds: 45, time_on_floor_seconds: 3600 });
    expect(s2).toMatchObject({ customers: 3, consulted_customers: 2, consultations: 2, successful_consultations: 1, unsuccessful_consultations: 1, conversion: 0.5, avg_purchase_with_consultation: 50, avg_purchase_without_consultation: 20 });
  });

  it('an empty day has null ratios, not NaN', () => {
    const r = computeDayKpis({ storeId: 's', date: '2025-04-09', timeZone: 'UTC', visits: [], consultations: [], purchases: new Map(), shifts: [], sellerFloorSeconds: new Map() });
    expect(r.store.interaction_ratio).toBeNull();
    expect(r.store.avg_purchase_with_consultation).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/NaN/);
  });
});
