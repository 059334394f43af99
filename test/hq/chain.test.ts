/**
 * The chain dashboard's pure parts: range checks, the KPIs of summed view rows (with the views'
 * rounding, so one day reproduces the view's own figure), coverage gaps, and the dictionary (both
 * languages, every key used by the page, every key the page uses defined).
 */
import { describe, expect, it } from 'vitest';
import { i18nScript } from '../../agent/src/ui/index.js';
import { HQ_MESSAGES, HQ_PAGE_JS, checkDatabase, checkRange, coverageOf, hqPageHtml, per, sellerKpis, storeKpis } from '../../agent/src/hq/index.js';

describe('checkRange', () => {
  it.each([
    ['2025-04-01', '2025-04-30', null],
    ['2025-04-08', '2025-04-08', null],
    ['2025-04-31', '2025-05-01', 'from "2025-04-31" is not a calendar date YYYY-MM-DD'],
    ['2025-04-01', '20250402', 'to "20250402" is not a calendar date YYYY-MM-DD'],
    ['2025-04-09', '2025-04-08', 'from 2025-04-09 is after to 2025-04-08'],
    ['2024-01-01', '2025-04-08', '2024-01-01..2025-04-08 is 464 days; at most 400'],
  ])('%s..%s', (from, to, error) => {
    if (error === null) expect(checkRange(from, to)).toEqual({ from, to });
    else expect(() => checkRange(from, to)).toThrow(error);
  });
  it('refuses a database name that is not an identifier (it goes into SQL)', () => {
    expect(checkDatabase('chain_1')).toBe('chain_1');
    expect(() => checkDatabase('x; DROP TABLE y')).toThrow(/not a ClickHouse identifier/);
  });
});

describe('KPIs of summed view rows', () => {
  it('rounds half up as the views do, and a zero denominator is null', () => {
    // 1001 minor over 2 buyers: 5.005 -> 5.01 (Math.round of floats would give 5 on some inputs).
    expect(per(1001, 2, 2, 100)).toBe(5.01);
    expect(per(1, 3, 4)).toBe(0.3333);
    expect(per(2, 3, 4)).toBe(0.6667);
    expect(per(5, 0, 4)).toBeNull();
  });

  it('a store row: 18.16 quotes 64-bit integers; ratios from the sums, amounts from minor units', () => {
    const row = {
      store_id: 'a',
      days: '2',
      visitors: '40',
      consulted_customers: '10',
      consultations: '12',
      successful_consultations: '5',
      unsuccessful_consultations: '7',
      buying_customers: '9',
      receipts: '11',
      revenue_minor: '123457',
      buyers_with_consult: '4',
      amount_with_minor: '40001',
      buyers_without_consult: '0',
      amount_without_minor: '0',
      staff_on_floor_seconds: '3600',
    };
    expect(storeKpis(row, { up_ms: 3, down_ms: 1 })).toEqual({
      store_id: 'a',
      days: 2,
      visitors: 40,
      consulted_customers: 10,
      interaction_ratio: 0.25,
      consultations: 12,
      successful_consultations: 5,
      unsuccessful_consultations: 7,
      conversion: 0.225,
      buying_customers: 9,
      receipts: 11,
      revenue: 1234.57,
      avg_purchase_with_consultation: 100,
      avg_purchase_without_consultation: null,
      staff_on_floor_seconds: 3600,
      camera_coverage: 0.75,
    });
    expect(storeKpis(row, undefined).camera_coverage).toBeNull();
    expect(() => storeKpis({ ...row, visitors: 'x' }, undefined)).toThrow(/column visitors is "x", not a number/);
  });

  it('a seller over several days: purchase means from the summed receipts and amounts, not a mean of daily means', () => {
    const base = {
      store_id: 'a',
      seller_id: 's1',
      customers: 20,
      consulted_customers: 5,
      consultations: 6,
      successful_consultations: 2,
      unsuccessful_consultations: 4,
      time_on_floor_seconds: 100,
    };
    // One day: 1001 minor over 2 receipts rounds half up as the view does (5.005 -> 5.01); no receipts -> null.
    expect(
      sellerKpis({ ...base, days: 1, receipts_with_consult: 2, amount_with_minor: 1001, receipts_without_consult: 0, amount_without_minor: 0 }),
    ).toMatchObject({
      interaction_ratio: 0.25,
      avg_purchase_with_consultation: 5.01,
      avg_purchase_without_consultation: null,
    });
    // Two days, 18.16-quoted: 1 receipt of 100.00 and 3 of 20.00 -> 160.00 / 4 = 40.00 (the mean of the two daily means would be 60.00).
    expect(
      sellerKpis({ ...base, days: '2', receipts_with_consult: '4', amount_with_minor: '16000', receipts_without_consult: '3', amount_without_minor: '10001' }),
    ).toMatchObject({
      days: 2,
      avg_purchase_with_consultation: 40,
      avg_purchase_without_consultation: 33.34,
    });
    expect(() => sellerKpis({ ...base, days: 2, amount_with_minor: 5, receipts_without_consult: 0, amount_without_minor: 0 })).toThrow(
      /column receipts_with_consult is undefined, not a number .*floorsense sync --init/,
    );
  });

  it('coverage: camera time summed per store; camera-days below 99.5 % listed worst first', () => {
    const c = coverageOf([
      { store_id: 'a', camera_id: 'cam1', date: '2025-04-08', up_ms: 900, down_ms: 100, outages: 1 },
      { store_id: 'a', camera_id: 'cam2', date: '2025-04-08', up_ms: 1000, down_ms: 0, outages: 0 },
      { store_id: 'b', camera_id: 'cam1', date: '2025-04-09', up_ms: 500, down_ms: 500, outages: 2 },
      { store_id: 'b', camera_id: 'cam1', date: '2025-04-10', up_ms: 0, down_ms: 0, outages: 0 },
    ]);
    expect(Object.fromEntries(c.byStore)).toEqual({ a: { up_ms: 1900, down_ms: 100 }, b: { up_ms: 500, down_ms: 500 } });
    expect(c.gaps.map((g) => [g.store_id, g.camera_id, g.day, g.uptime_ratio])).toEqual([
      ['b', 'cam1', '2025-04-09', 0.5],
      ['a', 'cam1', '2025-04-08', 0.9],
    ]);
  });
});

describe('hq dictionary', () => {
  // The shared helpers' own keys (units of FS.dur) count as used: the script is served with the table.
  const sources = [hqPageHtml({ locale: 'ru', server: 'http://x', retrySeconds: 5, currency: 'RUB' }), HQ_PAGE_JS, i18nScript({ ru: {}, en: {} })];
  const used = new Set<string>();
  for (const src of sources) {
    for (const m of src.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)) used.add(m[1]!);
    for (const m of src.matchAll(/\bt\('([^']+)'/g)) used.add(m[1]!);
    // The KPI and column tables name their label keys as the second item of each entry.
    for (const m of src.matchAll(/\['[a-z_]+', '([a-z_.]+)'/g)) used.add(m[1]!);
  }
  const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

  it('has every key in both languages with the same placeholders, Cyrillic in Russian', () => {
    const en = Object.keys(HQ_MESSAGES.en).sort();
    expect(Object.keys(HQ_MESSAGES.ru).sort()).toEqual(en);
    for (const k of en) {
      expect(placeholders(HQ_MESSAGES.ru[k]!), k).toEqual(placeholders(HQ_MESSAGES.en[k]!));
      if (k !== 'hq.col.rank') expect(HQ_MESSAGES.ru[k], k).toMatch(/[А-Яа-яЁё]/);
    }
  });

  it('defines every key the page uses and nothing else', () => {
    const defined = new Set(Object.keys(HQ_MESSAGES.en));
    expect(
      [...used].filter((k) => !defined.has(k)),
      'used but not defined',
    ).toEqual([]);
    expect(
      [...defined].filter((k) => !used.has(k)),
      'defined but unused',
    ).toEqual([]);
  });

  it('names the ClickHouse server in the page, escaped', () => {
    expect(hqPageHtml({ locale: 'en', server: 'http://a"b<c>', retrySeconds: 7, currency: null })).toContain(
      'data-server="http://a&#34;b&#60;c&#62;" data-retry="7"',
    );
  });
});
