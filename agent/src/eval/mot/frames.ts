/**
 * The evaluation input, independent of file formats: per frame, which ground-truth and predicted
 * ids are present and how similar (IoU) each pair is. Box files are turned into this once;
 * synthetic cases (TrackEval's unit tests) are written in it directly.
 */
import { MisuseError } from '../../core/errors.js';
import type { MotRow } from '../../io/mot.js';

export interface EvalFrame {
  /** Frame number (1-based in MOT files). Only the order matters to the metrics. */
  readonly frame: number;
  readonly gtIds: readonly number[];
  readonly predIds: readonly number[];
  /** similarity[g][p]: IoU between gtIds[g] and predIds[p], in [0, 1]. */
  readonly similarity: readonly (readonly number[])[];
}

export interface FrameOptions {
  /** Keep only frames where (frame - 1) % stride == 0, in both GT and predictions. Default 1. */
  readonly stride?: number;
}

/**
 * Box IoU on MOT's top-left x, y, w, h. Degenerate boxes have IoU 0. Sizes are taken from the
 * corners ((x + w) - x), as py-motmetrics and TrackEval do, so a box against itself gives exactly 1.
 */
export function boxIou(a: Pick<MotRow, 'x' | 'y' | 'w' | 'h'>, b: Pick<MotRow, 'x' | 'y' | 'w' | 'h'>): number {
  const ax1 = a.x + a.w;
  const ay1 = a.y + a.h;
  const bx1 = b.x + b.w;
  const by1 = b.y + b.h;
  const inter = Math.max(Math.min(ax1, bx1) - Math.max(a.x, b.x), 0) * Math.max(Math.min(ay1, by1) - Math.max(a.y, b.y), 0);
  if (inter === 0) return 0;
  const union = Math.max(ax1 - a.x, 0) * Math.max(ay1 - a.y, 0) + Math.max(bx1 - b.x, 0) * Math.max(by1 - b.y, 0) - inter;
  return union > 0 ? Math.min(inter / union, 1) : 0;
}

export function checkStride(stride: number | undefined): number {
  const s = stride ?? 1;
  if (!Number.isInteger(s) || s < 1) throw new MisuseError('FS_BAD_ARGUMENT', `stride must be an integer >= 1, got ${String(stride)}`, { stride });
  return s;
}

/** Keep rows on the stride grid: frames 1, 1+N, 1+2N, ... */
export function strideRows<T extends { readonly frame: number }>(rows: readonly T[], stride: number): T[] {
  const s = checkStride(stride);
  return s === 1 ? [...rows] : rows.filter((r) => (r.frame - 1) % s === 0);
}

/**
 * Frames in ascending order over the union of GT and prediction frames (a frame missing on one
 * side gives misses or false positives, as py-motmetrics does). All boxes are kept.
 */
export function framesFromRows(gtRows: readonly MotRow[], predRows: readonly MotRow[], opts: FrameOptions = {}): EvalFrame[] {
  const stride = checkStride(opts.stride);
  const gt = byFrame(strideRows(gtRows, stride));
  const pred = byFrame(strideRows(predRows, stride));
  const frames = [...new Set([...gt.keys(), ...pred.keys()])].sort((a, b) => a - b);
  return frames.map((frame) => {
    const g = gt.get(frame) ?? [];
    const p = pred.get(frame) ?? [];
    checkUniqueIds(g, frame, 'ground truth');
    checkUniqueIds(p, frame, 'predictions');
    return {
      frame,
      gtIds: g.map((r) => r.id),
      predIds: p.map((r) => r.id),
      similarity: g.map((a) => p.map((b) => boxIou(a, b))),
    };
  });
}

function byFrame(rows: readonly MotRow[]): Map<number, MotRow[]> {
  const m = new Map<number, MotRow[]>();
  for (const r of rows) {
    const a = m.get(r.frame);
    if (a) a.push(r);
    else m.set(r.frame, [r]);
  }
  return m;
}

// An id twice in one frame makes identity metrics meaningless; say so instead of guessing.
function checkUniqueIds(rows: readonly MotRow[], frame: number, side: string): void {
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.id)) throw new MisuseError('FS_BAD_ARGUMENT', `${side}: id ${r.id} appears twice in frame ${frame}`, { frame, id: r.id });
    seen.add(r.id);
  }
}

/** Check a hand-built frame list: matrix shapes, similarity range, unique ids, ascending frames. */
export function validateFrames(frames: readonly EvalFrame[]): void {
  let last = -Infinity;
  for (const f of frames) {
    if (!(f.frame > last)) throw new MisuseError('FS_BAD_ARGUMENT', `frames must be in ascending order: ${f.frame} after ${last}`);
    last = f.frame;
    if (new Set(f.gtIds).size !== f.gtIds.length) throw new MisuseError('FS_BAD_ARGUMENT', `frame ${f.frame}: duplicate ground-truth id`);
    if (new Set(f.predIds).size !== f.predIds.length) throw new MisuseError('FS_BAD_ARGUMENT', `frame ${f.frame}: duplicate predicted id`);
    if (f.similarity.length !== f.gtIds.length)
      throw new MisuseError('FS_BAD_ARGUMENT', `frame ${f.frame}: similarity has ${f.similarity.length} rows for ${f.gtIds.length} ground-truth ids`);
    for (const row of f.similarity) {
      if (row.length !== f.predIds.length)
        throw new MisuseError('FS_BAD_ARGUMENT', `frame ${f.frame}: similarity row has ${row.length} values for ${f.predIds.length} predicted ids`);
      for (const v of row) {
        if (!(v >= 0 && v <= 1)) throw new MisuseError('FS_BAD_ARGUMENT', `frame ${f.frame}: similarity ${v} outside [0, 1]`);
      }
    }
  }
}
