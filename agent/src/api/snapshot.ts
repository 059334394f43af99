/**
 * The picture behind GET /api/cameras/:id/snapshot: the latest frame with the letterbox pad cut
 * away, drawn back at the camera's SOURCE size (the frame's letterbox srcWidth x srcHeight), so
 * that a coordinate read off the snapshot is the coordinate zones, the floor homography, stored
 * positions and MOT files use. Ingest decodes only at model size, so the picture's detail is
 * the model's (nearest-neighbour scaled up); its geometry is the camera's. For the detail itself
 * the route offers `detail=source` (ingest/still.ts: one frame decoded from a live camera). On top: the zones
 * (outline and name), each box in its track's colour with the track id, and the foot point.
 * Drawn on a copy: the provider's frame may still be in use.
 */
import { pictureRect } from '../health/image-checks.js';
import { BLACK, WHITE, asCanvas, colorForId, drawRect, drawText, drawZones, fillRect, resizeNearest, type Canvas } from '../render/index.js';
import type { Snapshot } from './provider.js';

export { ZONE_COLORS } from '../render/index.js';

export function renderSnapshot(s: Snapshot): Canvas {
  const f = s.frame;
  const r = pictureRect(f);
  const picture = crop(asCanvas(f.width, f.height, f.data), r);
  const w = f.letterbox.srcWidth;
  const h = f.letterbox.srcHeight;
  // resizeNearest always returns a new canvas, so drawing never touches the frame's own bytes.
  const c = picture.width === w && picture.height === h ? { width: w, height: h, data: picture.data.slice() } : resizeNearest(picture, w, h);
  drawZones(c, s.zones ?? []);
  s.boxes.forEach((b, i) => {
    const color = colorForId(b.track_id ?? i + 1);
    const x = Math.min(b.x1, b.x2);
    const y = Math.min(b.y1, b.y2);
    const bw = Math.abs(b.x2 - b.x1);
    const bh = Math.abs(b.y2 - b.y1);
    drawRect(c, x, y, bw, bh, color, { thickness: 2 });
    // The foot point: what zones are judged by (scene/geometry.ts footPoint).
    fillRect(c, x + bw / 2 - 3, y + bh - 3, 7, 7, WHITE);
    fillRect(c, x + bw / 2 - 2, y + bh - 2, 5, 5, color);
    const text = b.label ?? (b.track_id !== undefined ? `#${b.track_id}` : '');
    if (text !== '') drawText(c, x + 2, Math.max(0, y - 10), text, BLACK, { background: color });
  });
  return c;
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
