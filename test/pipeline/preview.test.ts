import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { ContactSheet, pickEvenly } from '../../agent/src/pipeline/preview.js';
import { letterboxFor, type Frame } from '../../agent/src/core/frame.js';
import { ZONE_COLORS, colorForId } from '../../agent/src/render/index.js';

function grey(index: number): Frame {
  const lb = letterboxFor(320, 180, 320, 320);
  const data = new Uint8Array(320 * 320 * 3).fill(90);
  return { sourceId: 'cam', index, ptsSec: index / 25, timestampMs: index * 40, width: 320, height: 320, data, letterbox: lb };
}

/** Decode our own PNG (8-bit RGB, filter 0 rows as encodePng writes them or any filter for size). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('contact sheet preview', () => {
  it('picks evenly spaced items including both ends', () => {
    expect(pickEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8]);
    expect(pickEvenly([1, 2], 5)).toEqual([1, 2]);
  });

  it('keeps a bounded, evenly spaced set of tiles however long the source', () => {
    const sheet = new ContactSheet({ tiles: 4, tileWidth: 160 });
    for (let i = 0; i < 1000; i++) sheet.offer(grey(i * 25));
    expect(sheet.tileCount).toBeGreaterThanOrEqual(4);
    expect(sheet.tileCount).toBeLessThan(8);
  });

  it('draws track boxes in the id colour on tiles cropped to the camera image', () => {
    const sheet = new ContactSheet({ tiles: 2, tileWidth: 160, columns: 2 });
    sheet.offer(grey(0));
    sheet.offer(grey(25));
    const png = sheet.render(
      [
        { frameIndex: 0, timeSec: 0, id: 7, x1: 100, y1: 40, x2: 140, y2: 160 },
        { frameIndex: 25, timeSec: 1, id: 7, x1: 120, y1: 40, x2: 160, y2: 160 },
      ],
      'TEST',
    );
    const { width, height } = pngSize(png);
    // 2 tiles of 160 px (320x180 source -> 160x90 tiles) plus borders and a header.
    expect(width).toBe(2 * 160 + 3 * 4);
    expect(height).toBe(28 + 90 + 8);
    // The id colour appears in the image data.
    const idat = inflateSync(png.subarray(png.indexOf('IDAT') + 4, png.lastIndexOf('IEND') - 4));
    const [r, g, b] = colorForId(7);
    let found = false;
    for (let i = 0; i + 2 < idat.length; i++)
      if (idat[i] === r && idat[i + 1] === g && idat[i + 2] === b) {
        found = true;
        break;
      }
    expect(found).toBe(true);
  });

  it('outlines the camera zones (source pixels, scaled to the tile) in their kind colour', () => {
    const rgbOf = (zones: ConstructorParameters<typeof ContactSheet>[0]): Buffer => {
      const sheet = new ContactSheet({ tiles: 1, tileWidth: 160, columns: 1, ...zones });
      sheet.offer(grey(0));
      const out = sheet.render([], 'Z');
      return inflateSync(out.subarray(out.indexOf('IDAT') + 4, out.lastIndexOf('IEND') - 4));
    };
    const has = (idat: Buffer, [r, g, b]: readonly [number, number, number]): boolean => {
      for (let i = 0; i + 2 < idat.length; i++) if (idat[i] === r && idat[i + 1] === g && idat[i + 2] === b) return true;
      return false;
    };
    const zone = {
      name: 'counter',
      kind: 'staff' as const,
      polygon: [
        [20, 20],
        [300, 20],
        [300, 160],
        [20, 160],
      ] as Array<[number, number]>,
    };
    expect(has(rgbOf({ zones: [zone] }), ZONE_COLORS.staff)).toBe(true);
    expect(has(rgbOf({}), ZONE_COLORS.staff)).toBe(false);
  });
});
