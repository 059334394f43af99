/**
 * The picture behind GET /api/cameras/:id/snapshot: the latest frame with its boxes and track ids
 * drawn, the letterbox pad cut away. Drawn on a copy: the provider's frame may still be in use.
 */
import { pictureRect } from '../health/image-checks.js';
import { BLACK, asCanvas, colorForId, drawRect, drawText, type Canvas } from '../render/index.js';
import type { Snapshot } from './provider.js';

export function renderSnapshot(s: Snapshot): Canvas {
  const f = s.frame;
  const c = asCanvas(f.width, f.height, f.data.slice());
  s.boxes.forEach((b, i) => {
    const color = colorForId(b.track_id ?? i + 1);
    const x = Math.min(b.x1, b.x2);
    const y = Math.min(b.y1, b.y2);
    drawRect(c, x, y, Math.abs(b.x2 - b.x1), Math.abs(b.y2 - b.y1), color, { thickness: 2 });
    const text = b.label ?? (b.track_id !== undefined ? `#${b.track_id}` : '');
    if (text !== '') drawText(c, x + 2, Math.max(0, y - 10), text, BLACK, { background: color });
  });
  return crop(c, pictureRect(f));
}

function crop(c: Canvas, r: { x: number; y: number; width: number; height: number }): Canvas {
  if (r.x === 0 && r.y === 0 && r.width === c.width && r.height === c.height) return c;
  const out = new Uint8Array(r.width * r.height * 3);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.y + y) * c.width + r.x) * 3;
    out.set(c.data.subarray(from, from + r.width * 3), y * r.width * 3);
  }
  return { width: r.width, height: r.height, data: out };
}
