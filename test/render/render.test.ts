import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync, crc32 as zlibCrc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BLACK,
  WHITE,
  asCanvas,
  blit,
  colorForId,
  createCanvas,
  crc32,
  drawLine,
  drawPolyline,
  drawRect,
  drawText,
  encodePng,
  fillRect,
  getPixel,
  measureText,
  resizeNearest,
  type Canvas,
  type Rgb,
} from '../../agent/src/render/index.js';

const RED: Rgb = [255, 0, 0];
const count = (c: Canvas, color: Rgb): number => {
  let n = 0;
  for (let i = 0; i < c.data.length; i += 3) if (c.data[i] === color[0] && c.data[i + 1] === color[1] && c.data[i + 2] === color[2]) n++;
  return n;
};

describe('canvas and drawing', () => {
  it.each([
    ['horizontal', 2, 5, 12, 5, 11],
    ['vertical', 3, 1, 3, 8, 8],
    ['diagonal', 0, 0, 9, 9, 10],
    ['shallow', 0, 0, 9, 3, 10],
    ['reversed', 9, 3, 0, 0, 10],
  ])('%s line has both ends and one pixel per major step', (_n, x0, y0, x1, y1, pixels) => {
    const c = createCanvas(16, 16);
    drawLine(c, x0, y0, x1, y1, RED);
    expect(getPixel(c, x0, y0)).toEqual(RED);
    expect(getPixel(c, x1, y1)).toEqual(RED);
    expect(count(c, RED)).toBe(pixels);
  });

  it('clips lines and rectangles that leave the canvas', () => {
    const c = createCanvas(10, 10);
    drawLine(c, -100, 5, 1e6, 5, RED);
    expect(count(c, RED)).toBe(10);
    drawRect(c, -5, -5, 100, 100, WHITE, { thickness: 2 });
    expect(getPixel(c, 0, 0)).toEqual(BLACK); // the outline lies outside
    expect(getPixel(c, 11, 0)).toBeUndefined();
  });

  it('draws a rectangle outline inside its box, with thickness', () => {
    const c = createCanvas(20, 20);
    drawRect(c, 2, 3, 10, 6, RED, { thickness: 2 });
    expect(getPixel(c, 2, 3)).toEqual(RED);
    expect(getPixel(c, 11, 8)).toEqual(RED);
    expect(getPixel(c, 12, 8)).toEqual(BLACK);
    expect(getPixel(c, 4, 5)).toEqual(BLACK); // hollow
    expect(count(c, RED)).toBe(10 * 6 - 6 * 2);
  });

  it('polyline joins its points; fillRect fills exactly w x h', () => {
    const c = createCanvas(20, 20);
    drawPolyline(
      c,
      [
        [0, 0],
        [5, 0],
        [5, 5],
      ],
      RED,
    );
    expect(count(c, RED)).toBe(11);
    fillRect(c, 10, 10, 3, 4, WHITE);
    expect(count(c, WHITE)).toBe(12);
  });

  it('rejects bad sizes and buffers', () => {
    expect(() => createCanvas(0, 5)).toThrow(/positive integers, got 0x5/);
    expect(() => asCanvas(2, 2, new Uint8Array(11))).toThrow(/needs 12 bytes, got 11/);
  });
});

describe('font', () => {
  it('draws digits with the right pixels and scales them', () => {
    const c = createCanvas(40, 20);
    const size = drawText(c, 0, 0, '1', WHITE);
    expect(size).toEqual({ width: 6, height: 8 });
    // Glyph '1': 1 + 2 + 1 + 1 + 1 + 1 + 3 pixels.
    expect(count(c, WHITE)).toBe(10);
    const big = createCanvas(40, 20);
    drawText(big, 0, 0, '1', WHITE, { scale: 2 });
    expect(count(big, WHITE)).toBe(40);
  });

  it('has a distinct glyph for every digit and capital; lower case draws as upper case', () => {
    const render = (s: string) => {
      const c = createCanvas(6, 8);
      drawText(c, 0, 0, s, WHITE);
      return Buffer.from(c.data).toString('base64');
    };
    const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
    expect(new Set(chars.map(render)).size).toBe(chars.length);
    expect(render('k')).toBe(render('K'));
    expect(render('~')).toBe(render('?'));
    expect(measureText('ab\nlonger', 2)).toEqual({ width: 72, height: 32 });
  });
});

describe('palette', () => {
  it('is deterministic and gives neighbouring ids different colours', () => {
    expect(colorForId(7)).toEqual(colorForId(7));
    const colours = Array.from({ length: 20 }, (_, i) => colorForId(i + 1).join(','));
    expect(new Set(colours).size).toBe(20);
    for (const c of Array.from({ length: 50 }, (_, i) => colorForId(i))) expect(Math.max(...c)).toBeGreaterThan(150);
  });
});

describe('blit and resize', () => {
  it('blit copies with clipping', () => {
    const dst = createCanvas(4, 4);
    const src = createCanvas(3, 3, RED);
    blit(dst, src, 2, -1);
    expect(count(dst, RED)).toBe(4);
    expect(getPixel(dst, 3, 1)).toEqual(RED);
    expect(getPixel(dst, 1, 1)).toEqual(BLACK);
  });

  it('resizeNearest doubles pixels and halves back', () => {
    const src = createCanvas(2, 1);
    fillRect(src, 1, 0, 1, 1, RED);
    const up = resizeNearest(src, 4, 2);
    expect([getPixel(up, 1, 1), getPixel(up, 2, 0)]).toEqual([BLACK, RED]);
    expect(resizeNearest(up, 2, 1).data).toEqual(src.data);
  });
});

describe('PNG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-png-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sample = (): Canvas => {
    const c = createCanvas(37, 23, [10, 20, 30]); // odd sizes catch stride bugs
    for (let i = 0; i < c.data.length; i++) c.data[i] = (i * 7919) % 251; // noisy, every filter gets used
    drawText(c, 1, 1, 'ID 42', WHITE);
    return c;
  };

  it('has valid chunk CRCs and decompresses to filtered scanlines', () => {
    const png = encodePng(sample());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    let off = 8;
    const types: string[] = [];
    let idat = Buffer.alloc(0);
    while (off < png.length) {
      const len = png.readUInt32BE(off);
      const type = png.toString('ascii', off + 4, off + 8);
      const body = png.subarray(off + 8, off + 8 + len);
      expect(png.readUInt32BE(off + 8 + len), `${type} CRC`).toBe(zlibCrc32(png.subarray(off + 4, off + 8 + len)));
      if (type === 'IDAT') idat = Buffer.concat([idat, body]);
      types.push(type);
      off += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    const raw = inflateSync(idat);
    expect(raw.length).toBe(23 * (37 * 3 + 1));
    for (let y = 0; y < 23; y++) expect(raw[y * (37 * 3 + 1)]).toBeLessThanOrEqual(4);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
  });

  it('decodes in ffmpeg to exactly the pixels drawn', () => {
    const c = sample();
    const file = join(dir, 'sample.png');
    writeFileSync(file, encodePng(c));
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 24 });
    expect(raw.length).toBe(c.data.length);
    expect(Buffer.compare(raw, Buffer.from(c.data))).toBe(0);
  });
});
