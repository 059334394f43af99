/**
 * Adaptive sampling on real clips. An empty stretch: the indoor clip's empty room (its first
 * frame, held for 20 s) and then its first person walking in. The motion gate is off here (a static
 * room would be skipped by the gate anyway; with it off every sampled frame reaches the sampler, as
 * in a scene that keeps moving without people: a screen, flickering light). The detector runs on
 * one frame in three while the room is empty, and the person is tracked as on the full-rate path.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupByFrame } from '../../agent/src/io/mot.js';
import type { AdaptiveOptions } from '../../agent/src/pipeline/adaptive.js';
import { type AnalyzeOptions, analyzeSource } from '../../agent/src/pipeline/analyze.js';
import { trackerOptions } from '../../agent/src/track/index.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { boxIou } from '../../agent/src/eval/mot/frames.js';

const CLIP = 'video/indoor_one_by_one_person.mp4';
const ok = haveData(CLIP, 'models/yolov8n_fp32.onnx');

/** The pipeline at 1 fps, motion only, no motion gate: only the adaptive sampler differs between runs. */
function clipOptions(url: string, adaptive: Partial<AdaptiveOptions>): AnalyzeOptions {
  return {
    url,
    sourceId: 'cam',
    sampling: { fps: 1, keyframes: 'never' },
    detector: {},
    tracker: trackerOptions({ appearance: false }),
    appearance: false,
    reidModel: 'osnet_x0_25_msmt17',
    motionGate: null,
    adaptive,
    preview: null,
    warn: () => {},
  };
}

describe.skipIf(!ok)('adaptive sampling on a real clip with an empty stretch', () => {
  let clip: string;
  beforeAll(() => {
    clip = join(mkdtempSync(join(tmpdir(), 'fs-adaptive-')), 'empty_then_person.mp4');
    // 20 s of the empty room (first frame cloned), then 12 s of the clip.
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-t',
      '12',
      '-i',
      dataPath(CLIP),
      '-vf',
      'tpad=start_duration=20:start_mode=clone',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      clip,
    ]);
  });

  const options = (emptyEvery: number): AnalyzeOptions => clipOptions(clip, { emptyEvery, emptyAfterSec: 3 });

  it('detects one frame in three while the room is empty, and tracks the person who walks in as the full rate does', async () => {
    const full = await analyzeSource(options(1));
    const adaptive = await analyzeSource(options(3));
    expect(full.summary.frames_skipped_empty).toBe(0);
    expect(full.summary.frames_inferred).toBe(full.summary.frames_sampled);
    expect(full.summary.frames_sampled).toBeGreaterThanOrEqual(30);
    // 20 s empty: skipping starts after 3 s, then 2 of every 3 frames skip: about 11.
    expect(adaptive.summary.frames_skipped_empty).toBeGreaterThanOrEqual(8);
    expect(adaptive.summary.frames_inferred).toBeLessThanOrEqual(full.summary.frames_inferred - 8);
    // The person (from ~26.6 s): first seen at most two sampled frames later, and then row for row where the full rate puts them.
    const firstFull = Math.min(...full.rows.map((r) => r.frame));
    const firstAdaptive = Math.min(...adaptive.rows.map((r) => r.frame));
    expect(full.rows.length).toBeGreaterThanOrEqual(3);
    expect(firstFull).toBeGreaterThan(20 * 10);
    expect(firstAdaptive - firstFull).toBeLessThanOrEqual(2 * 10);
    const a = groupByFrame(adaptive.rows);
    const later = full.rows.filter((r) => r.frame >= firstAdaptive);
    const found = later.filter((r) => (a.get(r.frame) ?? []).some((s) => boxIou(r, s) > 0.5));
    expect(found.length / later.length).toBeGreaterThanOrEqual(0.9);
  }, 240_000);
});

/**
 * The quiet state on a real clip: the indoor clip's second visitor, alone in the room for about
 * 21 s. One person has no pair to come near, so once the track is confirmed and nothing is left
 * unsettled the pipeline detects and tracks one sampled frame in two, and skips the others outright.
 * The indoor camera is close (people ~350 px tall in a 432 px picture, which is 2.2 body heights
 * wide): everyone is always within reach of an edge there and the edge rule keeps the full rate. So
 * the clip is set in a wider, black picture (a wide camera's view of the same walk: 400 px around),
 * at radius 2, whose edge margin is one body height.
 */
describe.skipIf(!ok)('adaptive sampling on a real clip with one person in view', () => {
  let clip: string;
  beforeAll(() => {
    clip = join(mkdtempSync(join(tmpdir(), 'fs-quiet-')), 'one_person.mp4');
    // 22-46 s of the clip: person 2 walks in at ~23 s and out at ~45 s (test/fixtures/labels/indoor_one_by_one_person/gt.txt).
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-ss',
      '22',
      '-t',
      '24',
      '-i',
      dataPath(CLIP),
      '-vf',
      'pad=1568:1232:400:400',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      clip,
    ]);
  });

  const options = (quietEvery: number): AnalyzeOptions => clipOptions(clip, { quietEvery, quietRadius: 2 });

  it('skips frames while the person is alone and still tracks them, as one track where the full rate saw them', async () => {
    const full = await analyzeSource(options(1));
    const quiet = await analyzeSource(options(2));
    expect(full.summary.frames_skipped_quiet).toBe(0);
    expect(quiet.summary.frames_sampled).toBe(full.summary.frames_sampled);
    // ~20 s alone at 1 fps, one in two skipped once the track is confirmed: several frames.
    expect(quiet.summary.frames_skipped_quiet).toBeGreaterThanOrEqual(5);
    expect(quiet.summary.frames_inferred).toBe(full.summary.frames_inferred - quiet.summary.frames_skipped_quiet);
    // A skipped frame is not tracked: no row on it.
    const quietFrames = new Set(quiet.rows.map((r) => r.frame));
    expect(quietFrames.size).toBeLessThan(new Set(full.rows.map((r) => r.frame)).size);
    // The person is one track on both paths, and every row of the quiet path lies where the full rate put them.
    expect(new Set(full.rows.map((r) => r.id)).size).toBe(1);
    expect(new Set(quiet.rows.map((r) => r.id)).size).toBe(1);
    const f = groupByFrame(full.rows);
    const same = quiet.rows.filter((r) => (f.get(r.frame) ?? []).some((s) => boxIou(r, s) > 0.5));
    expect(quiet.rows.length).toBeGreaterThanOrEqual(8);
    expect(same.length / quiet.rows.length).toBeGreaterThanOrEqual(0.9);
  }, 240_000);
});
