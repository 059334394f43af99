/** Frames for health tests: synthetic ones built in memory, real ones decoded by real ffmpeg. */
import { execFileSync } from 'node:child_process';
import { letterboxFor, type Frame, type Letterbox } from '../../agent/src/core/frame.js';

export const identity = (w: number, h: number): Letterbox => ({ srcWidth: w, srcHeight: h, dstWidth: w, dstHeight: h, scale: 1, padX: 0, padY: 0 });

export function makeFrame(
  w: number,
  h: number,
  px: (x: number, y: number) => readonly [number, number, number],
  opts: { timestampMs?: number; letterbox?: Letterbox } = {},
): Frame {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = px(x, y);
      data.set([r, g, b], (y * w + x) * 3);
    }
  }
  return { sourceId: 'test', index: 0, ptsSec: 0, timestampMs: opts.timestampMs ?? 0, width: w, height: h, data, letterbox: opts.letterbox ?? identity(w, h) };
}

/** Decode `count` frames at `fps` from `start` s, letterboxed to size x size as ingest does (grey pad). */
export function decodeLetterboxed(file: string, srcW: number, srcH: number, size: number, start: number, count: number, fps: number): Frame[] {
  const lb = letterboxFor(srcW, srcH, size, size);
  const raw = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-ss',
      String(start),
      '-i',
      file,
      '-vf',
      `fps=${fps},scale=${size}:${size}:force_original_aspect_ratio=decrease,pad=${size}:${size}:(ow-iw)/2:(oh-ih)/2:color=0x727272`,
      '-frames:v',
      String(count),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
    { maxBuffer: 1 << 30 },
  );
  const n = size * size * 3;
  const out: Frame[] = [];
  for (let i = 0; i * n < raw.length; i++) {
    out.push({
      sourceId: 'clip',
      index: i,
      ptsSec: start + i / fps,
      timestampMs: Math.round((start + i / fps) * 1000),
      width: size,
      height: size,
      data: raw.subarray(i * n, (i + 1) * n),
      letterbox: lb,
    });
  }
  return out;
}
