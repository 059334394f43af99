import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../agent/src/config/load.js';
import { MisuseError } from '../../agent/src/core/errors.js';
import { DEFAULT_TRACKER_OPTIONS, trackerOptions, trackerOptionsFromConfig } from '../../agent/src/track/options.js';

describe('tracker options', () => {
  it('come from the config section, defaults included, frozen', () => {
    const cfg = parseConfigText('store: {id: s1}\ntracker: {appearance: false, max_age_s: 2.5, min_hits: 3}');
    const o = trackerOptionsFromConfig(cfg.tracker);
    expect(o).toMatchObject({ appearance: false, maxAgeSec: 2.5, minHits: 3, highThreshold: 0.6, newTrackThreshold: 0.7, lowThreshold: 0.1 });
    expect(Object.isFrozen(o)).toBe(true);
    expect(trackerOptionsFromConfig(parseConfigText('store: {id: s1}').tracker)).toEqual(DEFAULT_TRACKER_OPTIONS);
  });

  it.each([
    ['tracker: {low_threshold: 0.8}', /tracker\.low_threshold: low_threshold \(0\.8\) must not exceed high_threshold \(0\.6\)/],
    ['tracker: {max_age_s: 0}', /tracker\.max_age_s/],
    ['tracker: {min_hits: 1.5}', /tracker\.min_hits/],
    ['tracker: {max_cosine_distance: 3}', /tracker\.max_cosine_distance/],
    ['tracker: {motion: kalman}', /tracker\.motion: unknown key/],
  ])('config %s is rejected naming the key path', (yaml, re) => {
    expect(() => parseConfigText(`store: {id: s1}\n${yaml}`)).toThrow(re);
  });

  it.each([
    [{ minHits: 0 }, /minHits/],
    [{ highThreshold: 1.5 }, /highThreshold: must be in \[0, 1\], got 1.5/],
    [{ embeddingRefreshSec: -1 }, /embeddingRefreshSec/],
    [{ motionGateChi2: 0 }, /motionGateChi2/],
  ] as const)('programmatic option %j is rejected', (o, re) => {
    expect(() => trackerOptions(o)).toThrow(re);
    expect(() => trackerOptions(o)).toThrow(MisuseError);
  });
});
