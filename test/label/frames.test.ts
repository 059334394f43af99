/**
 * Frame extraction for `floorsense label` with the real ffmpeg on a real clip: a long list of
 * sampled frames (more than ffmpeg's parser takes as one flat sum) comes out in one pass, each
 * picture being exactly the frame asked for (byte-identical to the same frame extracted alone).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anyOf, extractFrames, framePath, sampledFrames } from '../../agent/src/label/frames.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const CLIP = 'video/checkout_counter_cashier.mp4';

describe('sampled frames', () => {
  it('are the frames analyze samples (k * interval * fps rounded, + 1) plus every frame a track names', () => {
    const rows = [{ frame: 7, id: 1, x: 0, y: 0, w: 1, h: 1, conf: 1 }];
    expect(sampledFrames(rows, { sampling_interval_s: 0.5, frames_sampled: 4 }, 25)).toEqual([1, 7, 14, 26, 39]);
    expect(sampledFrames(rows, null, 25)).toEqual([7]);
  });
  it('are selected by a balanced expression', () => {
    expect(anyOf([4])).toBe('eq(n\\,4)');
    expect(anyOf([1, 2, 3])).toBe('(eq(n\\,1)+(eq(n\\,2)+eq(n\\,3)))');
  });
});

describe.skipIf(!haveData(CLIP))('extractFrames on a real clip', () => {
  it('extracts 200 frames in one pass, each the frame asked for', () => {
    const many = mkdtempSync(join(tmpdir(), 'fs-frames-many-'));
    const frames = Array.from({ length: 200 }, (_, k) => 1 + 3 * k);
    extractFrames(dataPath(CLIP), many, frames);
    expect(readdirSync(join(many, 'frames')).filter((f) => f.endsWith('.jpg'))).toHaveLength(200);
    const one = mkdtempSync(join(tmpdir(), 'fs-frames-one-'));
    extractFrames(dataPath(CLIP), one, [301, 304]);
    expect(readFileSync(framePath(many, 301)).equals(readFileSync(framePath(one, 301)))).toBe(true);
    expect(readFileSync(framePath(many, 304)).equals(readFileSync(framePath(one, 304)))).toBe(true);
    expect(readFileSync(framePath(many, 301)).equals(readFileSync(framePath(many, 304)))).toBe(false);
  }, 60_000);

  it('names the clip when ffmpeg gives fewer frames than asked (frames past the end)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-frames-end-'));
    expect(() => extractFrames(dataPath(CLIP), dir, [1, 100_000])).toThrow(/ffmpeg gave 1 of the 2 frames asked of .*checkout_counter_cashier\.mp4/);
  });
});
