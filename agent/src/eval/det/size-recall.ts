/**
 * Person recall by box size at each score threshold, on a labelled video (MOT ground truth and
 * MOT det rows on the same sampled frames): which people a detector misses, and whether they are
 * the small ones (far from a wide-angle ceiling camera: what tiling or a larger input would buy).
 *
 * Matching is the COCO one (ap.ts): per frame, detections at or above the threshold in score
 * order each take the unmatched ground-truth box they overlap most, at IoU >= iouThreshold. A
 * ground-truth box counts in the bin of its own height; a detection in the bin of its own height,
 * so a bin's precision says how clean the detector is at that size.
 */
import { MisuseError } from '../../core/errors.js';
import type { MotRow } from '../../io/mot.js';
import { boxIouXyxy, type Xyxy } from './ap.js';

export interface SizeRecallOptions {
  /** Upper edges of the height bins in pixels, ascending; the last bin is open. Default 64, 128, 192, 256. */
  readonly binEdges?: readonly number[];
  /** Score thresholds to report, ascending. */
  readonly thresholds: readonly number[];
  readonly iouThreshold?: number;
  /** Only these frames count (the labelled ones); default: every frame with ground truth or a detection. */
  readonly frames?: readonly number[];
}

export interface BinCounts {
  /** "64-128" etc.; the last is "256+". */
  readonly bin: string;
  readonly gt: number;
  readonly matchedGt: number;
  readonly detections: number;
  readonly truePositives: number;
}

export interface ThresholdRow {
  readonly threshold: number;
  readonly bins: readonly BinCounts[];
  /** Over all bins. */
  readonly all: BinCounts;
}

export const DEFAULT_BIN_EDGES: readonly number[] = Object.freeze([64, 128, 192, 256]);

export function binLabels(edges: readonly number[]): string[] {
  return [...edges.map((e, i) => `${i === 0 ? 0 : edges[i - 1]}-${e}`), `${edges[edges.length - 1]}+`];
}

function binOf(h: number, edges: readonly number[]): number {
  const i = edges.findIndex((e) => h < e);
  return i < 0 ? edges.length : i;
}

const xyxy = (r: MotRow): Xyxy => [r.x, r.y, r.x + r.w, r.y + r.h];

export function sizeRecall(gt: readonly MotRow[], det: readonly MotRow[], o: SizeRecallOptions): ThresholdRow[] {
  const edges = o.binEdges ?? DEFAULT_BIN_EDGES;
  const iou = o.iouThreshold ?? 0.5;
  if (edges.length === 0 || edges.some((e, i) => !(e > (i === 0 ? 0 : edges[i - 1]!))))
    throw new MisuseError('FS_BAD_ARGUMENT', `bin edges must be positive and ascending, got ${edges.join(', ')}`);
  if (!(iou > 0 && iou <= 1)) throw new MisuseError('FS_BAD_ARGUMENT', `IoU threshold must be in (0, 1], got ${iou}`);
  const labels = binLabels(edges);
  const wanted = o.frames ? new Set(o.frames) : null;
  const byFrame = new Map<number, { gt: MotRow[]; det: MotRow[] }>();
  const slot = (f: number): { gt: MotRow[]; det: MotRow[] } => byFrame.get(f) ?? byFrame.set(f, { gt: [], det: [] }).get(f)!;
  for (const r of gt) if (!wanted || wanted.has(r.frame)) slot(r.frame).gt.push(r);
  for (const r of det) if (!wanted || wanted.has(r.frame)) slot(r.frame).det.push(r);
  return o.thresholds.map((threshold) => {
    const n = labels.length;
    const c = { gt: new Array<number>(n).fill(0), matched: new Array<number>(n).fill(0), det: new Array<number>(n).fill(0), tp: new Array<number>(n).fill(0) };
    for (const { gt: g, det: d } of byFrame.values()) {
      const dets = d.filter((r) => r.conf >= threshold).sort((a, b) => b.conf - a.conf);
      const taken = new Array<boolean>(g.length).fill(false);
      for (const r of g) c.gt[binOf(r.h, edges)]!++;
      for (const r of dets) {
        let best = iou - 1e-12;
        let m = -1;
        for (let k = 0; k < g.length; k++) {
          if (taken[k]) continue;
          const v = boxIouXyxy(xyxy(r), xyxy(g[k]!));
          if (v >= best) [best, m] = [v, k];
        }
        const db = binOf(r.h, edges);
        c.det[db]!++;
        if (m >= 0) {
          taken[m] = true;
          c.tp[db]!++;
          c.matched[binOf(g[m]!.h, edges)]!++;
        }
      }
    }
    const bins = labels.map((bin, i) => ({ bin, gt: c.gt[i]!, matchedGt: c.matched[i]!, detections: c.det[i]!, truePositives: c.tp[i]! }));
    const sum = (k: keyof Omit<BinCounts, 'bin'>): number => bins.reduce((s, b) => s + b[k], 0);
    return {
      threshold,
      bins,
      all: { bin: 'all', gt: sum('gt'), matchedGt: sum('matchedGt'), detections: sum('detections'), truePositives: sum('truePositives') },
    };
  });
}

/** Recall, precision and F1 of a bin (NaN where there is nothing to divide). */
export function rates(b: BinCounts): { recall: number; precision: number; f1: number } {
  const recall = b.gt > 0 ? b.matchedGt / b.gt : Number.NaN;
  const precision = b.detections > 0 ? b.truePositives / b.detections : Number.NaN;
  const f1 = b.gt + b.detections > 0 ? (2 * b.truePositives) / (b.gt + b.detections) : Number.NaN;
  return { recall, precision, f1 };
}

/** Counts of several sequences added bin by bin (the rows must come from the same thresholds and bins). */
export function poolRows(seqs: readonly (readonly ThresholdRow[])[]): ThresholdRow[] {
  const add = (a: BinCounts, b: BinCounts): BinCounts => ({
    bin: a.bin,
    gt: a.gt + b.gt,
    matchedGt: a.matchedGt + b.matchedGt,
    detections: a.detections + b.detections,
    truePositives: a.truePositives + b.truePositives,
  });
  return seqs[0]!.map((row, t) => ({
    threshold: row.threshold,
    bins: row.bins.map((b, i) => seqs.slice(1).reduce((acc, s) => add(acc, s[t]!.bins[i]!), b)),
    all: seqs.slice(1).reduce((acc, s) => add(acc, s[t]!.all), row.all),
  }));
}

/**
 * The threshold with the highest pooled F1 on the given sequences (ties: the lower threshold,
 * which keeps more people): the score at which a detection is as likely to be a person we want as
 * a person we lose by dropping it.
 */
export function bestF1Threshold(rows: readonly ThresholdRow[]): number {
  let best = rows[0]!;
  for (const r of rows) if (rates(r.all).f1 > rates(best.all).f1 + 1e-12) best = r;
  return best.threshold;
}

/** Plain-text table: one row per threshold, recall per height bin, then all-size recall, precision, F1. */
export function formatSizeRecallTable(title: string, rows: readonly ThresholdRow[]): string {
  const f = (v: number): string => (Number.isNaN(v) ? '    -' : v.toFixed(3).padStart(5));
  const bins = rows[0]?.bins ?? [];
  const head = ['thr', ...bins.map((b) => `R ${b.bin} (${b.gt})`), `R all (${rows[0]?.all.gt ?? 0})`, 'P all', 'F1', 'dets'];
  const lines = rows.map((r) => {
    const a = rates(r.all);
    return [String(r.threshold), ...r.bins.map((b) => f(rates(b).recall)), f(a.recall), f(a.precision), f(a.f1), String(r.all.detections)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return `${title}\n${[line(head), ...lines.map(line)].join('\n')}\n`;
}
