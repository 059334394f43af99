/**
 * The tracker on real CCTV-like footage, product defaults (YOLOv8n thresholds from the manifest,
 * appearance on): the checkout clip at 2 fps. The three people (cashier behind the counter, the
 * customer being served at the till, a customer waiting) must each keep one identity, and no track
 * may move further between two samples than the plausibility gate allows: an identity that jumps
 * from one person to another is exactly what costs a seller their consultations.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../agent/src/pipeline/analyze.js';
import { detectorOptionsFrom } from '../../agent/src/agent/analyze-options.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { trackJumps } from '../../agent/src/eval/mot/index.js';
import { DEFAULT_TRACKER_OPTIONS } from '../../agent/src/track/index.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'video/mall_entrance_people.mp4', 'models/yolov8n_fp32.onnx', 'models/osnet_x0_25_msmt17.onnx');

function analyze(clip: string, limitSec: number): ReturnType<typeof analyzeSource> {
  return analyzeSource({
    url: dataPath(clip),
    sourceId: 'clip',
    sampling: { fps: 2, keyframes: 'never' },
    detector: { ...detectorOptionsFrom(validateConfig({ store: { id: 't' } })), modelsDir: dataPath('models') },
    tracker: DEFAULT_TRACKER_OPTIONS,
    appearance: true,
    reidModel: 'osnet_x0_25_msmt17',
    motionGate: null,
    preview: null,
    limitSec,
    warn: () => {},
  });
}

describe.skipIf(!ok)('tracker on the checkout clip (real footage, 2 fps)', () => {
  it('tracks the customer at the till, the cashier and the waiting customer with no identity jumps', { timeout: 120_000 }, async () => {
    const r = await analyze('video/checkout_counter_cashier.mp4', 12);
    expect(r.error).toBeNull();
    const W = r.summary.width;
    const frames = r.summary.frames_sampled;
    expect(frames).toBe(24);
    // Nearly every detection is kept as a tracked box (the old 0.6 / 0.7 thresholds were Faster R-CNN's).
    expect(r.rows.length).toBeGreaterThanOrEqual(0.9 * r.summary.detections);

    // No move beyond the gate, measured on the reported boxes.
    const jumps = trackJumps(r.rows, r.summary.source_fps, DEFAULT_TRACKER_OPTIONS.plausibility);
    expect(jumps.filter((j) => j.gateRatio > 1)).toEqual([]);

    // Per track: samples present and mean box centre (fraction of the width).
    const byId = new Map<number, { n: number; cx: number }>();
    for (const row of r.rows) {
      const s = byId.get(row.id) ?? { n: 0, cx: 0 };
      byId.set(row.id, { n: s.n + 1, cx: s.cx + (row.x + row.w / 2) / W });
    }
    const tracks = [...byId.entries()].map(([id, s]) => ({ id, share: s.n / frames, cx: s.cx / s.n }));
    const lasting = tracks.filter((t) => t.share >= 0.6);
    expect(lasting).toHaveLength(3);
    expect(tracks.length).toBeLessThanOrEqual(4);
    // The customer at the till stands left of the cashier, in the middle of the picture; the cashier
    // is behind the counter on the right; the waiting customer further left.
    const [waiting, atTill, cashier] = [...lasting].sort((a, b) => a.cx - b.cx);
    expect(cashier!.cx).toBeGreaterThan(0.6);
    expect(atTill!.cx).toBeGreaterThan(0.25);
    expect(atTill!.cx).toBeLessThan(0.6);
    expect(atTill!.share).toBeGreaterThanOrEqual(0.9);
    expect(waiting!.cx).toBeLessThan(atTill!.cx);
  });

  it('keeps most people of a crowded entrance without a track jumping between them', { timeout: 120_000 }, async () => {
    // Before this tracker (Faster R-CNN thresholds, no gate) the full clip kept 8.2 of 15.6
    // detections a frame and one track moved 5.5 body heights in half a second (agent/bench/real-clips.ts).
    const r = await analyze('video/mall_entrance_people.mp4', 8);
    expect(r.error).toBeNull();
    expect(r.rows.length).toBeGreaterThanOrEqual(0.65 * r.summary.detections);
    const jumps = trackJumps(r.rows, r.summary.source_fps, DEFAULT_TRACKER_OPTIONS.plausibility);
    expect(jumps.length).toBeGreaterThan(5);
    expect(jumps.filter((j) => j.gateRatio > 1)).toEqual([]);
  });
});
