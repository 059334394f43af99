/**
 * What the health monitor needs to know about one frame's pixels, computed once per sampled frame:
 * brightness, contrast and a grid of exact block hashes.
 *
 * Only the picture counts: the letterbox pad ingest adds around a non-square image is constant grey
 * and would make every frame look partly frozen and low-contrast, so it is cut away first.
 *
 * Why exact hashes for "frozen": a static empty shop still changes from frame to frame through
 * sensor noise and the encoder's fresh keyframes, so a tolerance on pixel values would call a quiet
 * shop frozen. A stuck camera, encoder or NVR repeats the very same bytes. Each block is hashed
 * (FNV-1a over its RGB bytes) and two frames are "unchanged" when at most a small fraction of
 * blocks differ — the fraction leaves room for an on-screen clock burnt in by a frozen recorder.
 */
import { MisuseError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';

export interface ImageSignature {
  /** Mean luma (BT.601, 0-255) over the picture area. */
  readonly meanLuma: number;
  /** Standard deviation of luma over the picture area. */
  readonly stdLuma: number;
  /** grid x grid FNV-1a hashes of the raw RGB bytes of each block, row-major. */
  readonly blocks: Uint32Array;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The part of the frame that holds the picture, in frame pixels (the letterbox pad removed). */
export function pictureRect(frame: Pick<Frame, 'width' | 'height' | 'letterbox'>): Rect {
  const lb = frame.letterbox;
  const w = Math.min(frame.width, Math.round(lb.srcWidth * lb.scale));
  const h = Math.min(frame.height, Math.round(lb.srcHeight * lb.scale));
  const x = Math.min(Math.max(0, lb.padX), frame.width - w);
  const y = Math.min(Math.max(0, lb.padY), frame.height - h);
  return { x, y, width: Math.max(1, w), height: Math.max(1, h) };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function imageSignature(frame: Pick<Frame, 'width' | 'height' | 'data' | 'letterbox'>, grid = 16): ImageSignature {
  if (!Number.isInteger(grid) || grid < 1 || grid > 64)
    throw new MisuseError('FS_BAD_ARGUMENT', `image check grid must be an integer in 1..64, got ${grid}`, { grid });
  if (frame.data.length !== frame.width * frame.height * 3) {
    throw new MisuseError(
      'FS_BAD_ARGUMENT',
      `frame of ${frame.width}x${frame.height} needs ${frame.width * frame.height * 3} RGB bytes, got ${frame.data.length}`,
    );
  }
  const r = pictureRect(frame);
  const colBlock = new Int32Array(r.width);
  for (let i = 0; i < r.width; i++) colBlock[i] = Math.floor((i * grid) / r.width);
  const blocks = new Uint32Array(grid * grid).fill(FNV_OFFSET);
  const d = frame.data;
  let sum = 0;
  let sumSq = 0;
  for (let yy = 0; yy < r.height; yy++) {
    const rowBase = Math.floor((yy * grid) / r.height) * grid;
    let o = ((r.y + yy) * frame.width + r.x) * 3;
    for (let xx = 0; xx < r.width; xx++, o += 3) {
      const red = d[o]!;
      const green = d[o + 1]!;
      const blue = d[o + 2]!;
      const b = rowBase + colBlock[xx]!;
      let hsh = blocks[b]!;
      hsh = Math.imul(hsh ^ red, FNV_PRIME);
      hsh = Math.imul(hsh ^ green, FNV_PRIME);
      hsh = Math.imul(hsh ^ blue, FNV_PRIME);
      blocks[b] = hsh >>> 0;
      const y = (77 * red + 150 * green + 29 * blue) / 256;
      sum += y;
      sumSq += y * y;
    }
  }
  const n = r.width * r.height;
  const mean = sum / n;
  const variance = Math.max(0, sumSq / n - mean * mean);
  return { meanLuma: mean, stdLuma: Math.sqrt(variance), blocks };
}

/** Fraction of blocks whose bytes differ between two signatures (1 when the grids differ). */
export function changedBlockFraction(a: ImageSignature, b: ImageSignature): number {
  if (a.blocks.length !== b.blocks.length || a.blocks.length === 0) return 1;
  let changed = 0;
  for (let i = 0; i < a.blocks.length; i++) if (a.blocks[i] !== b.blocks[i]) changed++;
  return changed / a.blocks.length;
}
