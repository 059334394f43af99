import { describe, expect, it } from 'vitest';
import { healthSection } from '../../agent/src/config/sections/health.js';
import { DEFAULT_CAMERA_THRESHOLDS } from '../../agent/src/health/camera-state.js';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../agent/src/health/drift.js';
import { configSchema } from '../../agent/src/config/schema.js';

describe('config: health section', () => {
  it('defaults agree with the code defaults', () => {
    const h = healthSection.parse({});
    expect(h.camera).toEqual(DEFAULT_CAMERA_THRESHOLDS);
    expect(h.drift).toEqual(DEFAULT_DRIFT_THRESHOLDS);
    expect(h.opening_hours).toEqual({ open: '10:00', close: '21:00', days: [1, 2, 3, 4, 5, 6, 7] });
    expect(configSchema.parse({ store: { id: 's1' } }).health).toEqual(h);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['close before open', { opening_hours: { open: '21:00', close: '09:00' } }, 'opening_hours.close'],
    ['an hour that is not HH:MM', { opening_hours: { open: '9am' } }, 'opening_hours.open'],
    ['weekday 0', { opening_hours: { days: [0, 1] } }, 'opening_hours.days.0'],
    ['a negative threshold', { camera: { frozen_after_s: -1 } }, 'camera.frozen_after_s'],
    ['min baseline above baseline', { drift: { baseline_days: 5, min_baseline_days: 6 } }, 'drift.min_baseline_days'],
    ['an unknown key', { camera: { frozen_s: 3 } }, 'camera'],
  ])('refuses %s at %s', (_n, input, path) => {
    const r = healthSection.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path.join('.')).toBe(path);
  });
});
