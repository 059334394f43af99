/**
 * The store-level records of a day without video (metrics/chain-records.ts): local hours (23 on the
 * day clocks go forward), POS receipts bucketed by local hour, camera coverage summed. Days with
 * video are checked against `floorsense report --json` in test/sync/chain-views.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { chainRecordsOf } from '../../agent/src/metrics/chain-records.js';
import { zonedToUtc } from '../../agent/src/core/local-time.js';

describe('chain records of a day without video', () => {
  it('has one record per local hour, receipts in their local hour, coverage and shifts counted', () => {
    const tz = 'Europe/Berlin';
    const date = '2025-03-30'; // clocks go from 02:00 to 03:00
    const at = (hhmm: string): number => zonedToUtc(date, hhmm, tz);
    const r = chainRecordsOf({
      date,
      timeZone: tz,
      day: null,
      shifts: [
        { date, sellerId: 's1', name: 'Anna', start: at('10:00'), end: at('18:00') },
        { date, sellerId: 's2', name: 'Boris', start: at('12:00'), end: at('20:00') },
        { date: '2025-03-31', sellerId: 's3', name: 'Vera', start: at('10:00') + 86_400_000, end: at('18:00') + 86_400_000 },
      ],
      receipts: [
        { tMs: at('10:05'), amountMinor: 1999 },
        { tMs: at('10:59'), amountMinor: 1 },
        { tMs: at('23:59'), amountMinor: 500 },
      ],
      uptime: [
        { cameraId: 'cam1', day: date, upMs: 3_000, downMs: 1_000, outages: 1 },
        { cameraId: 'cam2', day: date, upMs: 4_000, downMs: 0, outages: 0 },
      ],
    });
    expect(r.hours.length).toBe(23);
    expect(r.hours[0]?.hourMs).toBe(at('00:00'));
    expect(r.hours[2]?.hourMs).toBe(at('03:00')); // 02:00 does not exist that day
    // The wall-clock hour the chain's views group by: 0, 1, then 3 on the spring-forward day.
    expect(r.hours.slice(0, 4).map((h) => h.localHour)).toEqual([0, 1, 3, 4]);
    expect(r.hours.at(-1)?.localHour).toBe(23);
    const busy = r.hours.filter((h) => h.receipts > 0).map((h) => [h.hourMs, h.receipts, h.receiptsAmountMinor]);
    expect(busy).toEqual([
      [at('10:00'), 2, 2000],
      [at('23:00'), 1, 500],
    ]);
    expect(r.sellers).toEqual([]);
    expect(r.store).toMatchObject({
      visitors: 0,
      consultations: 0,
      receipts: 3,
      receiptsAmountMinor: 2500,
      sellersOnShift: 2,
      cameras: 2,
      cameraUpMs: 7_000,
      cameraDownMs: 1_000,
      staffSeconds: 0,
    });
  });
});
