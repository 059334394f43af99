/**
 * Detection on parts of a frame, in Frigate's manner: from the blocks the motion gate saw change,
 * form a few square-ish regions (merged, padded, at least the model's input size), crop each from
 * the full-resolution frame, letterbox it into the model input (a small region is also a
 * resolution gain for small people), and map the boxes back to source pixels. Tiling a wide
 * ceiling camera is the same mechanism with a fixed grid of crops. Pure: geometry, pixels, merging.
 *
 * Coordinates: a Rect is in FRAME pixels (the decoded picture, `frame.width x frame.height`); boxes
 * out of the detector are in SOURCE pixels (through the frame's own letterbox, which for a
 * substream maps onto the main stream).
 */
import { type Detections, makeDetections } from '../core/detections.js';
import { MisuseError } from '../core/errors.js';
import { type Frame, type Letterbox, letterboxFor } from '../core/frame.js';
import { iouAt } from '../detect/nms.js';
import { LETTERBOX_GREY } from '../ingest/argv.js';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface RegionFormOptions {
  /** Smallest region side in frame pixels (the model input size, or the frame's short side when smaller). */
  readonly minSide: number;
  /** Margin added around the moving blocks, as a fraction of their larger side. */
  readonly pad: number;
  /** More regions than this after merging: one full-frame pass instead. */
  readonly maxRegions: number;
  /** Regions covering more than this fraction of the frame (summed areas): one full-frame pass instead. */
  readonly maxCover: number;
}

/** What to detect on: the whole frame, or these crops. */
export type RegionPlan = { readonly kind: 'full'; readonly why: 'cover' | 'count' } | { readonly kind: 'regions'; readonly rects: readonly Rect[] };

/**
 * Connected groups (8-neighbour) of changed blocks on a cols x rows grid laid over the frame, as
 * frame-pixel bounding boxes.
 */
export function changedGroups(mask: Uint8Array, cols: number, rows: number, frame: Size): Rect[] {
  if (mask.length !== cols * rows) throw new MisuseError('FS_BAD_ARGUMENT', `regions: mask has ${mask.length} blocks, the grid ${cols}x${rows}`);
  const seen = new Uint8Array(mask.length);
  const out: Rect[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let gx1 = cols;
    let gy1 = rows;
    let gx2 = -1;
    let gy2 = -1;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const b = stack.pop()!;
      const bx = b % cols;
      const by = (b - bx) / cols;
      gx1 = Math.min(gx1, bx);
      gy1 = Math.min(gy1, by);
      gx2 = Math.max(gx2, bx);
      gy2 = Math.max(gy2, by);
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = bx + dx;
          const ny = by + dy;
          if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
          const n = ny * cols + nx;
          if (mask[n] && !seen[n]) {
            seen[n] = 1;
            stack.push(n);
          }
        }
    }
    // Block edges as the gate lays them (lumaGrid: block g covers [g*W/grid, (g+1)*W/grid)).
    const x1 = Math.floor((gx1 * frame.width) / cols);
    const y1 = Math.floor((gy1 * frame.height) / rows);
    const x2 = Math.ceil(((gx2 + 1) * frame.width) / cols);
    const y2 = Math.ceil(((gy2 + 1) * frame.height) / rows);
    out.push({ x: x1, y: y1, w: x2 - x1, h: y2 - y1 });
  }
  return out;
}

/**
 * A square of side max(minSide, larger side * (1 + 2 pad)) centred on `r`, shifted (not shrunk)
 * to lie inside the frame; a side longer than the frame's is cut to it.
 */
export function squareAround(r: Rect, frame: Size, minSide: number, pad: number): Rect {
  const side = Math.ceil(Math.max(minSide, Math.max(r.w, r.h) * (1 + 2 * pad)));
  const w = Math.min(frame.width, side);
  const h = Math.min(frame.height, side);
  const cx = r.x + r.w / 2;
  const cy = r.y + r.h / 2;
  // floor, not round: with integer inputs the square then always contains `r` (planRegions relies on it).
  const x = Math.min(frame.width - w, Math.max(0, Math.floor(cx - w / 2)));
  const y = Math.min(frame.height - h, Math.max(0, Math.floor(cy - h / 2)));
  return { x, y, w, h };
}

export function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Box [x1, y1, x2, y2] as a Rect. */
export function rectOfBox(b: ArrayLike<number>, at = 0): Rect {
  return { x: b[at]!, y: b[at + 1]!, w: b[at + 2]! - b[at]!, h: b[at + 3]! - b[at + 1]! };
}

/**
 * Regions for one frame: each group of changed blocks squared and padded; grown to take in every
 * known person box (frame pixels) it touches, so a person at a region's edge is not cut in two;
 * overlapping regions merged (their union squared again) until none overlap. Too many, or too much
 * of the frame: a full-frame pass is cheaper and loses nothing.
 */
export function planRegions(groups: readonly Rect[], knownBoxes: readonly Rect[], frame: Size, o: RegionFormOptions): RegionPlan {
  const known = knownBoxes.map((k) => clipRect(k, frame)).filter((k) => k.w > 0 && k.h > 0);
  let rects = groups.map((g) => squareAround(clipRect(g, frame), frame, o.minSide, o.pad));
  // Each pass grows or merges at least one region, and regions only grow inside the frame.
  for (let changed = true, passes = 0; changed && passes < 1000; passes++) {
    changed = false;
    for (let i = 0; i < rects.length && !changed; i++) {
      for (const k of known) {
        const r = rects[i]!;
        if (!intersects(r, k)) continue;
        const u = union(r, k);
        if (u.w === r.w && u.h === r.h) continue; // already inside
        rects[i] = squareAround(u, frame, o.minSide, 0);
        changed = true;
        break;
      }
      for (let j = i + 1; j < rects.length && !changed; j++) {
        if (!intersects(rects[i]!, rects[j]!)) continue;
        rects[i] = squareAround(union(rects[i]!, rects[j]!), frame, o.minSide, 0);
        rects = rects.filter((_, k) => k !== j);
        changed = true;
      }
    }
  }
  if (rects.length > o.maxRegions) return { kind: 'full', why: 'count' };
  const area = rects.reduce((s, r) => s + r.w * r.h, 0);
  if (area > o.maxCover * frame.width * frame.height) return { kind: 'full', why: 'cover' };
  return { kind: 'regions', rects };
}

/** `r` cut to the frame, on whole pixels (outwards). */
function clipRect(r: Rect, frame: Size): Rect {
  const x1 = Math.max(0, Math.floor(r.x));
  const y1 = Math.max(0, Math.floor(r.y));
  const x2 = Math.min(frame.width, Math.ceil(r.x + r.w));
  const y2 = Math.min(frame.height, Math.ceil(r.y + r.h));
  return { x: x1, y: y1, w: Math.max(0, x2 - x1), h: Math.max(0, y2 - y1) };
}

/** A fixed cols x rows grid over the frame, neighbours overlapping by `overlap` of a tile's side. */
export function tileRects(frame: Size, cols: number, rows: number, overlap: number): Rect[] {
  const tw = Math.ceil(frame.width / (cols - (cols - 1) * overlap));
  const th = Math.ceil(frame.height / (rows - (rows - 1) * overlap));
  const out: Rect[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const x = cols === 1 ? 0 : Math.round((c * (frame.width - tw)) / (cols - 1));
      const y = rows === 1 ? 0 : Math.round((r * (frame.height - th)) / (rows - 1));
      out.push({ x, y, w: Math.min(tw, frame.width - x), h: Math.min(th, frame.height - y) });
    }
  return out;
}

/**
 * The letterbox of a crop: model pixels of the crop straight to SOURCE pixels, through the crop's
 * own fit into the model input and the frame's letterbox. unletterbox() with it maps the crop's
 * boxes back, clipped to the source picture.
 */
export function cropLetterbox(frameLb: Letterbox, crop: Rect, model: Size): Letterbox {
  const fit = letterboxFor(crop.w, crop.h, model.width, model.height);
  // model m = (f - crop.x) * s + pad, and frame f = src * S + P  =>  m = src * (s*S) + pad + (P - crop.x) * s
  return {
    srcWidth: frameLb.srcWidth,
    srcHeight: frameLb.srcHeight,
    dstWidth: model.width,
    dstHeight: model.height,
    scale: fit.scale * frameLb.scale,
    padX: fit.padX + (frameLb.padX - crop.x) * fit.scale,
    padY: fit.padY + (frameLb.padY - crop.y) * fit.scale,
  };
}

/**
 * The crop `r` of an RGB24 frame, resized into a model-sized letterbox (centred, grey padding) in
 * `out` (model.width * model.height * 3 bytes). Shrinking by 2x or more averages each output
 * pixel's whole source footprint (an area filter, every source pixel read once: a full-frame pass
 * at a third of 1080p does not alias, as swscale's filtered downscale does not); otherwise
 * bilinear. Source positions and weights are computed once per column and per row.
 */
export function cropInto(frame: Pick<Frame, 'width' | 'height' | 'data'>, r: Rect, model: Size, out: Uint8Array): Uint8Array {
  if (out.length !== model.width * model.height * 3) throw new MisuseError('FS_BAD_ARGUMENT', `regions: output buffer has ${out.length} bytes`);
  if (r.x < 0 || r.y < 0 || r.w < 1 || r.h < 1 || r.x + r.w > frame.width || r.y + r.h > frame.height) {
    throw new MisuseError('FS_BAD_ARGUMENT', `regions: crop ${r.w}x${r.h}+${r.x}+${r.y} is outside the ${frame.width}x${frame.height} frame`);
  }
  const fit = letterboxFor(r.w, r.h, model.width, model.height);
  const cw = Math.min(model.width - fit.padX, Math.round(r.w * fit.scale));
  const ch = Math.min(model.height - fit.padY, Math.round(r.h * fit.scale));
  out.fill(LETTERBOX_GREY);
  if (1 / fit.scale >= 2) areaInto(frame, r, cw, ch, fit.padX, fit.padY, model.width, out);
  else bilinearInto(frame, r, fit.scale, cw, ch, fit.padX, fit.padY, model.width, out);
  return out;
}

/** Source index ranges [start, end) of each of `n` outputs spread over `len` source pixels from `at`. */
function spans(at: number, len: number, n: number): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    start[i] = at + Math.floor((i * len) / n);
    end[i] = Math.max(start[i]! + 1, at + Math.floor(((i + 1) * len) / n));
  }
  return { start, end };
}

function areaInto(frame: Pick<Frame, 'width' | 'data'>, r: Rect, cw: number, ch: number, padX: number, padY: number, outW: number, out: Uint8Array): void {
  const xs = spans(r.x, r.w, cw);
  const ys = spans(r.y, r.h, ch);
  const { width: W, data } = frame;
  const acc = new Uint32Array(cw * 3);
  for (let dy = 0; dy < ch; dy++) {
    acc.fill(0);
    const y0 = ys.start[dy]!;
    const y1 = ys.end[dy]!;
    for (let sy = y0; sy < y1; sy++) {
      const row = sy * W * 3;
      for (let dx = 0; dx < cw; dx++) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        const e = row + xs.end[dx]! * 3;
        for (let i = row + xs.start[dx]! * 3; i < e; i += 3) {
          a0 += data[i]!;
          a1 += data[i + 1]!;
          a2 += data[i + 2]!;
        }
        const j = dx * 3;
        acc[j] = acc[j]! + a0;
        acc[j + 1] = acc[j + 1]! + a1;
        acc[j + 2] = acc[j + 2]! + a2;
      }
    }
    const o = ((dy + padY) * outW + padX) * 3;
    for (let dx = 0; dx < cw; dx++) {
      const k = (xs.end[dx]! - xs.start[dx]!) * (y1 - y0);
      out[o + dx * 3] = Math.round(acc[dx * 3]! / k);
      out[o + dx * 3 + 1] = Math.round(acc[dx * 3 + 1]! / k);
      out[o + dx * 3 + 2] = Math.round(acc[dx * 3 + 2]! / k);
    }
  }
}

/** Bilinear taps (pixel-centre aligned) of `n` outputs at `scale` from `at`, clamped to [at, at + len - 1]. */
function taps(at: number, len: number, scale: number, n: number): { i0: Int32Array; i1: Int32Array; f: Float32Array } {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const f = new Float32Array(n);
  const last = at + len - 1;
  for (let d = 0; d < n; d++) {
    const s = Math.min(last, Math.max(at, at + (d + 0.5) / scale - 0.5));
    i0[d] = Math.floor(s);
    i1[d] = Math.min(last, i0[d]! + 1);
    f[d] = s - i0[d]!;
  }
  return { i0, i1, f };
}

function bilinearInto(
  frame: Pick<Frame, 'width' | 'data'>,
  r: Rect,
  scale: number,
  cw: number,
  ch: number,
  padX: number,
  padY: number,
  outW: number,
  out: Uint8Array,
): void {
  const tx = taps(r.x, r.w, scale, cw);
  const ty = taps(r.y, r.h, scale, ch);
  const { width: W, data } = frame;
  for (let dy = 0; dy < ch; dy++) {
    const rowA = ty.i0[dy]! * W * 3;
    const rowB = ty.i1[dy]! * W * 3;
    const fy = ty.f[dy]!;
    const o = ((dy + padY) * outW + padX) * 3;
    for (let dx = 0; dx < cw; dx++) {
      const xa = tx.i0[dx]! * 3;
      const xb = tx.i1[dx]! * 3;
      const fx = tx.f[dx]!;
      const a = rowA + xa;
      const b = rowA + xb;
      const c = rowB + xa;
      const d = rowB + xb;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const q = o + dx * 3;
      // + 0.5 then truncation by the Uint8Array store: rounding without a Math.round call per value.
      out[q] = data[a]! * w00 + data[b]! * w01 + data[c]! * w10 + data[d]! * w11 + 0.5;
      out[q + 1] = data[a + 1]! * w00 + data[b + 1]! * w01 + data[c + 1]! * w10 + data[d + 1]! * w11 + 0.5;
      out[q + 2] = data[a + 2]! * w00 + data[b + 2]! * w01 + data[c + 2]! * w10 + data[d + 2]! * w11 + 0.5;
    }
  }
}

/** Detections of one crop (source pixels) and the crop's bounds in source pixels. */
export interface CropDetections {
  readonly dets: Detections;
  /** The crop in source pixels; null for a full-frame pass (no inner edges). */
  readonly bounds: readonly [number, number, number, number] | null;
}

/**
 * One set of detections from several crops. A box that touches an inner edge of its crop (not the
 * picture's edge) may be a person cut by that edge: it is kept only when no whole box already
 * kept covers most of it (intersection over its own area > `coverIos`). The rest is plain
 * class-aware NMS at `iouThreshold`, best score first, whole boxes before cut ones.
 */
export function mergeCrops(parts: readonly CropDetections[], picture: Size, iouThreshold: number, coverIos = 0.6): Detections {
  const n = parts.reduce((s, p) => s + p.dets.length, 0);
  const xyxy = new Float32Array(n * 4);
  const score = new Float32Array(n);
  const cls = new Int32Array(n);
  const cut = new Uint8Array(n);
  let i = 0;
  const edge = 2; // source pixels: a box within this of an inner crop edge counts as touching it
  for (const p of parts) {
    for (let k = 0; k < p.dets.length; k++, i++) {
      xyxy.set(p.dets.xyxy.subarray(k * 4, k * 4 + 4), i * 4);
      score[i] = p.dets.score[k]!;
      cls[i] = p.dets.cls[k]!;
      const b = p.bounds;
      if (!b) continue;
      const [x1, y1, x2, y2] = [xyxy[i * 4]!, xyxy[i * 4 + 1]!, xyxy[i * 4 + 2]!, xyxy[i * 4 + 3]!];
      cut[i] = Number(
        (b[0] > 0 && x1 <= b[0] + edge) ||
          (b[1] > 0 && y1 <= b[1] + edge) ||
          (b[2] < picture.width && x2 >= b[2] - edge) ||
          (b[3] < picture.height && y2 >= b[3] - edge),
      );
    }
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((p, q) => cut[p]! - cut[q]! || score[q]! - score[p]! || p - q);
  const keep: number[] = [];
  for (const j of order) {
    let drop = false;
    for (const k of keep) {
      if (cls[k] !== cls[j]) continue;
      if (iouAt(xyxy, k, xyxy, j) > iouThreshold || (cut[j] && coveredBy(xyxy, j, k) > coverIos)) {
        drop = true;
        break;
      }
    }
    if (!drop) keep.push(j);
  }
  keep.sort((p, q) => score[q]! - score[p]! || p - q);
  const ox = new Float32Array(keep.length * 4);
  for (const [k, j] of keep.entries()) ox.set(xyxy.subarray(j * 4, j * 4 + 4), k * 4);
  return makeDetections(
    ox,
    Float32Array.from(keep, (j) => score[j]!),
    Int32Array.from(keep, (j) => cls[j]!),
  );
}

/** Area of box j inside box k, over box j's own area. */
function coveredBy(xyxy: Float32Array, j: number, k: number): number {
  const iw = Math.min(xyxy[j * 4 + 2]!, xyxy[k * 4 + 2]!) - Math.max(xyxy[j * 4]!, xyxy[k * 4]!);
  const ih = Math.min(xyxy[j * 4 + 3]!, xyxy[k * 4 + 3]!) - Math.max(xyxy[j * 4 + 1]!, xyxy[k * 4 + 1]!);
  const area = (xyxy[j * 4 + 2]! - xyxy[j * 4]!) * (xyxy[j * 4 + 3]! - xyxy[j * 4 + 1]!);
  return iw > 0 && ih > 0 && area > 0 ? (iw * ih) / area : 0;
}
