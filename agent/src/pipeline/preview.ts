/**
 * The annotated preview `analyze` writes: a PNG contact sheet of evenly spaced sampled frames, each
 * with the tracks present (box, id) and their trails (foot points over the last `trailSec` seconds),
 * so a person can see at a glance what the tracker did. Drawn from our own frames; nothing leaves
 * the box.
 *
 * Frames are kept as small tiles while the video streams by (a reservoir whose spacing doubles when
 * it fills, so memory is bounded even for a live source of unknown length); boxes and trails are
 * drawn at the end, when every track's history is known.
 */
import type { Frame } from '../core/frame.js';
import {
  BLACK,
  WHITE,
  blit,
  colorForId,
  createCanvas,
  drawPolyline,
  drawRect,
  drawText,
  drawZones,
  encodePng,
  resizeNearest,
  asCanvas,
  type Canvas,
  type DrawnZone,
} from '../render/index.js';

export interface TrackPoint {
  readonly frameIndex: number;
  readonly timeSec: number;
  readonly id: number;
  /** Box in source pixels. */
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

interface Tile {
  readonly frameIndex: number;
  readonly timeSec: number;
  readonly timestampMs: number;
  readonly canvas: Canvas;
  /** Tile pixels per source pixel. */
  readonly scale: number;
}

export interface PreviewOptions {
  readonly tiles: number;
  readonly tileWidth: number;
  readonly trailSec: number;
  readonly columns: number;
  /** The camera's zones (source pixels), outlined on every tile under the tracks. */
  readonly zones: readonly DrawnZone[];
}

export const PREVIEW_DEFAULTS: PreviewOptions = Object.freeze({ tiles: 12, tileWidth: 384, trailSec: 20, columns: 3, zones: [] });

export class ContactSheet {
  readonly #opts: PreviewOptions;
  #tiles: Tile[] = [];
  #every = 1;
  #seen = 0;

  constructor(opts: Partial<PreviewOptions> = {}) {
    this.#opts = Object.freeze({ ...PREVIEW_DEFAULTS, ...opts });
  }

  /** Offer every sampled frame; a copy of some of them is kept as a tile. */
  offer(frame: Frame): void {
    const n = this.#seen++;
    if (n % this.#every !== 0) return;
    this.#tiles.push(makeTile(frame, this.#opts.tileWidth));
    if (this.#tiles.length >= 2 * this.#opts.tiles) {
      this.#tiles = this.#tiles.filter((_, i) => i % 2 === 0);
      this.#every *= 2;
    }
  }

  get tileCount(): number {
    return this.#tiles.length;
  }

  /** Draw tracks and trails on the kept tiles and lay them out as one PNG. */
  render(points: readonly TrackPoint[], title: string): Buffer {
    const o = this.#opts;
    const chosen = pickEvenly(this.#tiles, o.tiles);
    if (chosen.length === 0) {
      const empty = createCanvas(o.tileWidth, 60, BLACK);
      drawText(empty, 6, 6, `${title}: NO FRAMES`, WHITE, { scale: 2 });
      return encodePng(empty);
    }
    const byId = groupById(points);
    const tileH = chosen[0]!.canvas.height;
    const cols = Math.min(o.columns, chosen.length);
    const rows = Math.ceil(chosen.length / cols);
    const header = 28;
    const sheet = createCanvas(cols * o.tileWidth + (cols + 1) * 4, header + rows * (tileH + 4) + 4, BLACK);
    drawText(sheet, 6, 6, title, WHITE, { scale: 2 });
    chosen.forEach((tile, i) => {
      const c = cloneCanvas(tile.canvas);
      drawZones(c, o.zones, tile.scale);
      annotate(c, tile, byId, o.trailSec);
      const x = 4 + (i % cols) * (o.tileWidth + 4);
      const y = header + Math.floor(i / cols) * (tileH + 4);
      blit(sheet, c, x, y);
    });
    return encodePng(sheet);
  }
}

function makeTile(frame: Frame, tileWidth: number): Tile {
  // Crop the letterbox padding away so the tile shows the camera image only.
  const lb = frame.letterbox;
  const cw = Math.min(frame.width - lb.padX, Math.round(lb.srcWidth * lb.scale));
  const ch = Math.min(frame.height - lb.padY, Math.round(lb.srcHeight * lb.scale));
  const crop = new Uint8Array(cw * ch * 3);
  for (let y = 0; y < ch; y++) {
    const from = ((y + lb.padY) * frame.width + lb.padX) * 3;
    crop.set(frame.data.subarray(from, from + cw * 3), y * cw * 3);
  }
  const tileHeight = Math.max(1, Math.round((ch * tileWidth) / cw));
  const canvas = resizeNearest(asCanvas(cw, ch, crop), tileWidth, tileHeight);
  return { frameIndex: frame.index, timeSec: frame.ptsSec, timestampMs: frame.timestampMs, canvas, scale: tileWidth / lb.srcWidth };
}

function annotate(c: Canvas, tile: Tile, byId: Map<number, TrackPoint[]>, trailSec: number): void {
  const s = tile.scale;
  for (const [id, pts] of byId) {
    const color = colorForId(id);
    const trail: Array<[number, number]> = [];
    let current: TrackPoint | undefined;
    for (const p of pts) {
      if (p.timeSec > tile.timeSec + 1e-6) break;
      if (p.timeSec >= tile.timeSec - trailSec) trail.push([((p.x1 + p.x2) / 2) * s, p.y2 * s]);
      if (p.frameIndex === tile.frameIndex) current = p;
    }
    if (trail.length > 1) drawPolyline(c, trail, color, { thickness: 2 });
    if (current) {
      drawRect(c, current.x1 * s, current.y1 * s, (current.x2 - current.x1) * s, (current.y2 - current.y1) * s, color, { thickness: 2 });
      drawText(c, current.x1 * s + 2, Math.max(0, current.y1 * s - 10), String(id), BLACK, { background: color });
    }
  }
  drawText(c, 3, 3, formatClock(tile.timeSec), WHITE, { background: BLACK });
}

function groupById(points: readonly TrackPoint[]): Map<number, TrackPoint[]> {
  const m = new Map<number, TrackPoint[]>();
  for (const p of points) {
    let a = m.get(p.id);
    if (!a) {
      a = [];
      m.set(p.id, a);
    }
    a.push(p);
  }
  for (const a of m.values()) a.sort((x, y) => x.timeSec - y.timeSec);
  return m;
}

export function pickEvenly<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(items[Math.round((i * (items.length - 1)) / (n - 1))]!);
  return out;
}

function cloneCanvas(c: Canvas): Canvas {
  return { width: c.width, height: c.height, data: c.data.slice() };
}

function formatClock(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}
