/**
 * The real-footage check of the analytics: the checkout clip through the real vision pipeline, then
 * the store-day analytics with the zones drawn for that camera (config/stores/checkout-demo.yaml).
 * The cashier behind the counter must come out as staff (mapped to the seller on shift) and the two
 * shoppers as customers. The same run checks the per-track torso colours the uniform hint uses.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyzeSource } from '../../agent/src/pipeline/analyze.js';
import { trackerOptions } from '../../agent/src/track/index.js';
import { loadConfigFile } from '../../agent/src/config/load.js';
import { analyzeStoreDay, cameraSceneFromConfig } from '../../agent/src/metrics/store-day.js';
import { parseScheduleCsv } from '../../agent/src/sales/schedule.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');

describe.skipIf(!ok)('checkout clip: who is staff', () => {
  it('finds the cashier as the seller on shift and the two shoppers as customers; measures torso colours', async () => {
    const cfg = loadConfigFile(join(REPO_ROOT, 'config', 'stores', 'checkout-demo.yaml'));
    const cam = cfg.cameras[0]!;
    const start = Date.parse('2026-11-20T10:00:00+01:00');
    const r = await analyzeSource({
      url: dataPath('video/checkout_counter_cashier.mp4'),
      sourceId: cam.id,
      sampling: { stride: 25, keyframes: 'auto' },
      detector: {},
      tracker: trackerOptions({ appearance: false }),
      appearance: false,
      reidModel: 'osnet_x0_25_msmt17',
      motionGate: {},
      preview: null,
      startTimeMs: start,
      warn: () => {},
    });
    expect(r.error).toBeNull();
    // Every track gets one mean torso colour (the uniform hint's input), integers in 0..255, and the
    // people in this clip are not all one flat value.
    const ids = [...new Set(r.rows.map((row) => row.id))].sort((a, b) => a - b);
    expect([...r.colors.keys()].sort((a, b) => a - b)).toEqual(ids);
    for (const c of r.colors.values()) {
      expect(c).toHaveLength(3);
      for (const v of c) expect(Number.isInteger(v) && v >= 0 && v <= 255).toBe(true);
    }
    expect(new Set([...r.colors.values()].map((c) => c.join(','))).size).toBeGreaterThan(1);
    const shifts = parseScheduleCsv('date,seller_id,name,start,end\n2026-11-20,S1,Cashier,09:00,18:00\n', 'schedule.csv', cfg.store.timezone);
    const day = analyzeStoreDay({
      storeId: cfg.store.id,
      timeZone: cfg.store.timezone,
      date: '2026-11-20',
      cameras: [cameraSceneFromConfig(cam)],
      analytics: cfg.analytics,
      tracks: [{ camera: cam.id, timebase: { startMs: start, fps: r.info.fps, width: r.info.width, height: r.info.height }, rows: r.rows }],
      receipts: [],
      shifts: shifts.rows,
    });
    const staff = day.roles.filter((a) => a.role === 'staff');
    const customers = day.roles.filter((a) => a.role === 'customer');
    expect(staff).toHaveLength(1);
    expect(staff[0]!.sellerId).toBe('S1');
    // The cashier stands behind the counter on the right of the image.
    const feetX = staff[0]!.person.obs.map((o) => o.foot[0]);
    expect(Math.min(...feetX)).toBeGreaterThan(500);
    expect(customers).toHaveLength(2);
    for (const c of customers) expect(Math.max(...c.person.obs.map((o) => o.foot[0]))).toBeLessThan(560);
    expect(day.report.store.customers).toBe(2);
  });
});
