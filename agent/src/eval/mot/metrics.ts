/**
 * Turning counts into the reported metrics, and the public evaluation entry points.
 *
 * Key names follow py-motmetrics / TrackEval spelling so results compare line by line with those
 * tools. All ratios are fractions (0.527, not 52.7).
 */
import { MisuseError } from '../../core/errors.js';
import type { MotRow } from '../../io/mot.js';
import { addClearCounts, clearCounts, emptyClearCounts, type ClearCounts } from './clear.js';
import { framesFromRows, validateFrames, type EvalFrame } from './frames.js';
import { combineHota, hotaCounts, summariseHota, type HotaCounts, type HotaSummary } from './hota.js';

/** The keys `floorsense eval mot --json` prints, in print order. */
export const MOT_SUMMARY_KEYS = [
  'MOTA',
  'MOTP',
  'IDF1',
  'IDP',
  'IDR',
  'Recall',
  'Precision',
  'FP',
  'FN',
  'IDSW',
  'Frag',
  'MT',
  'PT',
  'ML',
  'HOTA',
  'DetA',
  'AssA',
  'LocA',
] as const;
export type MotSummaryKey = (typeof MOT_SUMMARY_KEYS)[number];
export type MotSummary = Record<MotSummaryKey, number>;

export interface MotMetrics extends MotSummary {
  /** MOTP as mean IoU of matched pairs (the MOTChallenge devkit's MOTP, as a fraction). MOTP itself is py-motmetrics' mean 1 - IoU. */
  MOTP_IoU: number;
  /** Matches plus switches (py-motmetrics num_detections); equals CLEAR TP. */
  TP: number;
  IDTP: number;
  IDFP: number;
  IDFN: number;
  numFrames: number;
  numObjects: number;
  numPredictions: number;
  numGtIds: number;
  numPredIds: number;
  DetRe: number;
  DetPr: number;
  AssRe: number;
  AssPr: number;
  hotaPerAlpha: HotaSummary['perAlpha'];
}

export interface MotEvalOptions {
  /** A pair can match for CLEAR/identity when IoU >= this. Default 0.5 (distth 0.5 in py-motmetrics). */
  readonly iouThreshold?: number;
  /** Keep only frames where (frame - 1) % stride == 0, in both GT and predictions. Default 1. */
  readonly stride?: number;
}

/** What one sequence contributes to a combined row. Plain data; combine with `combineMotCounts`. */
export interface MotCounts {
  readonly clear: ClearCounts;
  readonly hota: HotaCounts;
}

export interface MotSequenceResult {
  readonly name: string;
  readonly metrics: MotMetrics;
  readonly counts: MotCounts;
}

export interface MotSequencesResult {
  readonly sequences: MotSequenceResult[];
  /** py-motmetrics' OVERALL (counts summed) and TrackEval's combined HOTA. */
  readonly combined: MotMetrics;
}

export interface MotSequenceInput {
  readonly name: string;
  readonly gt: readonly MotRow[];
  readonly pred: readonly MotRow[];
}

/** Score predicted tracks against ground truth (MOTChallenge rows, both sides). */
export function evaluateMot(gtRows: readonly MotRow[], predRows: readonly MotRow[], opts: MotEvalOptions = {}): MotMetrics {
  return summariseMot(countMot(gtRows, predRows, opts));
}

/** Several sequences: a row each and a combined row. Names must be unique. */
export function evaluateMotSequences(seqs: readonly MotSequenceInput[], opts: MotEvalOptions = {}): MotSequencesResult {
  if (seqs.length === 0) throw new MisuseError('FS_BAD_ARGUMENT', 'evaluateMotSequences needs at least one sequence');
  const names = new Set<string>();
  for (const s of seqs) {
    if (names.has(s.name)) throw new MisuseError('FS_BAD_ARGUMENT', `sequence name "${s.name}" given twice`, { name: s.name });
    names.add(s.name);
  }
  const sequences = seqs.map((s) => {
    const counts = countMot(s.gt, s.pred, opts);
    return { name: s.name, counts, metrics: summariseMot(counts) };
  });
  return { sequences, combined: summariseMot(combineMotCounts(sequences.map((s) => s.counts))) };
}

/** Evaluate pre-built frames (ids + similarity), e.g. synthetic cases. */
export function evaluateFrames(frames: readonly EvalFrame[], opts: Pick<MotEvalOptions, 'iouThreshold'> = {}): MotMetrics {
  validateFrames(frames);
  return summariseMot(countFrames(frames, opts));
}

export function countMot(gtRows: readonly MotRow[], predRows: readonly MotRow[], opts: MotEvalOptions = {}): MotCounts {
  return countFrames(framesFromRows(gtRows, predRows, { stride: opts.stride }), opts);
}

function countFrames(frames: readonly EvalFrame[], opts: Pick<MotEvalOptions, 'iouThreshold'>): MotCounts {
  const th = opts.iouThreshold ?? 0.5;
  if (!(th > 0 && th <= 1)) throw new MisuseError('FS_BAD_ARGUMENT', `iouThreshold must be in (0, 1], got ${th}`, { iouThreshold: th });
  return { clear: clearCounts(frames, th), hota: hotaCounts(frames) };
}

export function combineMotCounts(parts: readonly MotCounts[]): MotCounts {
  return {
    clear: parts.reduce((acc, p) => addClearCounts(acc, p.clear), emptyClearCounts()),
    hota: combineHota(parts.map((p) => p.hota)),
  };
}

/** Ratios with an empty denominator are NaN in py-motmetrics; we report 0 so JSON stays valid. */
function ratio(num: number, den: number): number {
  return den > 0 ? num / den : 0;
}

export function summariseMot(counts: MotCounts): MotMetrics {
  const c = counts.clear;
  const tp = c.numMatches + c.numSwitches;
  const h = summariseHota(counts.hota);
  return {
    MOTA: c.numObjects > 0 ? 1 - (c.numMisses + c.numSwitches + c.numFalsePositives) / c.numObjects : 0,
    MOTP: ratio(c.distanceSum, tp),
    IDF1: ratio(2 * c.idtp, c.numObjects + c.numPredictions),
    IDP: ratio(c.idtp, c.idtp + c.idfp),
    IDR: ratio(c.idtp, c.idtp + c.idfn),
    Recall: ratio(tp, c.numObjects),
    Precision: ratio(tp, tp + c.numFalsePositives),
    FP: c.numFalsePositives,
    FN: c.numMisses,
    IDSW: c.numSwitches,
    Frag: c.numFragmentations,
    MT: c.mostlyTracked,
    PT: c.partiallyTracked,
    ML: c.mostlyLost,
    HOTA: h.HOTA,
    DetA: h.DetA,
    AssA: h.AssA,
    LocA: h.LocA,
    MOTP_IoU: ratio(c.iouSum, tp),
    TP: tp,
    IDTP: c.idtp,
    IDFP: c.idfp,
    IDFN: c.idfn,
    numFrames: c.numFrames,
    numObjects: c.numObjects,
    numPredictions: c.numPredictions,
    numGtIds: c.numGtIds,
    numPredIds: c.numPredIds,
    DetRe: h.DetRe,
    DetPr: h.DetPr,
    AssRe: h.AssRe,
    AssPr: h.AssPr,
    hotaPerAlpha: h.perAlpha,
  };
}

/** Just the reported keys, in order (what --json prints). */
export function pickSummary(m: MotMetrics): MotSummary {
  const { MOTA, MOTP, IDF1, IDP, IDR, Recall, Precision, FP, FN, IDSW, Frag, MT, PT, ML, HOTA, DetA, AssA, LocA } = m;
  return { MOTA, MOTP, IDF1, IDP, IDR, Recall, Precision, FP, FN, IDSW, Frag, MT, PT, ML, HOTA, DetA, AssA, LocA };
}
