/**
 * CLEAR MOT and identity counts, computed the way py-motmetrics does (MOTAccumulator.update with
 * IoU distance and distth 0.5, then its metric functions). Every field is a count or a sum, so
 * several sequences combine by adding them, as py-motmetrics' OVERALL row does.
 *
 * Per frame:
 *  1. a ground-truth object keeps the prediction it was last matched to, if that prediction is
 *     present and still within the distance threshold;
 *  2. the rest are matched by a min-cost assignment on distance (1 - IoU), pairs over the
 *     threshold forbidden; a match whose object was last matched to another prediction is an
 *     ID switch (py-motmetrics' default max_switch_time is infinite);
 *  3. unmatched objects are misses, unmatched predictions false positives.
 * Identity (IDF1) is a global one-to-one assignment of GT ids to predicted ids that maximises the
 * number of frames in which the pair is within the threshold (Ristani et al. 2016).
 */
import { matrix, solveAssignment, solveAssignmentWithForbidden } from './assignment.js';
import type { EvalFrame } from './frames.js';

export interface ClearCounts {
  numFrames: number;
  /** Ground-truth boxes. */
  numObjects: number;
  /** Predicted boxes. */
  numPredictions: number;
  numGtIds: number;
  numPredIds: number;
  /** Matches that kept or started a correspondence (py-motmetrics MATCH events). */
  numMatches: number;
  /** Matches that changed an object's correspondence (SWITCH events). */
  numSwitches: number;
  numFalsePositives: number;
  numMisses: number;
  numFragmentations: number;
  /** Sum of 1 - IoU over matches and switches. */
  distanceSum: number;
  /** Sum of IoU over matches and switches. */
  iouSum: number;
  mostlyTracked: number;
  partiallyTracked: number;
  mostlyLost: number;
  idtp: number;
  idfp: number;
  idfn: number;
}

export function emptyClearCounts(): ClearCounts {
  return {
    numFrames: 0,
    numObjects: 0,
    numPredictions: 0,
    numGtIds: 0,
    numPredIds: 0,
    numMatches: 0,
    numSwitches: 0,
    numFalsePositives: 0,
    numMisses: 0,
    numFragmentations: 0,
    distanceSum: 0,
    iouSum: 0,
    mostlyTracked: 0,
    partiallyTracked: 0,
    mostlyLost: 0,
    idtp: 0,
    idfp: 0,
    idfn: 0,
  };
}

export function addClearCounts(a: ClearCounts, b: ClearCounts): ClearCounts {
  const out = emptyClearCounts();
  for (const k of Object.keys(out) as Array<keyof ClearCounts>) out[k] = a[k] + b[k];
  return out;
}

/** What happened in one frame: py-motmetrics' MATCH / SWITCH / MISS / FP events. */
export interface FrameEvents {
  readonly frame: number;
  readonly matches: { readonly gtId: number; readonly predId: number; readonly iou: number; readonly isSwitch: boolean }[];
  readonly missedGtIds: number[];
  readonly falsePredIds: number[];
}

/** Per-frame events only (for plots and debugging); `clearCounts` computes the same matching. */
export function clearEvents(frames: readonly EvalFrame[], iouThreshold = 0.5): FrameEvents[] {
  const events: FrameEvents[] = [];
  clearCounts(frames, iouThreshold, events);
  return events;
}

/**
 * @param iouThreshold a pair may match when 1 - IoU <= 1 - iouThreshold (py-motmetrics: distth 0.5).
 * @param events when given, receives each frame's events.
 */
export function clearCounts(frames: readonly EvalFrame[], iouThreshold = 0.5, events?: FrameEvents[]): ClearCounts {
  const maxDist = 1 - iouThreshold;
  const c = emptyClearCounts();
  const lastMatch = new Map<number, number>(); // gt id -> predicted id of its last match
  const trackedHistory = new Map<number, boolean[]>(); // gt id -> matched? per appearance, in frame order
  const gtFrames = new Map<number, number>();
  const predFrames = new Map<number, number>();
  const pairFrames = new Map<number, Map<number, number>>(); // gt id -> pred id -> frames within threshold

  for (const f of frames) {
    c.numFrames++;
    const n = f.gtIds.length;
    const k = f.predIds.length;
    c.numObjects += n;
    c.numPredictions += k;
    const dist = matrix(n, k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) dist.data[i * k + j] = 1 - f.similarity[i]![j]!;
    const valid = (i: number, j: number): boolean => dist.data[i * k + j]! <= maxDist;

    for (const o of f.gtIds) gtFrames.set(o, (gtFrames.get(o) ?? 0) + 1);
    for (const h of f.predIds) predFrames.set(h, (predFrames.get(h) ?? 0) + 1);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        if (!valid(i, j)) continue;
        const o = f.gtIds[i]!;
        let row = pairFrames.get(o);
        if (!row) {
          row = new Map();
          pairFrames.set(o, row);
        }
        row.set(f.predIds[j]!, (row.get(f.predIds[j]!) ?? 0) + 1);
      }
    }

    const gtMatched = new Array<boolean>(n).fill(false);
    const predMatched = new Array<boolean>(k).fill(false);
    const ev: FrameEvents = { frame: f.frame, matches: [], missedGtIds: [], falsePredIds: [] };
    const record = (i: number, j: number, isSwitch: boolean): void => {
      ev.matches.push({ gtId: f.gtIds[i]!, predId: f.predIds[j]!, iou: f.similarity[i]![j]!, isSwitch });
      gtMatched[i] = true;
      predMatched[j] = true;
      if (isSwitch) c.numSwitches++;
      else c.numMatches++;
      const d = dist.data[i * k + j]!;
      c.distanceSum += d;
      c.iouSum += f.similarity[i]![j]!;
      lastMatch.set(f.gtIds[i]!, f.predIds[j]!);
    };

    if (n > 0 && k > 0) {
      // 1. Keep last frame's correspondences where they still hold.
      for (let i = 0; i < n; i++) {
        const prev = lastMatch.get(f.gtIds[i]!);
        if (prev === undefined) continue;
        const j = f.predIds.findIndex((h, jj) => !predMatched[jj] && h === prev);
        if (j >= 0 && valid(i, j)) record(i, j, false);
      }
      // 2. Assign the rest.
      const sol = solveAssignmentWithForbidden(dist, (i, j) => !gtMatched[i] && !predMatched[j] && valid(i, j));
      for (let q = 0; q < sol.rows.length; q++) {
        const i = sol.rows[q]!;
        const j = sol.cols[q]!;
        const prev = lastMatch.get(f.gtIds[i]!);
        record(i, j, prev !== undefined && prev !== f.predIds[j]);
      }
    }
    // 3. Misses and false positives.
    for (let i = 0; i < n; i++) {
      if (!gtMatched[i]) {
        c.numMisses++;
        ev.missedGtIds.push(f.gtIds[i]!);
      }
      const o = f.gtIds[i]!;
      let h = trackedHistory.get(o);
      if (!h) {
        h = [];
        trackedHistory.set(o, h);
      }
      h.push(gtMatched[i]!);
    }
    for (let j = 0; j < k; j++) {
      if (predMatched[j]) continue;
      c.numFalsePositives++;
      ev.falsePredIds.push(f.predIds[j]!);
    }
    events?.push(ev);
  }

  // Track coverage and fragmentation per GT id (py-motmetrics: track_ratios, num_fragmentations).
  for (const history of trackedHistory.values()) {
    const tracked = history.filter(Boolean).length;
    const ratio = tracked / history.length;
    if (ratio >= 0.8) c.mostlyTracked++;
    else if (ratio >= 0.2) c.partiallyTracked++;
    else c.mostlyLost++;
    // A fragmentation is a tracked -> missed step between the first and last tracked appearance.
    const last = history.lastIndexOf(true);
    for (let t = history.indexOf(true) + 1; t > 0 && t <= last; t++) {
      if (!history[t] && history[t - 1]) c.numFragmentations++;
    }
  }

  // Identity: best one-to-one id pairing by shared frames.
  const gtIds = [...gtFrames.keys()];
  const predIds = [...predFrames.keys()];
  c.numGtIds = gtIds.length;
  c.numPredIds = predIds.length;
  const shared = matrix(gtIds.length, predIds.length);
  gtIds.forEach((o, r) => {
    const row = pairFrames.get(o);
    if (!row) return;
    predIds.forEach((h, col) => {
      shared.data[r * predIds.length + col] = -(row.get(h) ?? 0);
    });
  });
  const sol = solveAssignment(shared);
  let idtp = 0;
  for (let q = 0; q < sol.rows.length; q++) idtp -= shared.data[sol.rows[q]! * predIds.length + sol.cols[q]!]!;
  c.idtp = idtp;
  c.idfn = c.numObjects - idtp;
  c.idfp = c.numPredictions - idtp;
  return c;
}
