/**
 * PNG encoding of a Canvas (8-bit truecolour, no interlace) with node:zlib. Each scanline gets a
 * filter byte; we pick per row the filter (None, Sub, Up) with the smallest sum of absolute bytes,
 * the usual heuristic, which keeps flat plots and video frames small.
 */
import { deflateSync } from 'node:zlib';
import type { Canvas } from './canvas.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export function encodePng(c: Canvas): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(c.width, 0);
  ihdr.writeUInt32BE(c.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour RGB
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const idat = deflateSync(filterRows(c), { level: 6 });
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

function filterRows(c: Canvas): Buffer {
  const stride = c.width * 3;
  const out = Buffer.alloc((stride + 1) * c.height);
  const cand = [new Uint8Array(stride), new Uint8Array(stride), new Uint8Array(stride)];
  for (let y = 0; y < c.height; y++) {
    const row = c.data.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? c.data.subarray((y - 1) * stride, y * stride) : undefined;
    let best = 0;
    let bestCost = Infinity;
    for (let f = 0; f < 3; f++) {
      const buf = cand[f]!;
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const pred = f === 1 ? (i >= 3 ? row[i - 3]! : 0) : f === 2 ? (up ? up[i]! : 0) : 0;
        const v = (row[i]! - pred) & 0xff;
        buf[i] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = f;
      }
    }
    const o = y * (stride + 1);
    out[o] = best;
    out.set(cand[best]!, o + 1);
  }
  return out;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** CRC-32 (ISO 3309, polynomial 0xEDB88320) as PNG chunks need; zlib.crc32 is not in every Node 20. */
export function crc32(bytes: Uint8Array): number {
  // The 256-entry table is rebuilt per call (cheap) so the module holds no mutable state.
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    table[n] = c >>> 0;
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
