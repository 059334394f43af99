/**
 * COCO-style detection AP, computed the way pycocotools' COCOeval does for bounding boxes (area
 * range "all", no crowd regions):
 *
 *  - per image and class, detections sorted by score (stable) and cut to maxDets; at each IoU
 *    threshold each detection in turn takes the unmatched ground truth it overlaps most, if that
 *    IoU >= threshold (greedy by score);
 *  - per class, all images' detections sorted by score; cumulative TP/FP give precision/recall;
 *    precision is made non-increasing from the right and read at 101 recall points 0, 0.01 .. 1
 *    (the first detection reaching each recall; 0 where recall is never reached); AP is their mean;
 *  - AP50 uses IoU 0.5; AP50-95 averages the ten thresholds 0.50, 0.55 .. 0.95;
 *  - the overall figure is the mean over classes that have ground truth (classes with none are left out).
 * Precision/recall "at the operating threshold" count detections with score >= that threshold at IoU 0.5.
 */
import { MisuseError } from '../../core/errors.js';

import { iouXyxy, type Xyxy } from '../../core/boxes.js';
export type { Xyxy } from '../../core/boxes.js';
/** IoU of two [x1, y1, x2, y2] boxes (core/boxes.ts). */
export const boxIouXyxy = iouXyxy;

export interface GtBox {
  readonly image: string;
  readonly cls: number;
  readonly box: Xyxy;
}

export interface PredBox extends GtBox {
  readonly score: number;
}

export interface DetEvalOptions {
  /** Detections kept per image and class, best first (COCO maxDets). Default 100. */
  readonly maxDets?: number;
  /** Score at which the product runs, for precision/recall. Default 0.25. */
  readonly operatingThreshold?: number;
  /** Evaluate only these classes (both sides). Default: every class seen in either. */
  readonly classes?: readonly number[];
  /** Names for the report; index = class id. */
  readonly classNames?: readonly string[];
}

export interface ClassResult {
  readonly cls: number;
  readonly name: string;
  readonly numGt: number;
  readonly numPred: number;
  /** NaN-free: classes without ground truth are not listed. */
  readonly AP50: number;
  readonly AP50_95: number;
  /** At the operating threshold, IoU 0.5. */
  readonly precision: number;
  readonly recall: number;
  readonly tp: number;
  readonly fp: number;
}

export interface DetMetrics {
  /** Mean over classes with ground truth. */
  readonly AP50: number;
  readonly AP50_95: number;
  /** Pooled over those classes at the operating threshold (TP / (TP + FP), TP / GT). */
  readonly precision: number;
  readonly recall: number;
  readonly operatingThreshold: number;
  readonly numImages: number;
  readonly numGt: number;
  readonly numPred: number;
  readonly perClass: ClassResult[];
}

/** numpy linspace(0.5, 0.95, 10): start + i * step, last = stop exactly. */
export const IOU_THRESHOLDS: readonly number[] = Object.freeze(Array.from({ length: 10 }, (_, i) => (i === 9 ? 0.95 : 0.5 + i * ((0.95 - 0.5) / 9))));
/** numpy linspace(0, 1, 101), as pycocotools' recThrs. */
export const RECALL_POINTS: readonly number[] = Object.freeze(Array.from({ length: 101 }, (_, i) => (i === 100 ? 1 : i * 0.01)));

/** One class's detections in score order with their match flag per IoU threshold. */
interface Scored {
  score: number;
  matched: boolean[];
}

export function evaluateDetections(gt: readonly GtBox[], pred: readonly PredBox[], opts: DetEvalOptions = {}): DetMetrics {
  const maxDets = opts.maxDets ?? 100;
  const op = opts.operatingThreshold ?? 0.25;
  if (!Number.isInteger(maxDets) || maxDets < 1) throw new MisuseError('FS_BAD_ARGUMENT', `maxDets must be an integer >= 1, got ${maxDets}`);
  if (!(op >= 0 && op <= 1)) throw new MisuseError('FS_BAD_ARGUMENT', `operatingThreshold must be in [0, 1], got ${op}`);
  for (const p of pred) {
    if (!Number.isFinite(p.score)) throw new MisuseError('FS_BAD_ARGUMENT', `prediction on ${p.image} has score ${p.score}`);
  }
  const wanted = opts.classes ? new Set(opts.classes) : undefined;
  const keep = (c: number): boolean => !wanted || wanted.has(c);
  const images = [...new Set([...gt.map((g) => g.image), ...pred.map((p) => p.image)])];
  const classes = [...new Set([...gt.map((g) => g.cls), ...pred.map((p) => p.cls)])].filter(keep).sort((a, b) => a - b);

  const perClass: ClassResult[] = [];
  let tpAll = 0;
  let fpAll = 0;
  let gtAll = 0;
  let predAll = 0;
  for (const cls of classes) {
    const scored: Scored[] = [];
    let numGt = 0;
    let numPred = 0;
    for (const image of images) {
      const g = gt.filter((b) => b.image === image && b.cls === cls);
      const d = stableSortByScore(pred.filter((b) => b.image === image && b.cls === cls)).slice(0, maxDets);
      numGt += g.length;
      numPred += d.length;
      scored.push(...matchImage(g, d));
    }
    gtAll += numGt;
    predAll += numPred;
    if (numGt === 0) continue; // COCO leaves classes without ground truth out of the mean
    // Images are concatenated in order, then one stable sort by score (pycocotools: mergesort).
    const ordered = stableSortByScore(scored);
    const ap = IOU_THRESHOLDS.map((_, t) =>
      averagePrecision(
        ordered.map((s) => s.matched[t]!),
        numGt,
      ),
    );
    const atOp = ordered.filter((s) => s.score >= op);
    const tp = atOp.filter((s) => s.matched[0]).length;
    const fp = atOp.length - tp;
    tpAll += tp;
    fpAll += fp;
    perClass.push({
      cls,
      name: opts.classNames?.[cls] ?? `class${cls}`,
      numGt,
      numPred,
      AP50: ap[0]!,
      AP50_95: mean(ap),
      precision: tp + fp > 0 ? tp / (tp + fp) : 0,
      recall: tp / numGt,
      tp,
      fp,
    });
  }
  const gtInCounted = perClass.reduce((s, c) => s + c.numGt, 0);
  return {
    AP50: perClass.length ? mean(perClass.map((c) => c.AP50)) : 0,
    AP50_95: perClass.length ? mean(perClass.map((c) => c.AP50_95)) : 0,
    precision: tpAll + fpAll > 0 ? tpAll / (tpAll + fpAll) : 0,
    recall: gtInCounted > 0 ? tpAll / gtInCounted : 0,
    operatingThreshold: op,
    numImages: images.length,
    numGt: gtAll,
    numPred: predAll,
    perClass,
  };
}

/** Greedy COCO matching within one image and class; `dets` already sorted and cut. */
function matchImage(gts: readonly GtBox[], dets: readonly PredBox[]): Scored[] {
  const ious = dets.map((d) => gts.map((g) => boxIouXyxy(d.box, g.box)));
  const out: Scored[] = dets.map((d) => ({ score: d.score, matched: IOU_THRESHOLDS.map(() => false) }));
  IOU_THRESHOLDS.forEach((thr, t) => {
    const taken = new Array<boolean>(gts.length).fill(false);
    dets.forEach((_, di) => {
      let best = Math.min(thr, 1 - 1e-10);
      let m = -1;
      for (let gi = 0; gi < gts.length; gi++) {
        if (taken[gi]) continue;
        const v = ious[di]![gi]!;
        if (v < best) continue;
        best = v;
        m = gi;
      }
      if (m >= 0) {
        taken[m] = true;
        out[di]!.matched[t] = true;
      }
    });
  });
  return out;
}

/** 101-point interpolated AP from match flags in descending score order. */
export function averagePrecision(isTp: readonly boolean[], numGt: number): number {
  const n = isTp.length;
  const rc = new Float64Array(n);
  const pr = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    if (isTp[i]) tp++;
    else fp++;
    rc[i] = tp / numGt;
    pr[i] = tp / (tp + fp + Number.EPSILON);
  }
  for (let i = n - 1; i > 0; i--) if (pr[i]! > pr[i - 1]!) pr[i - 1] = pr[i]!;
  let sum = 0;
  let i = 0;
  for (const r of RECALL_POINTS) {
    while (i < n && rc[i]! < r) i++; // searchsorted(rc, r, side='left')
    if (i < n) sum += pr[i]!;
  }
  return sum / RECALL_POINTS.length;
}

function stableSortByScore<T extends { readonly score: number }>(xs: readonly T[]): T[] {
  return xs
    .map((x, i) => [x, i] as const)
    .sort((a, b) => b[0].score - a[0].score || a[1] - b[1])
    .map(([x]) => x);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, v) => s + v, 0) / xs.length;
}
