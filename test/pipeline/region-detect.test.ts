/**
 * Region detection with the real detector on real clips: motion regions (people elsewhere carried)
 * and tiles find the people the whole-frame path finds, boxes where it puts them.
 */
import { describe, expect, it } from 'vitest';
import { groupByFrame, type MotRow } from '../../agent/src/io/mot.js';
import { analyzeSource, type AnalyzeOptions } from '../../agent/src/pipeline/analyze.js';
import type { RegionOptions } from '../../agent/src/pipeline/region-detect.js';
import { trackerOptions } from '../../agent/src/track/index.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { boxIou } from '../../agent/src/eval/mot/frames.js';

const INDOOR = 'video/indoor_one_by_one_person.mp4';
const CHECKOUT = 'video/checkout_counter_cashier.mp4';
const ok = haveData(INDOOR, CHECKOUT, 'models/yolov8n_fp32.onnx');

function options(clip: string, limitSec: number, regions: Partial<RegionOptions> | null): AnalyzeOptions {
  return {
    url: dataPath(clip),
    sourceId: 'cam',
    sampling: { fps: 2, keyframes: 'never' },
    detector: {},
    tracker: trackerOptions({ appearance: false }),
    appearance: false,
    reidModel: 'osnet_x0_25_msmt17',
    motionGate: {},
    regions,
    preview: null,
    limitSec,
    warn: () => {},
  };
}

/** Share of `a`'s track rows that `b` has in the same frame at IoU > 0.5. */
function matched(a: readonly MotRow[], b: readonly MotRow[]): number {
  const bf = groupByFrame([...b]);
  return a.filter((r) => (bf.get(r.frame) ?? []).some((s) => boxIou(r, s) > 0.5)).length / a.length;
}

describe.skipIf(!ok)('region detection on real clips', () => {
  it('motion regions on the indoor clip: some frames detect one region and carry the rest, and the same people are found', async () => {
    // 768x432: a model-size region (432 square) is 56 % of the frame, so max_cover 0.7 lets regions form at all.
    const full = await analyzeSource(options(INDOOR, 30, null));
    const motion = await analyzeSource(options(INDOOR, 30, { mode: 'motion', maxCover: 0.7 }));
    expect(full.rows.length).toBeGreaterThanOrEqual(10);
    const r = motion.summary.regions!;
    expect(r.mode).toBe('motion');
    expect(r.region_frames).toBeGreaterThan(0);
    expect(r.full_frames).toBeGreaterThan(0);
    expect(r.region_frames + r.full_frames + r.carried_frames).toBe(motion.summary.frames_inferred);
    // Measured 0.977 / 1.000 over the first 60 s (agent/bench/regions.ts --clips indoor --seconds 60 --max-cover 0.7).
    expect(matched(full.rows, motion.rows)).toBeGreaterThanOrEqual(0.9);
    expect(matched(motion.rows, full.rows)).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(motion.summary.tracks - full.summary.tracks)).toBeLessThanOrEqual(1);
  }, 240_000);

  it('tiles on the checkout clip: every full-path person is found, boxes in the same place', async () => {
    const full = await analyzeSource(options(CHECKOUT, 4, null));
    const tiles = await analyzeSource(options(CHECKOUT, 4, { mode: 'tiles', tileCols: 2, tileRows: 1, tilesFullFrame: true }));
    const r = tiles.summary.regions!;
    expect(r.tile_frames).toBe(tiles.summary.frames_inferred);
    expect(r.crops).toBe(3 * r.tile_frames);
    expect(full.rows.length).toBeGreaterThanOrEqual(8);
    expect(matched(full.rows, tiles.rows)).toBeGreaterThanOrEqual(0.9);
    for (const row of tiles.rows) expect(row.x + row.w).toBeLessThanOrEqual(768 + 0.01);
  }, 240_000);

  it('refuses region detection on a substream, naming the camera', async () => {
    await expect(analyzeSource({ ...options(CHECKOUT, 2, { mode: 'motion' }), detectUrl: dataPath(CHECKOUT) })).rejects.toThrow(
      /camera cam: detector.regions.mode motion crops the full-resolution main stream; it cannot be combined with detect_url/,
    );
  });
});
