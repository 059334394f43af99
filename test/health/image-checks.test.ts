import { describe, expect, it } from 'vitest';
import { letterboxFor } from '../../agent/src/core/frame.js';
import { changedBlockFraction, imageSignature, pictureRect } from '../../agent/src/health/image-checks.js';
import { DEFAULT_CAMERA_THRESHOLDS } from '../../agent/src/health/camera-state.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { decodeLetterboxed, makeFrame } from './frames.js';

const CLIP = 'video/indoor_one_by_one_person.mp4';

describe('image signature', () => {
  it('ignores the letterbox pad: a black picture in a grey pad reads black and flat', () => {
    const lb = letterboxFor(64, 32, 64, 64); // picture rows 16..47
    expect(pictureRect({ width: 64, height: 64, letterbox: lb })).toEqual({ x: 0, y: 16, width: 64, height: 32 });
    const f = makeFrame(64, 64, (_x, y) => (y >= 16 && y < 48 ? [0, 0, 0] : [114, 114, 114]), { letterbox: lb });
    const s = imageSignature(f);
    expect(s.meanLuma).toBe(0);
    expect(s.stdLuma).toBe(0);
  });

  it('changes in the pad do not change the signature; one picture pixel changes exactly one block', () => {
    const lb = letterboxFor(64, 32, 64, 64);
    const base = makeFrame(64, 64, (x, y) => [(x * 3) & 255, (y * 5) & 255, 40], { letterbox: lb });
    const padChanged = { ...base, data: base.data.slice() };
    padChanged.data[0] = 255; // row 0 is pad
    expect(changedBlockFraction(imageSignature(base), imageSignature(padChanged))).toBe(0);
    const onePixel = { ...base, data: base.data.slice() };
    const o = (30 * 64 + 30) * 3;
    onePixel.data[o] = onePixel.data[o]! ^ 1;
    expect(changedBlockFraction(imageSignature(base, 16), imageSignature(onePixel, 16))).toBe(1 / 256);
  });

  it.each([
    ['grid 0', 0],
    ['grid 65', 65],
    ['grid 2.5', 2.5],
  ])('refuses %s', (_n, grid) => {
    expect(() =>
      imageSignature(
        makeFrame(8, 8, () => [0, 0, 0]),
        grid,
      ),
    ).toThrow(/grid must be an integer in 1..64/);
  });

  it('refuses a buffer of the wrong size, naming both sizes', () => {
    const f = makeFrame(8, 8, () => [0, 0, 0]);
    expect(() => imageSignature({ ...f, data: f.data.subarray(1) })).toThrow(/8x8 needs 192 RGB bytes, got 191/);
  });

  it('mean and spread of a two-tone picture', () => {
    const s = imageSignature(makeFrame(10, 10, (x) => (x < 5 ? [0, 0, 0] : [200, 200, 200])));
    expect(s.meanLuma).toBeCloseTo(100, 5);
    expect(s.stdLuma).toBeCloseTo(100, 5);
  });
});

describe.skipIf(!haveData(CLIP))('image signature on a real static room (real ffmpeg decode)', () => {
  it('a quiet room changes between consecutive frames (noise, codec), a repeated frame does not', () => {
    // 10 fps source, consecutive frames 4..6 s: a near-empty room where H.264 skips most blocks.
    const frames = decodeLetterboxed(dataPath(CLIP), 768, 432, 640, 4, 20, 10);
    expect(frames.length).toBe(20);
    const sigs = frames.map((f) => imageSignature(f));
    const changed = sigs.slice(1).map((s, i) => changedBlockFraction(sigs[i]!, s));
    // The frozen tolerance must sit below what a static scene shows even frame to frame.
    expect(Math.min(...changed)).toBeGreaterThan(DEFAULT_CAMERA_THRESHOLDS.frozen_changed_blocks_max);
    expect(changedBlockFraction(sigs[0]!, imageSignature({ ...frames[0]!, data: frames[0]!.data.slice() }))).toBe(0);
    // Plain brightness and contrast of a lit room: neither black nor blank.
    for (const s of sigs) {
      expect(s.meanLuma).toBeGreaterThan(DEFAULT_CAMERA_THRESHOLDS.black_mean_max);
      expect(s.stdLuma).toBeGreaterThan(DEFAULT_CAMERA_THRESHOLDS.blank_std_max);
    }
  });

  it('sampled once a second, nearly every block changes', () => {
    const frames = decodeLetterboxed(dataPath(CLIP), 768, 432, 640, 0, 12, 1);
    const sigs = frames.map((f) => imageSignature(f));
    for (let i = 1; i < sigs.length; i++) expect(changedBlockFraction(sigs[i - 1]!, sigs[i]!)).toBeGreaterThan(0.5);
  });
});
