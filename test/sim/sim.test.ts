import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../agent/src/cli/main.js';
import { MisuseError } from '../../agent/src/core/errors.js';
import { analyzeStoreDay, cameraSceneFromConfig } from '../../agent/src/metrics/store-day.js';
import { confusion, keyMetricErrors, KEY_METRICS } from '../../agent/src/sim/evaluate.js';
import { positionAt } from '../../agent/src/sim/path.js';
import { createRng } from '../../agent/src/sim/prng.js';
import { validateScenario } from '../../agent/src/sim/scenario.js';
import { simulateDay, type SimulatedDay } from '../../agent/src/sim/simulate.js';
import { variedScenario } from '../../agent/src/sim/varied.js';

const analyze = (d: SimulatedDay) =>
  analyzeStoreDay({
    storeId: d.config.store.id,
    timeZone: d.config.store.timezone,
    date: d.scenario.date,
    cameras: d.config.cameras.map(cameraSceneFromConfig),
    analytics: d.config.analytics,
    tracks: d.streams,
    receipts: d.receipts,
    shifts: d.shifts,
  });

describe('seeded PRNG', () => {
  it('is deterministic per seed and roughly uniform', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 2000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(createRng(43).next()).not.toBe(xs[0]);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});

describe('scenario validation', () => {
  const ok = {
    date: '2025-04-08',
    hours: { open: '10:00', close: '12:00' },
    sellers: [{ id: 's1', name: 'A', start: '10:00', end: '12:00', post: 'counter' }],
    customers: { arrivals_per_hour: 10 },
  };
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['unknown key', { ...ok, weather: 'rain' }, /weather: unknown key/],
    ['bad date', { ...ok, date: '2025-02-30' }, /date: expected YYYY-MM-DD/],
    ['close before open', { ...ok, hours: { open: '12:00', close: '10:00' } }, /hours\.close: close must be after open/],
    ['bad post', { ...ok, sellers: [{ ...ok.sellers[0], post: 'roof' }] }, /sellers\[0\]\.post/],
    ['pixel fallback with 2 cameras', { ...ok, cameras: { count: 2, homography: false } }, /cameras\.homography: .*count: 1/],
    ['duplicate seller', { ...ok, sellers: [ok.sellers[0], ok.sellers[0]] }, /sellers\[1\]\.id: duplicate seller id "s1"/],
  ])('%s', (_n, raw, err) => {
    expect(() => validateScenario(raw)).toThrow(MisuseError);
    expect(() => validateScenario(raw)).toThrow(err);
  });
});

describe('seller posts', () => {
  it('no two sellers stand on one spot (one camera, three floor sellers)', () => {
    const sc = variedScenario(15, { hours: { open: '10:00', close: '11:00' } });
    expect(sc.cameras.count).toBe(1);
    expect(sc.sellers.filter((s) => s.post === 'floor')).toHaveLength(3);
    const d = simulateDay(sc, 15);
    // Where each seller spends most of the hour: the median of their positions every 10 s.
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const home = d.plan.persons
      .filter((p) => p.role === 'seller')
      .map((p) => {
        const at = Array.from({ length: 360 }, (_, k) => positionAt(p.points, d.plan.open + 10 * k));
        return [median(at.map((q) => q[0])), median(at.map((q) => q[1]))] as const;
      });
    expect(home).toHaveLength(4);
    for (let i = 0; i < home.length; i++)
      for (let j = i + 1; j < home.length; j++) expect(Math.hypot(home[i]![0] - home[j]![0], home[i]![1] - home[j]![1])).toBeGreaterThan(1);
  });
});

describe('simulated store days, analysed end to end', () => {
  const short = { hours: { open: '10:00', close: '13:00' } };
  const days = [2, 5, 7].map((seed) => simulateDay(variedScenario(seed, short), seed));

  it('the same seed gives the same day', () => {
    const again = simulateDay(variedScenario(5, short), 5);
    expect(again.receiptsCsv).toBe(days[1]!.receiptsCsv);
    expect(again.streams[0]!.rows.slice(0, 50)).toEqual(days[1]!.streams[0]!.rows.slice(0, 50));
    expect(again.truth).toEqual(days[1]!.truth);
  });

  it('the four key metrics come out close to the truth; sellers come out as staff', () => {
    const errs: number[] = [];
    for (const d of days) {
      const r = analyze(d);
      const e = keyMetricErrors(r.report, d.truth);
      for (const k of KEY_METRICS) if (e[k] !== null) errs.push(e[k]!);
      const c = confusion(r, d.streams);
      // Most seller time is seen as staff (id switches with customers cost some), and no customer
      // time is mistaken for staff.
      expect(c.seconds.seller.staff / (c.seconds.seller.staff + c.seconds.seller.customer)).toBeGreaterThan(0.8);
      expect(c.seconds.customer.staff / (c.seconds.customer.customer + c.seconds.customer.staff)).toBeLessThan(0.05);
      expect(r.consultations.filter((c) => c.outcome === 'successful')).toHaveLength(r.report.store.successful_consultations);
      expect(r.consultations[0]).toMatchObject({
        store: d.config.store.id,
        camera: expect.stringMatching(/^cam\d$/),
        sellerId: expect.stringMatching(/^s\d$/),
      });
      expect(r.report.store.customers).toBeGreaterThan(0.9 * d.truth.store.customers);
      expect(r.report.store.customers).toBeLessThan(1.1 * d.truth.store.customers);
    }
    const mean = errs.reduce((s, x) => s + x, 0) / errs.length;
    expect(mean).toBeLessThan(0.1);
  });

  it('the design baseline (longest person is the seller) does worse on a multi-seller day', () => {
    const d = days[1]!; // seed 5: two sellers
    const base = analyzeStoreDay({
      storeId: d.config.store.id,
      timeZone: d.config.store.timezone,
      date: d.scenario.date,
      cameras: d.config.cameras.map(cameraSceneFromConfig),
      analytics: { ...d.config.analytics, roles: { ...d.config.analytics.roles, method: 'longest' } },
      tracks: d.streams,
      receipts: d.receipts,
      shifts: d.shifts,
    });
    const better = analyze(d);
    const err = (r: typeof base) => Object.values(keyMetricErrors(r.report, d.truth)).reduce<number>((s, x) => s + (x ?? 0), 0);
    expect(err(base)).toBeGreaterThan(err(better));
  });
});

describe('floorsense simulate + report (interchange files, CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-sim-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the layout, then reports from it with the issue’s JSON keys', async () => {
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      'date: "2025-04-08"\nhours: {open: "10:00", close: "12:00"}\nsellers:\n  - {id: s1, name: Anna, start: "10:00", end: "12:00", post: counter}\ncustomers: {arrivals_per_hour: 12}\n',
    );
    const out = join(dir, 'day');
    const log: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    const origLog = console.log;
    console.log = (...a: unknown[]) => void log.push(a.join(' '));
    expect(await main(['simulate', '--config', scenario, '--seed', '3', '--out', out])).toBe(0);
    let json = '';
    process.stdout.write = ((s: string) => ((json += s), true)) as typeof process.stdout.write;
    try {
      expect(
        await main([
          'report',
          '--config',
          join(out, 'store.yaml'),
          '--tracks',
          join(out, 'tracks'),
          '--receipts',
          join(out, 'receipts.csv'),
          '--schedule',
          join(out, 'schedule.csv'),
          '--date',
          '2025-04-08',
          '--json',
        ]),
      ).toBe(0);
    } finally {
      process.stdout.write = orig;
      console.log = origLog;
    }
    const report = JSON.parse(json) as { date: string; store: Record<string, unknown>; sellers: Array<Record<string, unknown>> };
    const keys = [
      'customers',
      'consulted_customers',
      'interaction_ratio',
      'consultations',
      'successful_consultations',
      'unsuccessful_consultations',
      'conversion',
      'avg_purchase_with_consultation',
      'avg_purchase_without_consultation',
      'mean_consultation_seconds',
    ];
    expect(report.date).toBe('2025-04-08');
    for (const k of keys) expect(report.store).toHaveProperty(k);
    expect(report.sellers[0]).toHaveProperty('seller_id', 's1');
    for (const k of keys) expect(report.sellers[0]).toHaveProperty(k);
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as { kpis: { store: { customers: number } } };
    expect(Math.abs((report.store.customers as number) - truth.kpis.store.customers)).toBeLessThanOrEqual(Math.max(2, 0.1 * truth.kpis.store.customers));
    expect(readFileSync(join(out, 'tracks', 'cam1.json'), 'utf8')).toMatch(/"fps": 1/);
  });

  it('a missing track file is a clear error naming the path', async () => {
    const errs: string[] = [];
    const origErr = console.error;
    console.error = (...a: unknown[]) => void errs.push(a.join(' '));
    try {
      const code = await main(['report', '--config', join(dir, 'day', 'store.yaml'), '--tracks', join(dir, 'nowhere'), '--date', '2025-04-08']);
      expect(code).toBe(1);
    } finally {
      console.error = origErr;
    }
    expect(errs.join('\n')).toMatch(/cannot read .*nowhere\/cam1\.json/);
  });
});
