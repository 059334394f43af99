/** Copying and scaling canvases: building contact sheets and thumbnails. */
import { createCanvas, type Canvas } from './canvas.js';

/** Copy `src` onto `dst` with its top-left at (x, y); parts outside `dst` are clipped. */
export function blit(dst: Canvas, src: Canvas, x: number, y: number): void {
  const dx = Math.round(x);
  const dy = Math.round(y);
  const x0 = Math.max(0, -dx);
  const x1 = Math.min(src.width, dst.width - dx);
  if (x1 <= x0) return;
  for (let sy = Math.max(0, -dy); sy < src.height && sy + dy < dst.height; sy++) {
    const from = (sy * src.width + x0) * 3;
    const to = from + (x1 - x0) * 3;
    dst.data.set(src.data.subarray(from, to), ((sy + dy) * dst.width + dx + x0) * 3);
  }
}

/** Nearest-neighbour resize to width x height (pixel centres map to pixel centres). */
export function resizeNearest(src: Canvas, width: number, height: number): Canvas {
  const out = createCanvas(width, height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, Math.floor(((y + 0.5) * src.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.floor(((x + 0.5) * src.width) / width));
      const s = (sy * src.width + sx) * 3;
      const d = (y * width + x) * 3;
      out.data[d] = src.data[s]!;
      out.data[d + 1] = src.data[s + 1]!;
      out.data[d + 2] = src.data[s + 2]!;
    }
  }
  return out;
}
