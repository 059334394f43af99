/**
 * Frame to network input: packed RGB24 (HWC, uint8, already letterboxed to the model size by
 * ffmpeg) into planar CHW float32, written into a caller-owned buffer that is reused frame after
 * frame (no 4.9 MB allocation per frame at 640x640).
 */
import { MisuseError } from '../core/errors.js';

export interface InputNormalisation {
  /** Channel order the network expects; the frame is always RGB. */
  readonly color: 'RGB' | 'BGR';
  /** value = (pixel / divisor - mean[c]) / std[c]. */
  readonly divisor: number;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/** YOLOv8's input: RGB scaled to 0-1. */
export const RGB_0_1: InputNormalisation = Object.freeze({
  color: 'RGB',
  divisor: 255,
  mean: [0, 0, 0] as const,
  std: [1, 1, 1] as const,
});

/** A buffer sized for one width x height 3-channel input. */
export function allocInput(width: number, height: number): Float32Array {
  return new Float32Array(3 * width * height);
}

/**
 * Fill `out` (3*width*height floats, CHW) from `rgb` (width*height*3 bytes, HWC). Returns `out`.
 */
export function preprocessInto(rgb: Uint8Array, width: number, height: number, out: Float32Array, norm: InputNormalisation = RGB_0_1): Float32Array {
  const hw = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new MisuseError('FS_BAD_ARGUMENT', `preprocess: size ${width}x${height} is not a positive integer size`);
  }
  if (rgb.length !== hw * 3) {
    throw new MisuseError('FS_BAD_ARGUMENT', `preprocess: frame has ${rgb.length} bytes, expected ${width}x${height}x3 = ${hw * 3}`);
  }
  if (out.length !== hw * 3) {
    throw new MisuseError('FS_BAD_ARGUMENT', `preprocess: output buffer has ${out.length} floats, expected ${hw * 3}`);
  }
  // value = pixel * a[c] + b[c], with the source channel swapped for BGR networks.
  const a = norm.std.map((s) => 1 / (norm.divisor * s));
  const b = norm.mean.map((m, c) => -m / norm.std[c]!);
  const bgr = norm.color === 'BGR';
  const s0 = bgr ? 2 : 0;
  const s2 = bgr ? 0 : 2;
  const a0 = a[0]!,
    a1 = a[1]!,
    a2 = a[2]!;
  const b0 = b[0]!,
    b1 = b[1]!,
    b2 = b[2]!;
  const hw2 = 2 * hw;
  for (let i = 0, j = 0; i < hw; i++, j += 3) {
    out[i] = rgb[j + s0]! * a0 + b0;
    out[hw + i] = rgb[j + 1]! * a1 + b1;
    out[hw2 + i] = rgb[j + s2]! * a2 + b2;
  }
  return out;
}
