/**
 * The appearance gates come from the ReID model's manifest entry at the configured precision
 * (int8 embeddings are another space), and an explicit config value wins at either precision.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../agent/src/config/load.js';
import { findEntry, loadManifest, parseManifest } from '../../agent/src/models/index.js';
import { DEFAULT_TRACKER_OPTIONS, reidGates, trackerOptionsFromConfig } from '../../agent/src/track/options.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const osnet = findEntry(loadManifest(), 'osnet_x0_25_msmt17')!;
const fp32 = osnet.reid_thresholds!;
const int8 = osnet.int8!.reid_thresholds!;
const tracker = (yaml: string) => trackerOptionsFromConfig(parseConfigText(`store: {id: s1}\ntracker: ${yaml}`).tracker);

describe('appearance gates per ReID precision', () => {
  it("at int8 with no gate in the config, the tracker takes the int8 variant's own gates, not fp32's", () => {
    const o = tracker('{reid_precision: int8}');
    expect([o.maxCosineDistance, o.reidMaxCosineDistance]).toEqual([int8.max_cosine_distance, int8.reid_max_cosine_distance]);
    // The rule's value for the int8 space (agent/bench/reid-gates.ts); the old path gave fp32's 0.4 here.
    expect(o.maxCosineDistance).toBe(0.399);
    expect(o.maxCosineDistance).not.toBe(fp32.max_cosine_distance);
  });

  it('at fp32 (the default) the tracker takes the fp32 gates', () => {
    expect([DEFAULT_TRACKER_OPTIONS.maxCosineDistance, DEFAULT_TRACKER_OPTIONS.reidMaxCosineDistance]).toEqual([0.4, 0.4]);
    expect(tracker('{reid_precision: fp32}')).toEqual(DEFAULT_TRACKER_OPTIONS);
  });

  it('a gate set in the config wins at either precision, the other one still from the manifest', () => {
    const o = tracker('{reid_precision: int8, max_cosine_distance: 0.4}');
    expect([o.maxCosineDistance, o.reidMaxCosineDistance]).toEqual([0.4, int8.reid_max_cosine_distance]);
    const p = tracker('{reid_precision: fp32, reid_max_cosine_distance: 0.3}');
    expect([p.maxCosineDistance, p.reidMaxCosineDistance]).toEqual([fp32.max_cosine_distance, 0.3]);
  });

  it("a ReID model given as a path gets the default ReID model's gates", () => {
    expect(reidGates('/models/custom-reid.onnx', 'int8')).toEqual(reidGates('osnet_x0_25_msmt17', 'int8'));
    expect(reidGates('/models/custom-reid.onnx')).toEqual({ maxCosineDistance: 0.4, reidMaxCosineDistance: 0.4 });
  });

  it('the manifest states the rule and the command of each gate', () => {
    for (const g of [fp32, int8]) {
      expect(g.rule.length).toBeGreaterThan(40);
      expect(g.command).toMatch(/agent\/bench\/reid-gates\.ts/);
    }
  });
});

describe('an int8 variant without its own thresholds is refused, naming the key path', () => {
  const raw = JSON.parse(readFileSync(join(REPO_ROOT, 'models', 'manifest.json'), 'utf8')) as { version: 1; models: Record<string, unknown>[] };
  const only = (name: string, edit: (e: Record<string, unknown>) => void) => {
    const e = structuredClone(raw.models.find((m) => m.name === name)!);
    edit(e);
    return { version: 1, models: [e] };
  };
  it.each([
    ['a ReID model', 'osnet_x0_25_msmt17', /models\[0\]\.int8\.reid_thresholds: an int8 reid variant needs its own reid_thresholds/],
    ['a detector', 'yolov8n_fp32', /models\[0\]\.int8\.tracker_thresholds: an int8 detect variant needs its own tracker_thresholds/],
  ])('%s', (_what, name, re) => {
    const m = only(name, (e) => {
      const v = e.int8 as Record<string, unknown>;
      delete v.reid_thresholds;
      delete v.tracker_thresholds;
    });
    expect(() => parseManifest(m)).toThrow(re);
  });
  it('a gate out of range names its key', () => {
    const m = only('osnet_x0_25_msmt17', (e) => {
      (e.int8 as { reid_thresholds: { max_cosine_distance: number } }).reid_thresholds.max_cosine_distance = 3;
    });
    expect(() => parseManifest(m)).toThrow(/models\[0\]\.int8\.reid_thresholds\.max_cosine_distance/);
  });
});
