/**
 * How far two detectors' boxes on the same frames agree: one set taken as the reference (e.g. the
 * native 640x640 input), the other as the candidate (the input fitted to the picture). Per frame,
 * boxes are paired by the optimal assignment on IoU (only pairs above `minIou`), as the MOT metric
 * pairs truth and prediction; the figures are the matched share of both sides, the mean IoU of the
 * pairs and the frames whose box counts are equal.
 */
import { iouXyxy, type Xyxy } from '../../core/boxes.js';
import { matrix, solveAssignmentWithForbidden } from '../mot/assignment.js';

export interface AgreementOptions {
  /** A pair counts as the same detection above this IoU (default 0.5). */
  readonly minIou?: number;
}

export interface Agreement {
  readonly frames: number;
  readonly referenceBoxes: number;
  readonly candidateBoxes: number;
  readonly matched: number;
  /** matched / referenceBoxes and matched / candidateBoxes (1 when that side has none). */
  readonly referenceMatched: number;
  readonly candidateMatched: number;
  /** Mean IoU over the matched pairs (0 with none). */
  readonly meanIou: number;
  /** Frames where both sides have the same number of boxes. */
  readonly sameCountFrames: number;
}

/** Boxes per frame (any frame key); a frame missing on one side counts as an empty frame there. */
export function detectionAgreement(
  reference: ReadonlyMap<number, readonly Xyxy[]>,
  candidate: ReadonlyMap<number, readonly Xyxy[]>,
  opts: AgreementOptions = {},
): Agreement {
  const minIou = opts.minIou ?? 0.5;
  const frames = [...new Set([...reference.keys(), ...candidate.keys()])];
  let refN = 0;
  let candN = 0;
  let matched = 0;
  let iouSum = 0;
  let same = 0;
  for (const f of frames) {
    const a = reference.get(f) ?? [];
    const b = candidate.get(f) ?? [];
    refN += a.length;
    candN += b.length;
    if (a.length === b.length) same++;
    if (a.length === 0 || b.length === 0) continue;
    const cost = matrix(a.length, b.length);
    const ious = a.map((ra) => b.map((rb) => iouXyxy(ra, rb)));
    ious.forEach((row, r) => {
      row.forEach((v, c) => {
        cost.data[r * b.length + c] = 1 - v;
      });
    });
    const asg = solveAssignmentWithForbidden(cost, (r, c) => ious[r]![c]! > minIou);
    matched += asg.rows.length;
    asg.rows.forEach((r, k) => {
      iouSum += ious[r]![asg.cols[k]!]!;
    });
  }
  return {
    frames: frames.length,
    referenceBoxes: refN,
    candidateBoxes: candN,
    matched,
    referenceMatched: refN ? matched / refN : 1,
    candidateMatched: candN ? matched / candN : 1,
    meanIou: matched ? iouSum / matched : 0,
    sameCountFrames: same,
  };
}
