/**
 * Person crops for the ReID network, as pure functions over a Frame: map source-pixel boxes into
 * the frame's (possibly letterboxed) pixels, bilinear-resize each into a fixed-size slot of one
 * batch tensor, normalise with ImageNet statistics, RGB, channels first (N x 3 x H x W).
 */
import { MisuseError } from '../core/errors.js';
import type { Frame, Letterbox } from '../core/frame.js';
import type { Xyxy } from './geometry.js';

export interface CropSize {
  readonly width: number;
  readonly height: number;
}

/** OSNet's input: 128 wide, 256 high. */
export const REID_CROP: CropSize = Object.freeze({ width: 128, height: 256 });
/** tracker.reid_input choices, height x width; smaller crops run a derived model (models/derive.ts). */
export const REID_INPUTS = ['256x128', '160x80', '128x64'] as const;
export const REID_INPUT_DEFAULT: (typeof REID_INPUTS)[number] = '256x128';
export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/** Source pixels -> frame pixels (the inverse of `unletterbox`). */
export function sourceBoxToFrame(box: Xyxy, lb: Letterbox): Xyxy {
  return [box[0] * lb.scale + lb.padX, box[1] * lb.scale + lb.padY, box[2] * lb.scale + lb.padX, box[3] * lb.scale + lb.padY];
}

/**
 * One float32 batch holding every box's crop. Boxes are in SOURCE pixels; parts outside the
 * picture are clamped to its edge pixels.
 */
export function cropBatch(frame: Frame, boxes: readonly Xyxy[], size: CropSize = REID_CROP): Float32Array {
  return cropBatchInto(frame, boxes, size, new Float32Array(boxes.length * 3 * size.width * size.height));
}

/**
 * cropBatch into `out` (boxes x 3 x H x W floats, every one written: a reused buffer needs no
 * clearing), e.g. a buffer the ReID session lends (runtime/shared-slots.ts). Returns `out`.
 */
export function cropBatchInto(frame: Frame, boxes: readonly Xyxy[], size: CropSize, out: Float32Array): Float32Array {
  const { width: fw, height: fh, data } = frame;
  if (data.length !== fw * fh * 3) {
    throw new MisuseError('FS_BAD_ARGUMENT', `cropBatch: frame ${frame.sourceId}#${frame.index} has ${data.length} bytes, expected ${fw}x${fh}x3`);
  }
  const { width: cw, height: ch } = size;
  const plane = cw * ch;
  if (out.length !== boxes.length * 3 * plane) {
    throw new MisuseError('FS_BAD_ARGUMENT', `cropBatch: output has ${out.length} floats, expected ${boxes.length} x 3 x ${ch} x ${cw}`);
  }
  // Per-channel affine map from a 0-255 byte to the normalised value.
  const a = IMAGENET_STD.map((s) => 1 / (255 * s));
  const b = IMAGENET_MEAN.map((m, c) => -m / IMAGENET_STD[c]!);
  const a0 = a[0]!;
  const a1 = a[1]!;
  const a2 = a[2]!;
  const b0 = b[0]!;
  const b1 = b[1]!;
  const b2 = b[2]!;
  // Byte offsets (x * 3) of each output column's two source columns, and the weight between them.
  const x0s = new Int32Array(cw);
  const x1s = new Int32Array(cw);
  const wxs = new Float32Array(cw);
  // The hot loop of the main thread with appearance on (bench:store --cpu-prof): the three channels
  // are written out by hand, with the same arithmetic in the same order, so the values are
  // bit-identical to the per-channel loop this replaced.
  for (let n = 0; n < boxes.length; n++) {
    const srcBox = boxes[n]!;
    const box = sourceBoxToFrame(srcBox, frame.letterbox);
    if (!box.every(Number.isFinite)) throw new MisuseError('FS_BAD_ARGUMENT', `cropBatch: box ${n} is not finite: [${srcBox.join(', ')}]`);
    const bw = Math.max(box[2] - box[0], 1);
    const bh = Math.max(box[3] - box[1], 1);
    for (let ox = 0; ox < cw; ox++) {
      const sx = clamp(box[0] + ((ox + 0.5) * bw) / cw - 0.5, 0, fw - 1);
      const x0 = Math.floor(sx);
      x0s[ox] = x0 * 3;
      x1s[ox] = Math.min(x0 + 1, fw - 1) * 3;
      wxs[ox] = sx - x0;
    }
    const base0 = n * 3 * plane;
    const base1 = base0 + plane;
    const base2 = base1 + plane;
    for (let oy = 0; oy < ch; oy++) {
      const sy = clamp(box[1] + ((oy + 0.5) * bh) / ch - 0.5, 0, fh - 1);
      const y0 = Math.floor(sy);
      const y1 = Math.min(y0 + 1, fh - 1);
      const wy = sy - y0;
      const row0 = y0 * fw * 3;
      const row1 = y1 * fw * 3;
      const o = oy * cw;
      for (let ox = 0; ox < cw; ox++) {
        const p00 = row0 + x0s[ox]!;
        const p01 = row0 + x1s[ox]!;
        const p10 = row1 + x0s[ox]!;
        const p11 = row1 + x1s[ox]!;
        const wx = wxs[ox]!;
        let t = data[p00]!;
        let u = data[p10]!;
        let top = t + (data[p01]! - t) * wx;
        let bot = u + (data[p11]! - u) * wx;
        out[base0 + o + ox] = (top + (bot - top) * wy) * a0 + b0;
        t = data[p00 + 1]!;
        u = data[p10 + 1]!;
        top = t + (data[p01 + 1]! - t) * wx;
        bot = u + (data[p11 + 1]! - u) * wx;
        out[base1 + o + ox] = (top + (bot - top) * wy) * a1 + b1;
        t = data[p00 + 2]!;
        u = data[p10 + 2]!;
        top = t + (data[p01 + 2]! - t) * wx;
        bot = u + (data[p11 + 2]! - u) * wx;
        out[base2 + o + ox] = (top + (bot - top) * wy) * a2 + b2;
      }
    }
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : Math.min(v, hi);
}
