/**
 * Torso colours on real footage: the checkout clip through the real vision pipeline (motion-only
 * tracking, stride 25). Every track gets one mean colour in RGB range; the cashier's and the
 * shoppers' colours are printed for the uniform-hint calibration.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../agent/src/pipeline/analyze.js';
import { trackerOptions } from '../../agent/src/track/index.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');

describe.skipIf(!ok)('checkout clip: torso colours', () => {
  it('gives every track one mean torso colour in 0..255', async () => {
    const r = await analyzeSource({
      url: dataPath('video/checkout_counter_cashier.mp4'),
      sourceId: 'checkout',
      sampling: { stride: 25, keyframes: 'auto' },
      detector: {},
      tracker: trackerOptions({ appearance: false }),
      appearance: false,
      reidModel: 'osnet_x0_25_msmt17',
      motionGate: {},
      preview: null,
      warn: () => {},
    });
    expect(r.error).toBeNull();
    const ids = new Set(r.rows.map((row) => row.id));
    expect(ids.size).toBeGreaterThan(0);
    expect([...r.colors.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    for (const c of r.colors.values()) {
      expect(c).toHaveLength(3);
      for (const v of c) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(255);
      }
    }
    // Not one flat value: the people in this clip are dressed differently.
    expect(new Set([...r.colors.values()].map((c) => c.join(','))).size).toBeGreaterThan(1);
    for (const id of [...ids].sort((a, b) => a - b)) {
      const mine = r.rows.filter((row) => row.id === id);
      // The cashier stands behind the counter on the right: box centres right of x = 500.
      const cashier = Math.min(...mine.map((row) => row.x + row.w / 2)) > 500;
      console.log(`track ${id} (${cashier ? 'cashier' : 'customer'}, ${mine.length} rows, x ${Math.round(Math.min(...mine.map((m) => m.x)))}..${Math.round(Math.max(...mine.map((m) => m.x + m.w)))}): rgb ${r.colors.get(id)!.join(',')}`);
    }
  }, 20_000);
});
