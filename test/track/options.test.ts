import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../agent/src/config/load.js';
import { MisuseError } from '../../agent/src/core/errors.js';
import { DEFAULT_TRACKER_OPTIONS, modelThresholds, trackerOptions, trackerOptionsFromConfig } from '../../agent/src/track/options.js';
import { findEntry, loadManifest } from '../../agent/src/models/index.js';

describe('tracker options', () => {
  it('come from the config section, defaults included, frozen', () => {
    const cfg = parseConfigText('store: {id: s1}\ntracker: {appearance: false, max_age_s: 2.5, min_hits: 3}');
    const o = trackerOptionsFromConfig(cfg.tracker);
    const th = findEntry(loadManifest(), 'yolov8n_fp32')!.tracker_thresholds!;
    expect(o).toMatchObject({
      appearance: false,
      maxAgeSec: 2.5,
      minHits: 3,
      highThreshold: th.high_threshold,
      newTrackThreshold: th.new_track_threshold,
      lowThreshold: th.low_threshold,
    });
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(o.plausibility)).toBe(true);
    expect(trackerOptionsFromConfig(parseConfigText('store: {id: s1}').tracker)).toEqual(DEFAULT_TRACKER_OPTIONS);
  });

  it('take unset score thresholds from the detector model, set ones from the config', () => {
    const cfg = parseConfigText('store: {id: s1}\ntracker: {high_threshold: 0.55}');
    const o = trackerOptionsFromConfig(cfg.tracker, 'yolov8n_fp32');
    expect(o.highThreshold).toBe(0.55);
    expect(o.newTrackThreshold).toBe(modelThresholds('yolov8n_fp32').newTrack);
    // A model given as a path (or without calibrated values) gets the default detector's.
    expect(modelThresholds('/models/custom.onnx')).toEqual(modelThresholds('yolov8n_fp32'));
  });

  it('reject a low threshold above the model high threshold, naming both', () => {
    const cfg = parseConfigText('store: {id: s1}\ntracker: {low_threshold: 0.8}');
    expect(() => trackerOptionsFromConfig(cfg.tracker)).toThrow(/lowThreshold: \(0\.8\) must not exceed highThreshold \(0\.\d+\)/);
  });

  it.each([
    ['tracker: {low_threshold: 0.8, high_threshold: 0.6}', /tracker\.low_threshold: low_threshold \(0\.8\) must not exceed high_threshold \(0\.6\)/],
    ['tracker: {max_age_s: 0}', /tracker\.max_age_s/],
    ['tracker: {min_hits: 1.5}', /tracker\.min_hits/],
    ['tracker: {max_cosine_distance: 3}', /tracker\.max_cosine_distance/],
    ['tracker: {motion: kalman}', /tracker\.motion: unknown key/],
    ['tracker: {reid_max_cosine_distance: -0.1}', /tracker\.reid_max_cosine_distance/],
    ['tracker: {max_reach_body_heights: 0}', /tracker\.max_reach_body_heights/],
    ['tracker: {max_reach_m: 500}', /tracker\.max_reach_m/],
    ['tracker: {embedding_policy: some}', /tracker\.embedding_policy/],
  ])('config %s is rejected naming the key path', (yaml, re) => {
    expect(() => parseConfigText(`store: {id: s1}\n${yaml}`)).toThrow(re);
  });

  it.each([
    [{ minHits: 0 }, /minHits/],
    [{ highThreshold: 1.5 }, /highThreshold: must be in \[0, 1\], got 1.5/],
    [{ embeddingRefreshSec: -1 }, /embeddingRefreshSec/],
    [{ motionGateChi2: 0 }, /motionGateChi2/],
    [
      { plausibility: { maxSpeedBodyHeights: 0, slackBodyHeights: 0.5, maxSpeedMps: 2.5, slackM: 0.5, maxReachBodyHeights: 3, maxReachM: 5 } },
      /plausibility\.maxSpeedBodyHeights: must be > 0, got 0/,
    ],
    [{ observationRecoveryMaxCost: 2 }, /observationRecoveryMaxCost: must be in \[0, 1\], got 2/],
    [{ reidMaxCosineDistance: 3 }, /reidMaxCosineDistance: must be in \[0, 2\], got 3/],
    [
      { plausibility: { maxSpeedBodyHeights: 1.5, slackBodyHeights: 0.5, maxSpeedMps: 2.5, slackM: 0.5, maxReachBodyHeights: 0, maxReachM: 5 } },
      /plausibility\.maxReachBodyHeights: must be > 0, got 0/,
    ],
  ] as const)('programmatic option %j is rejected', (o, re) => {
    expect(() => trackerOptions(o)).toThrow(re);
    expect(() => trackerOptions(o)).toThrow(MisuseError);
  });
});
