/**
 * The letterbox ffmpeg draws (ingest) and the geometry core/frame.ts letterboxFor reports (used to
 * map boxes back) must agree to the pixel, for awkward sizes too. Real ffmpeg, synthetic images.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FailureError } from '../../agent/src/core/errors.js';
import { letterboxFor, type Frame } from '../../agent/src/core/frame.js';
import { loadImageLetterboxed } from '../../agent/src/ingest/index.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-letterbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function whitePng(w: number, h: number): string {
  const path = join(dir, `white_${w}x${h}.png`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=white:s=${w}x${h},format=rgb24`, '-frames:v', '1', path]);
  return path;
}

/** Bounding box of pixels that are not the 114 pad grey. */
function contentBox(f: Frame): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = f.width,
    y0 = f.height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const i = (y * f.width + x) * 3;
      if (f.data[i] !== 114 || f.data[i + 1] !== 114 || f.data[i + 2] !== 114) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

describe('ffmpeg letterbox == letterboxFor', () => {
  const sizes: Array<[number, number, number, number]> = [
    [768, 432, 640, 640],
    [500, 335, 640, 640], // 428.8 rows: nearest, not even
    [501, 333, 640, 640],
    [333, 501, 640, 640],
    [1000, 3, 640, 640],
    [100, 100, 640, 640], // upscaled
    [641, 640, 640, 640],
    [1920, 1080, 416, 320], // non-square model input
  ];
  it.each(sizes)('%i x %i into %i x %i', async (sw, sh, dw, dh) => {
    const f = await loadImageLetterboxed(whitePng(sw, sh), dw, dh);
    const lb = letterboxFor(sw, sh, dw, dh);
    expect(f.letterbox).toEqual(lb);
    expect([f.width, f.height, f.data.length]).toEqual([dw, dh, dw * dh * 3]);
    const box = contentBox(f);
    expect([box.x0, box.y0]).toEqual([lb.padX, lb.padY]);
    // Content size is the rounded scaled size; the far pad absorbs the odd pixel.
    expect(Math.abs(box.x1 - box.x0 - sw * lb.scale)).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(Math.abs(box.y1 - box.y0 - sh * lb.scale)).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(dw - box.x1 - lb.padX).toBeGreaterThanOrEqual(0);
    expect(dw - box.x1 - lb.padX).toBeLessThanOrEqual(1);
    expect(dh - box.y1 - lb.padY).toBeLessThanOrEqual(1);
  });
});

describe.skipIf(!haveData('coco8/images/val/000000000036.jpg'))('COCO images', () => {
  it('a portrait JPEG is letterboxed with side bars only', async () => {
    const f = await loadImageLetterboxed(dataPath('coco8/images/val/000000000036.jpg'), 640, 640);
    expect(f.letterbox).toMatchObject({ srcWidth: 481, srcHeight: 640, padX: 79, padY: 0, scale: 1 });
    expect(contentBox(f)).toEqual({ x0: 79, y0: 0, x1: 79 + 481, y1: 640 });
    expect(f.sourceId).toBe('000000000036.jpg');
  });
});

describe('image errors', () => {
  it.each([
    ['missing', join(dir, 'nope.jpg'), 'FS_FILE_NOT_FOUND'],
    ['not an image', import.meta.filename, 'FS_VIDEO_UNSUPPORTED'],
  ])('%s', async (_n, path, code) => {
    const e = await loadImageLetterboxed(path, 64, 64).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FailureError);
    expect(e).toMatchObject({ code });
    expect(String((e as Error).message)).toContain(path);
  });
});
