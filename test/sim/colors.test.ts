import { describe, expect, it } from 'vitest';
import { analyzeStoreDay, cameraSceneFromConfig } from '../../agent/src/metrics/store-day.js';
import { simulateDay, type SimulatedDay } from '../../agent/src/sim/simulate.js';
import { variedScenario } from '../../agent/src/sim/varied.js';

const dist = (a: readonly number[], b: readonly number[]): number => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
const UNIFORM = [200, 30, 40];

describe('simulated torso colours', () => {
  const seed = 6; // busy, three sellers, two cameras
  const sc = variedScenario(seed, { hours: { open: '10:00', close: '13:00' } });
  const plain = simulateDay(sc, seed);
  const worn = simulateDay({ ...sc, colors: { enabled: true, uniform: '#c81e28', noise: 15 } }, seed);

  it('are off by default and, when on, leave tracks, receipts and truth unchanged and configure the hint', () => {
    expect(plain.streams.every((s) => s.colors === undefined)).toBe(true);
    expect(plain.config.analytics.roles.uniform).toBeUndefined();
    expect(worn.streams.map((s) => s.rows)).toEqual(plain.streams.map((s) => s.rows));
    expect(worn.truth).toEqual(plain.truth);
    expect(worn.config.analytics.roles.uniform).toEqual({ color: '#c81e28', tolerance: 60, weight: 1 });
  });

  it('dress seller tracks in the uniform and customers in their own colours', () => {
    const seller: number[] = [];
    const customer: number[] = [];
    for (const s of worn.streams) {
      const ids = [...new Set(s.rows.map((r) => r.id))];
      expect(ids.every((id) => s.colors!.has(id))).toBe(true);
      for (const id of ids) {
        const label = s.labels.get(id)!;
        if (label.startsWith('seller:')) seller.push(dist(s.colors!.get(id)!, UNIFORM));
        else if (label.startsWith('customer:')) customer.push(dist(s.colors!.get(id)!, UNIFORM));
      }
    }
    expect(seller.length).toBeGreaterThan(5);
    // 15 per channel: distance ~ 15 * sqrt(3) on average, well inside the default tolerance 60.
    expect(seller.filter((d) => d <= 60).length / seller.length).toBeGreaterThan(0.95);
    expect(customer.filter((d) => d <= 60).length / customer.length).toBeLessThan(0.1);
  });

  it('with the hint, no more staff/customer confusions than without', () => {
    const wrong = (d: SimulatedDay): number => {
      const r = analyzeStoreDay({
        storeId: d.config.store.id,
        timeZone: d.config.store.timezone,
        date: d.scenario.date,
        cameras: d.config.cameras.map(cameraSceneFromConfig),
        analytics: d.config.analytics,
        tracks: d.streams,
        receipts: d.receipts,
        shifts: d.shifts,
      });
      let n = 0;
      for (const a of r.roles) {
        const labels = a.person.fragments.map((f) => d.streams.find((s) => s.camera === f.camera)!.labels.get(f.track) ?? 'false');
        const sellerRows = labels.filter((l) => l.startsWith('seller:')).length;
        const truthStaff = sellerRows * 2 > labels.length;
        if ((a.role === 'staff') !== truthStaff) n++;
      }
      return n;
    };
    const base = wrong(plain);
    const hinted = wrong(worn);
    console.log(`persons with the wrong role, seed ${seed}: ${base} without colours, ${hinted} with the uniform hint`);
    expect(hinted).toBeLessThanOrEqual(base);
  });
});
