import { describe, expect, it } from 'vitest';
import { deliveredFps, type DeliveredFrame } from '../../agent/src/health/frame-rate.js';

const W = 60_000;
/** `n` frames every `stepMs` of wall and video time from `fromMs`, in one session. */
function run(fromMs: number, n: number, stepMs: number, session: number, videoFromMs = fromMs): DeliveredFrame[] {
  return Array.from({ length: n }, (_, i) => ({ wallMs: fromMs + i * stepMs, videoMs: videoFromMs + i * stepMs, session }));
}

describe('deliveredFps', () => {
  it('steady 1 fps and 5 fps read their rate', () => {
    expect(deliveredFps(run(0, 120, 1000, 0), 119_000, W)).toBeCloseTo(1, 5);
    expect(deliveredFps(run(0, 600, 200, 0), 119_800, W)).toBeCloseTo(5, 5);
  });

  it('no frame yet is null; one frame in the window is 0', () => {
    expect(deliveredFps([], 5000, W)).toBeNull();
    expect(deliveredFps(run(0, 1, 1000, 0), 5000, W)).toBe(0);
  });

  it('a lost camera decays towards 0 and never rises above its rate (the 97 fps spike)', () => {
    // 1 fps for 100 s, then nothing while it reconnects.
    const frames = run(0, 100, 1000, 0);
    const readings = [100, 101, 105, 110, 130, 158, 170].map((s) => deliveredFps(frames, s * 1000, W)!);
    for (const r of readings) expect(r).toBeLessThanOrEqual(1 + 1e-9);
    for (let i = 1; i < readings.length; i++) expect(readings[i]!).toBeLessThanOrEqual(readings[i - 1]!);
    expect(readings.at(-1)).toBe(0);
  });

  it('after a reconnect the rate is the delivered rate, not the frames of the minute over the seconds since', () => {
    // 25 s at 1 fps, 10 s gap, then the new session at 1 fps (its video clock restarts at 0).
    const frames = [...run(0, 25, 1000, 0), ...run(35_000, 5, 1000, 1, 0)];
    const r = deliveredFps(frames, 39_500, W)!;
    expect(r).toBeGreaterThan(0.6);
    expect(r).toBeLessThanOrEqual(1);
  });

  it('a burst of buffered frames delivered at once counts at the rate they were filmed', () => {
    // 50 frames filmed 1 s apart (video time) flushed within 0.5 s of wall time.
    const burst = Array.from({ length: 50 }, (_, i) => ({ wallMs: 10_000 + i * 10, videoMs: i * 1000, session: 0 }));
    expect(deliveredFps(burst, 10_500, W)).toBeCloseTo(1, 5);
  });
});
